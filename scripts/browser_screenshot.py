"""The README's picture of the browser extension: the CRM-like test page with its call buttons.

Run: ``.venv/bin/python scripts/browser_screenshot.py [--out FILE]`` (needs Chromium; the default
is docs/screenshots/browser-extension.png). Serves ``browser/tests/crm.html`` on loopback,
switches number detection on for it as the popup does, and saves the page once every number has
its button.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.chromium import Chromium, chromium_path, extension_worker  # noqa: E402

EXTENSION_ID = "clbhdpbjpeammigjebfidmcfcjdohcbd"  # a1dialer.desktop.browser_hosts
BUTTONS_ON_THE_PAGE = 6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "screenshots" / "browser-extension.png"
    )
    args = parser.parse_args(argv)
    chromium = chromium_path()
    if chromium is None:
        print("Chromium is not installed (apt install chromium)", file=sys.stderr)
        return 1

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *log_args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(ROOT / "browser" / "tests"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    try:
        with Chromium(chromium, window=(900, 500)) as browser:
            page = browser.open_page(f"{site}/crm.html")
            worker = extension_worker(browser, EXTENSION_ID)
            browser.evaluate(worker, f"a1dialer.setDetection({json.dumps(site)}, true)")
            count = "document.querySelectorAll('a1dialer-call').length"
            browser.wait_for(page, f"{count} >= {BUTTONS_ON_THE_PAGE}")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            browser.screenshot(page, args.out)
    finally:
        server.shutdown()
        server.server_close()
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
