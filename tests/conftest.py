"""Fixtures for every test: a private profile, no leaking keys or admin defaults, a simulator."""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from a1dialer.core.calllog import CallLog
from a1dialer.core.translation import use_language
from a1dialer.pbx.simulator import PbxSimulator

SIMULATOR_KEY = "simulator-test-key"
# The simulator's OGG recordings are encoded by libsndfile, which the soundfile wheel ships.
NEEDS_SOUNDFILE = pytest.mark.skipif(
    importlib.util.find_spec("soundfile") is None,
    reason="OGG recordings are encoded with the soundfile package: pip install soundfile",
)


@pytest.fixture(autouse=True)
def private_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the profile, admin defaults and key variables away from anything real."""
    profile = tmp_path / "profile"
    monkeypatch.setenv("A1DIALER_HOME", str(profile))
    monkeypatch.setenv("A1DIALER_DEFAULTS", str(tmp_path / "no-admin-defaults.toml"))
    monkeypatch.delenv("A1DIALER_API_KEY", raising=False)
    # Start-at-login entries and link handlers go to a private folder, never the real one.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    # The tests read the English sentences, whatever language this machine speaks; a test of
    # another language chooses it (and this puts English back afterwards).
    monkeypatch.setenv("LANGUAGE", "en")
    use_language("en")
    return profile


@pytest.fixture(autouse=True)
def _log_handlers_restored() -> Iterator[None]:
    """A test that starts the app (which opens its log file) leaves no handler to the next one."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    """Where the ``call_log`` fixture keeps its file: a folder not made yet, beside the profile."""
    return tmp_path / "call-log" / "calls.sqlite3"


@pytest.fixture
def call_log_options() -> dict[str, Any]:
    """Keyword arguments for the ``call_log`` fixture's ``CallLog``; a test module may override."""
    return {}


@pytest.fixture
def call_log(log_path: Path, call_log_options: dict[str, Any]) -> Iterator[CallLog]:
    """An open call log in the test's own folder, closed afterwards."""
    with CallLog(log_path, **call_log_options) as opened:
        yield opened


@pytest.fixture
def simulator() -> Iterator[PbxSimulator]:
    """A simulator on a free loopback port that answers at once and has recordings soon after."""
    with PbxSimulator(
        SIMULATOR_KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0
    ) as running:
        yield running


