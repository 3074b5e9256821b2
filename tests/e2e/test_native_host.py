"""The native messaging host over its pipes, as a browser speaks to it: every malformed input."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer import __version__
from tests.e2e.conftest import processes_with

HOST = [sys.executable, "-m", "a1dialer.desktop.native_host"]


def frame(body: bytes) -> bytes:
    return struct.pack("=I", len(body)) + body


def message(content: object) -> bytes:
    return frame(json.dumps(content).encode("utf-8"))


def replies(output: bytes) -> list[dict[str, object]]:
    """Split the host's stdout into its messages; fails on anything that is not one."""
    found = []
    while output:
        assert len(output) >= 4, f"a partial header on stdout: {output!r}"
        (length,) = struct.unpack("=I", output[:4])
        body, output = output[4 : 4 + length], output[4 + length :]
        assert len(body) == length, "a message cut short"
        found.append(json.loads(body.decode("utf-8")))
    return found


def run_host(data: bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        HOST, input=data, capture_output=True, timeout=30, check=False, env=env or dict(os.environ)
    )


def test_ping_answers_the_version_and_end_of_input_ends_the_host() -> None:
    done = run_host(message({"type": "ping"}))
    assert done.returncode == 0
    assert replies(done.stdout) == [{"ok": True, "version": __version__}]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (frame(b"{not json"), "not JSON"),
        (frame(b"\xff\xfe\x00garbage"), "not JSON"),
        (frame(b"[1, 2]"), "not a JSON object"),
        (frame(b'"ping"'), "not a JSON object"),
        (frame(b"{}"), "Unknown message type"),
        (message({"type": "dial", "number": "+12085551234"}), "Unknown message type"),
        (message({"type": 7}), "Unknown message type"),
        (struct.pack("=I", 0), "empty"),
        (frame(b"x" * (64 * 1024 + 1)), "larger than 64 KB"),
        (message({"type": "offer"}), "no number"),
        (message({"type": "offer", "number": "   "}), "no number"),
        (message({"type": "offer", "number": 12085551234}), "no number"),
        (message({"type": "offer", "number": "+12085551234", "name": 5}), "name must be text"),
        (message({"type": "offer", "number": "1" * 300}), "too long"),
        (message({"type": "offer", "number": "+1208\n5551234"}), "control characters"),
        (message({"type": "offer", "number": "+12085551234", "dial": True}), "can only offer"),
        (message({"type": "offer", "number": "+12085551234", "dial": "yes"}), "can only offer"),
    ],
)
def test_a_malformed_message_gets_an_error_and_the_host_keeps_serving(
    data: bytes, problem: str
) -> None:
    done = run_host(data + message({"type": "ping"}))

    first, second = replies(done.stdout)
    assert first["ok"] is False
    assert problem in str(first["error"])
    assert second == {"ok": True, "version": __version__}
    assert done.returncode == 0
    # Refusals are logged on stderr (the browser's log), never with the number.
    assert b"2085551234" not in done.stderr


def test_a_huge_announced_length_is_skipped_to_the_next_message() -> None:
    body = b"y" * (200 * 1024)
    done = run_host(frame(body) + message({"type": "ping"}) + message({"type": "nope"}))

    answers = replies(done.stdout)
    assert [answer["ok"] for answer in answers] == [False, True, False]


@pytest.mark.parametrize("tail", [b"", b"\x05", b"\x05\x00\x00", b'\x10\x00\x00\x00{"ty'])
def test_input_ending_inside_a_header_or_body_ends_the_host_quietly(tail: bytes) -> None:
    done = run_host(message({"type": "ping"}) + tail)
    assert done.returncode == 0
    assert replies(done.stdout) == [{"ok": True, "version": __version__}]


def test_a_stray_print_cannot_reach_the_protocol() -> None:
    # Anything the host's modules print goes to stderr: stdout holds whole messages only.
    code = (
        "import sys; from a1dialer.desktop import native_host as h;"
        "sys.argv = ['h', 'chrome-extension://x/'];"
        "import builtins; real = h.handle;"
        "h.handle = lambda *a: (print('stray output'), real(*a))[1];"
        "raise SystemExit(h.main())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=message({"type": "ping"}),
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert replies(done.stdout) == [{"ok": True, "version": __version__}]
    assert b"stray output" in done.stderr


def test_the_host_starts_in_well_under_a_second_without_qt() -> None:
    code = (
        "import sys, time; t = time.perf_counter();"
        "from a1dialer.desktop import native_host;"
        "print(time.perf_counter() - t, 'PySide6' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    seconds, qt_loaded = done.stdout.split()
    assert qt_loaded == "False"
    assert float(seconds) < 0.5


# --- no app running: the host starts it with the number --------------------------------------


@pytest.fixture
def app_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A profile of its own for an app the host starts; the app is ended after the test."""
    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "settings.toml").write_text(
        'server = "http://127.0.0.1:9"\nextension = "1007"\n', encoding="utf-8"
    )
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(
        os.environ,
        A1DIALER_HOME=str(profile),
        A1DIALER_DEFAULTS=str(tmp_path / "none.toml"),
        A1DIALER_API_KEY="host-test-key",
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
    )
    yield env
    for pid in processes_with(f"A1DIALER_HOME={profile}"):
        os.kill(pid, 15)


def _wait_for(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # another process's log file: nothing to await but polling
        if path.exists() and text in path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to end the app")
def test_with_no_app_running_the_host_starts_it_with_the_number(app_env: dict[str, str]) -> None:
    offer = {"type": "offer", "number": "+1 208 555 0142", "name": "Dana Whitfield", "dial": False}
    done = run_host(message(offer), env=app_env)

    assert replies(done.stdout) == [{"ok": True}]
    log_file = Path(app_env["A1DIALER_HOME"]) / "logs" / "a1dialer.log"
    assert _wait_for(log_file, "Running as the only instance", 60), "the app never started"
    # A second offer now reaches the app the first one started.
    again = run_host(message({**offer, "number": "+1 208 555 0199"}), env=app_env)
    assert replies(again.stdout) == [{"ok": True}]
    assert _wait_for(log_file, "--offer-number=+1 208 555 0199", 10)
