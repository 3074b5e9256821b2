"""The packaged app: build the Linux bundle, run its smoke test, and check what the archive ships.

Set ``A1DIALER_BUNDLE`` to a dist folder (holding ``a1dialer/`` and the archive) from
``python packaging/build.py`` to test that build instead of making a new one.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUNDLE_ENV = "A1DIALER_BUNDLE"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed (pip install .[packaging])",
    ),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="checks the Linux bundle"),
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dist folder with the built app and its archive (built once per test run)."""
    given = os.environ.get(BUNDLE_ENV)
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("a1-dist")
    work = tmp_path_factory.mktemp("a1-build")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build.py"),
            "--distpath",
            str(out),
            "--workpath",
            str(work),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def archive_names(dist: Path) -> Iterator[list[str]]:
    archives = sorted(dist.glob("a1dialer-*-linux-*.tar.gz"))
    assert len(archives) == 1, f"expected one archive in {dist}: {archives}"
    with tarfile.open(archives[0]) as archive:
        yield archive.getnames()


def test_packaged_smoke_test_passes(dist: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    done = subprocess.run(
        [str(dist / "a1dialer" / "a1dialer"), "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(frozen, linux)" in done.stdout
    for check in ("tls", "keyring", "numbers", "call", "window", "media"):
        assert any(line.split()[1:2] == [f"{check}:"] for line in done.stdout.splitlines()), check
    assert "smoke test passed" in done.stdout


def test_packaged_cli_prints_its_version(dist: Path) -> None:
    done = subprocess.run(
        [str(dist / "a1dialer" / "a1dialer"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    from a1dialer import __version__

    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout


def test_archive_holds_app_desktop_file_and_icon(archive_names: list[str]) -> None:
    assert "a1dialer/a1dialer" in archive_names
    assert "a1dialer.desktop" in archive_names
    assert "a1dialer.png" in archive_names
    assert "a1dialer/_internal/a1dialer/resources/icons/app.svg" in archive_names


def test_archive_has_no_tests_or_caches(archive_names: list[str]) -> None:
    unwanted = [
        name
        for name in archive_names
        if {"tests", "__pycache__", ".pytest_cache", ".mypy_cache"} & set(name.split("/"))
        or (name.endswith(".pyc") and "test" in name)
    ]
    assert unwanted == []


def test_desktop_file_handles_phone_links() -> None:
    entry = (REPO / "packaging" / "a1dialer.desktop").read_text(encoding="utf-8")
    mime = next(line for line in entry.splitlines() if line.startswith("MimeType="))
    for scheme in ("tel", "callto", "sip"):
        assert f"x-scheme-handler/{scheme};" in mime
    assert "Exec=a1dialer %u" in entry
