"""Pack the browser extension: ``python packaging/build_extension.py`` -> two archives in dist/.

One source (``browser/extension``, loadable unpacked in Chrome, Chromium and Edge) gives
``a1dialer-extension-<version>-chrome.zip`` for the Chrome Web Store and Edge Add-ons, and an
unsigned ``a1dialer-extension-<version>-firefox.xpi`` for addons.mozilla.org (which signs it) or a
policy install. The manifests differ where the browsers do: Chrome runs the background as a
service worker, Firefox as a background script and wants ``browser_specific_settings.gecko.id``;
the stores assign their own ids, so the development ``key`` stays out of the store package.
The icons are rendered from the app's SVG master (Qt), as for the app itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SOURCE = REPO / "browser" / "extension"
ICON_SIZES = (16, 32, 48, 128)
# Fixed times keep the archives byte-for-byte the same for the same source.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
sys.path[:0] = [str(HERE), str(REPO)]

from build import read_version  # noqa: E402
from make_icons import MASTER, render_png  # noqa: E402

from a1dialer.desktop.browser_hosts import FIREFOX_EXTENSION_ID  # noqa: E402

# Firefox 115 (ESR) is the first with storage.session and MV3 background scripts.
FIREFOX_MIN_VERSION = "115.0"


def source_manifest() -> dict[str, object]:
    manifest: dict[str, object] = json.loads((SOURCE / "manifest.json").read_text("utf-8"))
    return manifest


def chrome_manifest(version: str) -> dict[str, object]:
    """The manifest for the Chrome Web Store and Edge Add-ons."""
    manifest = source_manifest()
    del manifest["key"]  # the stores refuse it and give the extension their own id
    return _with_icons(manifest, version)


def firefox_manifest(version: str) -> dict[str, object]:
    """The manifest for Firefox: a background script, and the id the host manifest allows."""
    manifest = source_manifest()
    del manifest["key"]
    del manifest["minimum_chrome_version"]
    manifest["background"] = {"scripts": ["background.js"]}
    manifest["browser_specific_settings"] = {
        "gecko": {"id": FIREFOX_EXTENSION_ID, "strict_min_version": FIREFOX_MIN_VERSION}
    }
    return _with_icons(manifest, version)


def _with_icons(manifest: dict[str, object], version: str) -> dict[str, object]:
    icons = {str(size): f"icons/{size}.png" for size in ICON_SIZES}
    manifest["version"] = version
    manifest["icons"] = icons
    action = dict(manifest["action"])  # type: ignore[call-overload]
    action["default_icon"] = icons
    manifest["action"] = action
    return manifest


def source_files() -> list[Path]:
    """The extension's files, without its manifest (each archive gets its own)."""
    return sorted(
        path
        for path in SOURCE.rglob("*")
        if path.is_file() and path.name != "manifest.json" and not path.name.startswith(".")
    )


def write_archive(target: Path, manifest: dict[str, object], icons: dict[int, bytes]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        add("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
        for path in source_files():
            add(path.relative_to(SOURCE).as_posix(), path.read_bytes())
        for size, png in icons.items():
            add(f"icons/{size}.png", png)
    partial.replace(target)
    return target


def build(dist: Path) -> list[Path]:
    """Both archives in ``dist``."""
    version = read_version()
    icons = {size: render_png(MASTER, size) for size in ICON_SIZES}
    name = f"a1dialer-extension-{version}"
    return [
        write_archive(dist / f"{name}-chrome.zip", chrome_manifest(version), icons),
        write_archive(dist / f"{name}-firefox.xpi", firefox_manifest(version), icons),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distpath", type=Path, default=REPO / "dist", help="output folder")
    args = parser.parse_args(argv)
    for archive in build(args.distpath):
        print(f"{archive} ({archive.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
