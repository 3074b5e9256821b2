"""The bundled A1PBX simulator: a stand-in PBX on loopback for the demo, training and the tests.

It follows ``reference/A1PBX-API-NOTES.md``: both endpoints, the key check (401, a 302 to the login
page, or a 200 login page), both parameter spellings, an originate that is held until the rep's
phone "answers" (at once with auto-answer), ``+OK``/``-ERR`` replies or JSON, magic numbers for
failures, recordings that appear only after the simulated call has ended (an empty 200 before),
WAV and MP3, HTTP Range, and fault injection (from Python or the command line). Standard library
only.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

from a1dialer.core.server_address import is_loopback_host
from a1dialer.pbx.sim_audio import recording_size

if TYPE_CHECKING:
    from a1dialer.pbx.sim_http import SimulatorServer

log = logging.getLogger("a1dialer.simulator")

API_PREFIX = "/app/api/7/"
ENDPOINTS = ("originate", "call_recording")
AUTH_MODES = ("401", "302", "html200")
REPLY_MODES = ("text", "json", "json-code", "json-status")
RECORDING_FORMATS = ("wav", "mp3", "ogg")
RECORDING_MODES = ("bytes", "json-url", "json-base64")
RINGBACKS = ("us-ring", "fr-ring", "pt-ring", "uk-ring", "rs-ring", "ru-ring", "it-ring", "de-ring")
# A destination whose digits end with one of these fails with the FreeSWITCH cause; any other
# number is "+OK" (as on the real server, a wrong destination still gives +OK).
MAGIC_DESTINATIONS: dict[str, str] = {
    "5550101": "USER_BUSY",
    "5550102": "NO_ANSWER",
    "5550103": "CALL_REJECTED",
    "5550104": "UNALLOCATED_NUMBER",
    "5550105": "NORMAL_TEMPORARY_FAILURE",
    "5550106": "GATEWAY_DOWN",
    "5550107": "NO_ROUTE_DESTINATION",
}
# The rep's own extension (src) decides these: the first leg fails before the customer is dialled.
MAGIC_EXTENSIONS: dict[str, str] = {
    "1099": "USER_NOT_REGISTERED",
    "1098": "NO_USER_RESPONSE",
    "1097": "ORIGINATOR_CANCEL",
}
FAULT_KINDS = (
    "delay",
    "reset",
    "html500",
    "html200",
    "garbage",
    "empty",
    "truncate",
    "http404",
    "json-error",
    "access-denied",
    "drip",
    "drip-body",
    "oversize",
    "drop",
)


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as it reached the simulator, for tests to check what was sent.

    ``endpoint`` is ``originate`` or ``call_recording`` (or another name under the API path);
    for any other path (the login page, a pre-signed recording link) it is the path itself.
    """

    endpoint: str
    params: dict[str, list[str]]
    headers: dict[str, str]
    time: float


@dataclass(frozen=True)
class SentReply:
    """How much of one API reply went out, for tests to check where a client hung up.

    ``sent`` counts the bytes written to the connection (status line and headers included);
    ``finished`` is False when the client hung up (or the simulator stopped) before the end.
    """

    endpoint: str
    fault: str | None
    sent: int
    finished: bool


@dataclass
class Recording:
    fmt: str
    size: int
    ready_at: float


@dataclass
class Fault:
    kind: str
    count: int | None
    delay: float
    endpoint: str | None
    size_mb: float


@dataclass
class _State:
    requests: list[ReceivedRequest] = field(default_factory=list)
    replies: list[SentReply] = field(default_factory=list)
    recordings: dict[str, Recording] = field(default_factory=dict)
    connections: set[socket.socket] = field(default_factory=set)
    fault: Fault | None = None


