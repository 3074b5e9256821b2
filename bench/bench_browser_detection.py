"""The browser extension's number detection on a heavy page: a 5,000-row CRM table.

Starts Debian's Chromium headless with the unpacked extension (``scripts/chromium.py``), serves a
page with a 5,000-row table on loopback (name, company, phone in mixed formats, date, order id,
amount: one number per row, the rest must be left alone), switches detection on for the site as
the popup does, and measures until every row's call button is there. Also reports the longest
main-thread task meanwhile (the scan runs in idle slices, so the page stays responsive).
Median of ``--runs``. Prints figures; asserts nothing.
Run: ``.venv/bin/python bench/bench_browser_detection.py [--runs N] [--rows N]``.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.chromium import Chromium, chromium_path, extension_worker  # noqa: E402

EXTENSION_ID = "clbhdpbjpeammigjebfidmcfcjdohcbd"  # a1dialer.desktop.browser_hosts
FORMATS = (
    "+1 208 555 {n:04d}",
    "(208) 555-{n:04d}",
    "208.555.{n:04d}",
    "+44 20 7946 {n:04d}",
    "+49 30 123{n:04d}",
)


def table_page(rows: int) -> str:
    lines = []
    for i in range(rows):
        phone = FORMATS[i % len(FORMATS)].format(n=i % 10_000)
        lines.append(
            f"<tr><td>Contact {i}</td><td>Company {i % 97}</td><td>{phone}</td>"
            f"<td>2024-{1 + i % 12:02d}-{1 + i % 28:02d}</td><td>Order #{40_000_000 + i}</td>"
            f"<td>${(i * 37) % 10_000}.{i % 100:02d}</td></tr>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Leads</title></head><body>"
        "<table><thead><tr><th>Name</th><th>Company</th><th>Phone</th><th>Created</th>"
        "<th>Order</th><th>Amount</th></tr></thead><tbody>"
        + "".join(lines)
        + "</tbody></table></body></html>"
    )


LONG_TASKS = """(() => {
    globalThis.benchLongest = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
            benchLongest = Math.max(benchLongest, entry.duration);
    }).observe({ type: "longtask", buffered: false });
    return true;
})()"""
COUNT = "document.querySelectorAll('a1dialer-call').length"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    chromium = chromium_path()
    if chromium is None:
        print("Chromium is not installed (apt install chromium)", file=sys.stderr)
        return 1
    page = table_page(args.rows).encode("utf-8")

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *log_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_port}"
    scans: list[float] = []
    longest: list[float] = []
    try:
        with Chromium(chromium) as browser:
            tab = browser.open_page(f"{site}/leads")
            worker = extension_worker(browser, EXTENSION_ID)
            switch = functools.partial(browser.evaluate, worker)
            for _run in range(args.runs):
                switch(f"a1dialer.setDetection({json.dumps(site)}, false)")
                browser.wait_for(tab, f"{COUNT} === 0", timeout=120)
                browser.evaluate(tab, LONG_TASKS)
                started = time.perf_counter()
                switch(f"a1dialer.setDetection({json.dumps(site)}, true)")
                browser.wait_for(tab, f"{COUNT} >= {args.rows}", timeout=300)
                scans.append((time.perf_counter() - started) * 1000)
                longest.append(float(browser.evaluate(tab, "globalThis.benchLongest")))
                found = browser.evaluate(tab, COUNT)
                if found != args.rows:
                    print(f"found {found} numbers in {args.rows} rows", file=sys.stderr)
                    return 1
    finally:
        server.shutdown()
        server.server_close()
    print(f"rows: {args.rows}, runs: {args.runs}")
    print(f"scan until every row's call button is shown: median {statistics.median(scans):.0f} ms")
    print(f"  runs (ms): {', '.join(f'{ms:.0f}' for ms in scans)}")
    print(f"longest main-thread task meanwhile: median {statistics.median(longest):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
