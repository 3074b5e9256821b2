"""A second launch with a tel: link hands it to the running app and exits at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

LOG_LINE = "A later launch handed over ['tel:+1-208-555-1234']"


def _wait_for(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # another process's log file: nothing to await but polling
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.toml").write_text(
        'server = "http://127.0.0.1:9"\nextension = "1007"\ncaller_id_number = "12085550100"\n',
        encoding="utf-8",
    )
    return dict(
        os.environ,
        A1DIALER_HOME=str(profile),
        A1DIALER_DEFAULTS=str(tmp_path / "none.toml"),
        A1DIALER_API_KEY="link-test-key",
        QT_QPA_PLATFORM="offscreen",
    )


def test_a_clicked_link_reaches_the_running_window(env: dict[str, str]) -> None:
    log_file = Path(env["A1DIALER_HOME"]) / "logs" / "a1dialer.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "a1dialer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(log_file, "Running as the only instance", 30), "the app never started"
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "a1dialer", "tel:+1-208-555-1234"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        handed_over_in = time.monotonic() - started
        assert second.returncode == 0, second.stderr
        assert _wait_for(log_file, LOG_LINE, 5)
        assert handed_over_in < 10
        assert first.poll() is None, "the running app must keep running"
    finally:
        first.terminate()
        first.wait(timeout=10)


def test_of_two_apps_started_at_once_the_later_hands_over_and_quits(env: dict[str, str]) -> None:
    # Both launches found nobody listening (the second skips the command line's hand-over here,
    # as if it had checked just before the first began listening): the second shows its window,
    # then finds the first listening, hands its link over and quits.
    log_file = Path(env["A1DIALER_HOME"]) / "logs" / "a1dialer.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "a1dialer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(log_file, "Running as the only instance", 30), "the app never started"
        second = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from a1dialer.app import run_gui; "
                "sys.exit(run_gui(uris=['tel:+1-208-555-1234']))",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert _wait_for(log_file, LOG_LINE, 5)
        assert _wait_for(log_file, "Another A1 Dialer started at the same moment", 5)
        assert first.poll() is None, "the first app must keep running"
    finally:
        first.terminate()
        first.wait(timeout=10)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows uses a per-user named pipe")
def test_a_squatted_socket_folder_is_refused_and_the_app_still_starts(
    env: dict[str, str],
) -> None:
    # Another user (here: anyone, as the folder is world-writable) made the socket folder first.
    temp = Path(tempfile.mkdtemp(prefix="a1e-", dir="/tmp"))
    try:
        squatted = temp / f"a1dialer-{os.getuid()}"
        squatted.mkdir()
        squatted.chmod(0o777)
        env = {**env, "TMPDIR": str(temp)}
        env.pop("XDG_RUNTIME_DIR", None)
        log_file = Path(env["A1DIALER_HOME"]) / "logs" / "a1dialer.log"
        first = subprocess.Popen(
            [sys.executable, "-m", "a1dialer", "tel:+1-208-555-1234"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            assert _wait_for(log_file, "Links from later launches will open their own window", 30)
            text = log_file.read_text(encoding="utf-8")
            assert f"other users can use {squatted}" in text
            assert first.poll() is None, "the app must start anyway"
        finally:
            first.terminate()
            _, stderr = first.communicate(timeout=10)
        assert b"Traceback" not in stderr
        assert list(squatted.iterdir()) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)