class PbxSimulator:
    """A stand-in A1PBX serving on a background thread; every mode is a plain attribute."""

    def __init__(
        self,
        key: str = "demo-key",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_mode: str = "401",
        reply_mode: str = "text",
        answer_delay: float = 1.0,
        call_duration: float = 3.0,
        recording_delay: float = 2.0,
        recording_format: str = "wav",
        recording_mode: str = "bytes",
        range_support: bool = True,
        ssl_context: ssl.SSLContext | None = None,
        allow_remote: bool = False,
    ) -> None:
        if not allow_remote and not is_loopback_host(host):
            raise ValueError(f"the simulator binds loopback only; {host} needs allow_remote=True")
        for name, value, allowed in (
            ("auth_mode", auth_mode, AUTH_MODES),
            ("reply_mode", reply_mode, REPLY_MODES),
            ("recording_format", recording_format, RECORDING_FORMATS),
            ("recording_mode", recording_mode, RECORDING_MODES),
        ):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        self.key = key
        self.host = host
        self.auth_mode = auth_mode
        self.reply_mode = reply_mode
        self.answer_delay = answer_delay
        self.call_duration = call_duration
        self.recording_delay = recording_delay
        self.recording_format = recording_format
        self.recording_mode = recording_mode
        self.range_support = range_support
        self._ssl_context = ssl_context
        self._requested_port = port
        self._state = _State()
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> PbxSimulator:
        """Bind and serve on a background thread; it accepts connections when this returns."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        # sim_http imports this module for its records and rules.
        from a1dialer.pbx.sim_http import SimulatorHandler, SimulatorServer

        handler = type("Handler", (SimulatorHandler,), {"simulator": self})
        server = SimulatorServer((self.host, self._requested_port), handler, self._ssl_context)
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="a1pbx-simulator",
            daemon=True,
        )
        self._thread.start()
        log.info("Simulator listening on %s", self.server_url)
        return self

    def stop(self) -> None:
        """Release held requests, close every connection and the socket, and join the thread."""
        self._stopping.set()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            with self._changed:
                connections = list(self._state.connections)
            for connection in connections:
                # An idle keep-alive connection would otherwise go on being served by its thread
                # after stop(). The plain socket call leaves a TLS socket's state to its thread.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(connection, socket.SHUT_RDWR)
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> PbxSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return int(self._server.server_address[1])

    @property
    def server_url(self) -> str:
        scheme = "https" if self._ssl_context else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.server_url + API_PREFIX

    # -- what reached us ----------------------------------------------------------------------
    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._changed:
            return list(self._state.requests)

    @property
    def originates(self) -> list[dict[str, str]]:
        return [
            {name: values[0] for name, values in request.params.items()}
            for request in self.requests
            if request.endpoint == "originate"
        ]

    def wait_for_requests(self, n: int, timeout: float = 5.0) -> bool:
        """Wait until at least ``n`` requests have arrived in total."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._state.requests) >= n, timeout)

    @property
    def sent_replies(self) -> list[SentReply]:
        """Every API reply the simulator is done with, oldest first."""
        with self._changed:
            return list(self._state.replies)

    def wait_for_replies(self, n: int, timeout: float = 5.0) -> bool:
        """Wait until the simulator is done with at least ``n`` API replies in total."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._state.replies) >= n, timeout)

    def record(self, request: ReceivedRequest) -> None:
        with self._changed:
            self._state.requests.append(request)
            self._changed.notify_all()

    def record_reply(self, reply: SentReply) -> None:
        with self._changed:
            self._state.replies.append(reply)
            self._changed.notify_all()

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._changed:
            if open_:
                self._state.connections.add(connection)
            else:
                self._state.connections.discard(connection)

    # -- faults and recordings ----------------------------------------------------------------
    def set_fault(
        self,
        kind: str | None,
        *,
        count: int | None = None,
        delay: float = 0.0,
        endpoint: str | None = None,
        size_mb: float = 2.0,
    ) -> None:
        """Misbehave on the next ``count`` requests (None: all) to ``endpoint`` (None: both).

        ``delay``: the seconds a ``delay`` waits, or between two bytes of a ``drip``;
        ``size_mb``: the size of an ``oversize`` reply in MB (10**6 bytes).
        """
        if kind is not None and kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}; one of {', '.join(ENDPOINTS)}")
        if kind in ("drip", "drip-body") and delay <= 0:
            raise ValueError(f"a {kind} fault needs a delay (seconds between bytes) above 0")
        if count is not None and count < 1:
            raise ValueError("a fault's count must be at least 1 (None: every request)")
        if kind == "oversize" and size_mb <= 0:
            raise ValueError("an oversize fault needs a size above 0 MB")
        with self._changed:
            self._state.fault = Fault(kind, count, delay, endpoint, size_mb) if kind else None

    def clear_fault(self) -> None:
        self.set_fault(None)

    def take_fault(self, endpoint: str) -> Fault | None:
        with self._changed:
            fault = self._state.fault
            if fault is None or (fault.endpoint and fault.endpoint != endpoint):
                return None
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    self._state.fault = None
            return fault

    def add_recording(
        self, uuid: str, *, seconds: float | None = None, size: int | None = None, fmt: str = "wav"
    ) -> None:
        """Make a ready recording of ``seconds`` (or about ``size`` bytes) for ``uuid``."""
        total = recording_size(fmt, seconds=seconds if seconds is not None else 5.0, size=size)
        with self._changed:
            self._state.recordings[uuid] = Recording(fmt, total, 0.0)

    def end_all_calls(self) -> None:
        """Make the recordings of every call placed so far available now."""
        with self._changed:
            for recording in self._state.recordings.values():
                recording.ready_at = 0.0

    def schedule_recording(self, uuid: str) -> None:
        total = recording_size(self.recording_format, seconds=max(1.0, self.call_duration))
        ready = time.monotonic() + self.call_duration + self.recording_delay
        with self._changed:
            self._state.recordings[uuid] = Recording(self.recording_format, total, ready)

    def recording(self, uuid: str) -> Recording | None:
        with self._changed:
            return self._state.recordings.get(uuid)

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the simulator stops first; True if it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()
