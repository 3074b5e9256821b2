"""The packaged app: build the Linux bundle, run its smoke test, and check what the archive ships.

Set ``A1DIALER_BUNDLE`` to a dist folder (holding ``a1dialer/`` and the archive) from
``python packaging/build.py`` to test that build instead of making a new one.

The size limits are the issue's targets (130 MB unpacked, 60 MB compressed) and are asserted:
a build's size is deterministic for given dependencies, so a failure here means a dependency or
spec change made the bundle grow past them (see ``bench/bench_bundle.py`` for the breakdown).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import processes_with

REPO = Path(__file__).resolve().parents[2]
BUNDLE_ENV = "A1DIALER_BUNDLE"
UNPACKED_LIMIT = 130_000_000
COMPRESSED_LIMIT = 60_000_000
SMOKE_CHECKS = ("tls", "keyring", "numbers", "call", "window", "media", "locale")

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
def release_archive(dist: Path) -> Path:
    archives = sorted(dist.glob("a1dialer-*-linux-*.tar.xz"))
    assert len(archives) == 1, f"expected one archive in {dist}: {archives}"
    return archives[0]


@pytest.fixture(scope="module")
def archive_names(release_archive: Path) -> Iterator[list[str]]:
    with tarfile.open(release_archive) as archive:
        yield archive.getnames()


def _smoke_lines(output: str) -> dict[str, str]:
    """Check name -> status (ok, warn, FAIL) from the smoke test's output."""
    lines = {}
    for line in output.splitlines():
        status, _space, rest = line.partition(" ")
        name = rest.strip().partition(":")[0]
        if status in ("ok", "warn", "FAIL") and name:
            lines[name] = status
    return lines


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
    checks = _smoke_lines(done.stdout)
    assert set(SMOKE_CHECKS) <= set(checks), done.stdout
    # Playback (WAV, MP3, OGG) and ICU's data must really work inside the bundle, not just load.
    assert checks["media"] == "ok", done.stdout
    assert checks["locale"] == "ok", done.stdout
    assert "smoke test passed" in done.stdout


def _log_says(log_file: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # another process's log file: nothing to await but polling
        if log_file.exists() and text in log_file.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)
    return False


def test_packaged_app_hands_a_link_to_the_running_instance(dist: Path, tmp_path: Path) -> None:
    """QtNetwork's local socket (single instance) works inside the bundle."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.toml").write_text(
        'server = "http://127.0.0.1:9"\nextension = "1007"\ncaller_id_number = "12085550100"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env.update(
        A1DIALER_HOME=str(profile),
        A1DIALER_DEFAULTS=str(tmp_path / "none.toml"),
        A1DIALER_API_KEY="bundle-link-key",
        QT_QPA_PLATFORM="offscreen",
    )
    app = str(dist / "a1dialer" / "a1dialer")
    log_file = profile / "logs" / "a1dialer.log"
    first = subprocess.Popen(app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _log_says(log_file, "Running as the only instance", 60), "the app never started"
        second = subprocess.run(
            [app, "tel:+1-208-555-1234"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert _log_says(log_file, "A later launch handed over ['tel:+1-208-555-1234']", 10)
        assert first.poll() is None, "the running app must keep running"
    finally:
        first.terminate()
        first.wait(timeout=10)


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


def test_packaged_native_host_answers_the_browser(dist: Path) -> None:
    """The console executable beside the app speaks the browsers' protocol."""
    import json
    import struct

    from a1dialer import __version__

    body = json.dumps({"type": "ping"}).encode()
    done = subprocess.run(
        [str(dist / "a1dialer" / "a1dialer-native-host"), "chrome-extension://x/"],
        input=struct.pack("=I", len(body)) + body,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (length,) = struct.unpack("=I", done.stdout[:4])
    assert json.loads(done.stdout[4 : 4 + length]) == {"ok": True, "version": __version__}


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


def test_bundle_is_within_the_size_targets(dist: Path, release_archive: Path) -> None:
    app = dist / "a1dialer"
    unpacked = sum(p.lstat().st_size for p in app.rglob("*") if p.is_file() or p.is_symlink())
    assert unpacked <= UNPACKED_LIMIT, f"{unpacked / 1e6:.1f} MB unpacked"
    assert release_archive.stat().st_size <= COMPRESSED_LIMIT, release_archive


def test_bundle_ships_stand_ins_instead_of_the_qml_runtime(dist: Path) -> None:
    lib = dist / "a1dialer" / "_internal" / "PySide6" / "Qt" / "lib"
    for stand_in in ("libQt6Quick.so.6", "libQt6Qml.so.6"):
        assert (lib / stand_in).stat().st_size < 100_000, stand_in
    assert not list(lib.glob("libQt6QmlModels*")), "the QML runtime's own libraries are shipped"
    (icu_data,) = lib.glob("libicudata.so.*")
    assert icu_data.stat().st_size < 20_000_000, "ICU data is not trimmed"


def test_bundle_leaves_host_libraries_to_the_host(archive_names: list[str]) -> None:
    shipped = {name.rsplit("/", 1)[-1] for name in archive_names}
    for library in ("libstdc++.so.6", "libX11.so.6", "libfontconfig.so.1", "libpulse.so.0"):
        assert library not in shipped


def test_smoke_test_passes_from_source(tmp_path: Path) -> None:
    """The same checks from the source tree, so a failure can be told apart from packaging."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env.update(QT_QPA_PLATFORM="offscreen", A1DIALER_HOME=str(tmp_path / "profile"))
    done = subprocess.run(
        [sys.executable, "-m", "a1dialer", "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    checks = _smoke_lines(done.stdout)
    assert set(SMOKE_CHECKS) <= set(checks), done.stdout
    assert checks["media"] == "ok", done.stdout


def test_packaged_native_host_starts_the_app_then_hands_it_offers(
    dist: Path, tmp_path: Path
) -> None:
    import json
    import struct

    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.toml").write_text(
        'server = "http://127.0.0.1:9"\nextension = "1007"\n', encoding="utf-8"
    )
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env.update(
        A1DIALER_HOME=str(profile),
        A1DIALER_API_KEY="bundle-host-key",
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
    )

    def offer(number: str) -> dict[str, object]:
        body = json.dumps({"type": "offer", "number": number, "name": "", "dial": False})
        done = subprocess.run(
            [str(dist / "a1dialer" / "a1dialer-native-host")],
            input=struct.pack("=I", len(body)) + body.encode(),
            capture_output=True,
            timeout=60,
            check=False,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        reply: dict[str, object] = json.loads(done.stdout[4:])
        return reply

    log_file = profile / "logs" / "a1dialer.log"
    try:
        assert offer("+1 208 555 0142") == {"ok": True}
        assert _log_says(log_file, "Running as the only instance", 60), "the app never started"
        assert offer("+1 208 555 0199") == {"ok": True}
        assert _log_says(log_file, "--offer-number=+1 208 555 0199", 10)
    finally:
        for pid in processes_with(f"A1DIALER_HOME={profile}"):
            os.kill(pid, 15)