@dataclass(frozen=True)
class CannedReply:
    """One scripted reply; ``cut_after`` sends only that many body bytes, then drops the line."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    cut_after: int | None = None


@dataclass(frozen=True)
class CannedRequest:
    path: str
    query: str
    headers: dict[str, str]


class CannedServer:
    """A stand-in PBX for the few server behaviours the simulator does not produce.

    Each path answers with its scripted replies in order (the last one repeats); other paths get
    a 404. Every request is recorded.
    """

    def __init__(self) -> None:
        self._replies: dict[str, list[CannedReply]] = {}
        self._lock = threading.Lock()
        self.requests: list[CannedRequest] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                reply = canned._next(
                    CannedRequest(parts.path, parts.query, dict(self.headers.items()))
                )
                self.send_response(reply.status)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                # A client that has read enough (or refused a reply) may hang up mid-body.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if reply.cut_after is None:
                        self.wfile.write(reply.body)
                        return
                    self.wfile.write(reply.body[: reply.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the tests read ``requests`` instead."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reply(self, path: str, *replies: CannedReply) -> None:
        with self._lock:
            self._replies[path] = list(replies)

    def _next(self, request: CannedRequest) -> CannedReply:
        with self._lock:
            self.requests.append(request)
            queue = self._replies.get(request.path)
            if not queue:
                return CannedReply(404, b"not found")
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self) -> CannedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def canned_server() -> Iterator[CannedServer]:
    """A loopback server answering scripted replies, for shapes the simulator never sends."""
    server = CannedServer().start()
    try:
        yield server
    finally:
        server.stop()


def free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    pytest.skip("no free X display number between :90 and :199")


@pytest.fixture
def xvfb_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb server; DISPLAY points at it for this test."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are needed to press a real global hotkey")
    display = f":{free_display()}"
    server = subprocess.Popen(
        ["Xvfb", display, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
    # Polling a file the X server creates: there is no Qt signal to wait on outside Qt.
    while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not socket.exists():
        server.kill()
        server.wait()
        pytest.skip(f"Xvfb did not start on {display}")
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    threads_before = set(threading.enumerate())
    yield display
    # A stopped pynput listener ends at the next X event (see GlobalHotkey.stop): send one and
    # let them go before the server does, or they fail on the closed connection.
    env = {**os.environ, "DISPLAY": display}
    subprocess.run(["xdotool", "key", "shift"], env=env, check=False, timeout=10)
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - threads_before and time.monotonic() < deadline:
        time.sleep(0.05)  # threads have no signal to await
    server.terminate()
    server.wait(10)


@pytest.fixture
def press_keys(xvfb_display: str) -> Callable[[str], None]:
    """Press keys (xdotool's names, e.g. "ctrl+alt+d") on the private X server."""

    def press(keys: str) -> None:
        env = {**os.environ, "DISPLAY": xvfb_display}
        subprocess.run(["xdotool", "key", keys], env=env, check=True, timeout=10)

    return press


@pytest.fixture(scope="session")
def self_signed_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate (and key) for 127.0.0.1, made with the openssl command."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed: cannot make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


# Another program holding the call log's write lock (a second A1 Dialer, a backup tool).
_LOCK_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
db.close()
"""


class CallLogLock:
    """A second process that holds the call log's write lock until ``release``."""

    def __init__(self, path: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _LOCK_HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        assert line.strip() == "locked", "the lock holder could not lock the call log"

    def release(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.write("\n")
            self._process.stdin.flush()
        assert self._process.wait(timeout=20) == 0

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture
def lock_call_log() -> Iterator[Callable[[Path], CallLogLock]]:
    """``lock_call_log(path)`` makes another process hold that call log's write lock."""
    holders: list[CallLogLock] = []

    def lock(path: Path) -> CallLogLock:
        holder = CallLogLock(path)
        holders.append(holder)
        return holder

    yield lock
    for holder in holders:
        holder.kill()


class SmallDisk:
    """A real filesystem of its own (a tmpfs of a few hundred KB) for read-only and full-disk
    tests: as root, file modes stop no write, so only a real read-only mount or a real full disk
    shows what the app does there."""

    def __init__(self, path: Path, sudo: list[str]) -> None:
        self.path = path
        self._sudo = sudo

    def make_read_only(self) -> None:
        subprocess.run([*self._sudo, "mount", "-o", "remount,ro", str(self.path)], check=True)

    def fill(self) -> None:
        """Write a file until the disk refuses another byte."""
        with (self.path / "filler").open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], SmallDisk]]:
    """Mount small tmpfs filesystems (size in KB); skipped where this machine may not mount
    (not root and no password-less sudo). CI runners have sudo, so they run these tests."""
    mounted: list[tuple[Path, list[str]]] = []
    if os.geteuid() == 0:
        sudo: list[str] = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], check=False,
                                                 capture_output=True).returncode == 0:  # fmt: skip
        sudo = ["sudo", "-n"]
    else:
        sudo = []

    def mount(size_kb: int) -> SmallDisk:
        target = tmp_path / f"disk-{len(mounted)}"
        target.mkdir()
        options = f"size={size_kb}k,uid={os.getuid()},gid={os.getgid()},mode=0700"
        done = subprocess.run(
            [*sudo, "mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"this machine cannot mount a small filesystem: {done.stderr.strip()}")
        mounted.append((target, sudo))
        return SmallDisk(target, sudo)

    yield mount
    for target, used in reversed(mounted):
        subprocess.run([*used, "umount", "-l", str(target)], check=False, capture_output=True)
