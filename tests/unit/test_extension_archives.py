"""The extension's store archives: one source, a manifest per browser family, nothing missing."""

from __future__ import annotations

import importlib
import json
import sys
import zipfile
from pathlib import Path

import pytest

from a1dialer import __version__
from a1dialer.desktop.browser_hosts import FIREFOX_EXTENSION_ID

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "browser" / "extension"


def build(dist: Path) -> list[Path]:
    """``packaging/build_extension.py`` into ``dist``, as the release build runs it."""
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        module = importlib.import_module("build_extension")
    finally:
        sys.path.remove(str(REPO / "packaging"))
    built: list[Path] = module.build(dist)
    return built


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    chrome, firefox = build(tmp_path_factory.mktemp("extension"))
    return {"chrome": chrome, "firefox": firefox}


def manifest_in(archive: Path) -> dict[str, object]:
    with zipfile.ZipFile(archive) as opened:
        content: dict[str, object] = json.loads(opened.read("manifest.json"))
    return content


def test_the_source_manifest_has_the_app_version() -> None:
    assert json.loads((SOURCE / "manifest.json").read_text("utf-8"))["version"] == __version__


def test_each_archive_holds_every_file_the_manifests_name(archives: dict[str, Path]) -> None:
    sources = {p.relative_to(SOURCE).as_posix() for p in SOURCE.rglob("*") if p.is_file()}
    for archive in archives.values():
        with zipfile.ZipFile(archive) as opened:
            names = set(opened.namelist())
            assert opened.testzip() is None
        manifest = manifest_in(archive)
        assert sources <= names
        named = {"popup.html", *manifest["icons"].values()}  # type: ignore[attr-defined]
        for script in manifest["content_scripts"][0]["js"]:  # type: ignore[index]
            named.add(script)
        assert named <= names
        assert manifest["version"] == __version__
        assert "key" not in manifest  # the stores give their own id


def test_chrome_runs_a_service_worker_and_firefox_a_background_script(
    archives: dict[str, Path],
) -> None:
    chrome = manifest_in(archives["chrome"])
    firefox = manifest_in(archives["firefox"])
    assert chrome["manifest_version"] == firefox["manifest_version"] == 3
    assert chrome["background"] == {"service_worker": "background.js"}
    assert "browser_specific_settings" not in chrome
    assert firefox["background"] == {"scripts": ["background.js"]}
    gecko = firefox["browser_specific_settings"]["gecko"]  # type: ignore[index]
    assert gecko["id"] == FIREFOX_EXTENSION_ID
    assert "minimum_chrome_version" not in firefox
    assert "nativeMessaging" in firefox["permissions"]  # type: ignore[operator]


def test_the_archives_are_the_same_for_the_same_source(
    archives: dict[str, Path], tmp_path: Path
) -> None:
    again = build(tmp_path)
    assert [path.read_bytes() for path in again] == [
        archives["chrome"].read_bytes(),
        archives["firefox"].read_bytes(),
    ]
