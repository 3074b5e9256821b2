"""The bundled A1PBX simulator: a stand-in PBX on loopback for the demo, training and the tests.

It follows ``reference/A1PBX-API-NOTES.md``: both endpoints, the key check (401, a 302 to the login
page, or a 200 login page), both parameter spellings, an originate that is held until the rep's
phone "answers" (at once with auto-answer), ``+OK``/``-ERR`` replies or JSON, magic numbers for
failures, recordings that appear only after the simulated call has ended (an empty 200 before),
WAV and MP3, HTTP Range, and fault injection (from Python or the command line). Standard library
only.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import socket
import ssl
import struct
import threading
import time
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.redaction import redact
from a1dialer.core.server import is_loopback_host
from a1dialer.pbx.sim_audio import recording_bytes, recording_size
from a1dialer.pbx.sim_wire import (
    DiscardWriter,
    DripWriter,
    ReplyWriter,
    base64_length,
    base64_recording,
    oversized_text,
)

log = logging.getLogger("a1dialer.simulator")

API_PREFIX = "/app/api/7/"
ENDPOINTS = ("originate", "call_recording")
AUTH_MODES = ("401", "302", "html200")
REPLY_MODES = ("text", "json", "json-code", "json-status")
RECORDING_FORMATS = ("wav", "mp3", "ogg")
_CONTENT_TYPES = {"wav": "audio/x-wav", "mp3": "audio/mpeg", "ogg": "audio/ogg"}
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
# Causes that take a ring time: a phone that nobody picks up (the rep's, or the customer's).
_RINGS_OUT = ("NO_USER_RESPONSE", "NO_ANSWER")
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
# Faults that change how the normal reply travels (or how big it is), not what it says.
_WIRE_FAULTS = ("truncate", "drip", "drip-body", "oversize", "drop")
_SPELLINGS = {
    "src": ("src", "source"),
    "dest": ("dest", "destination"),
    "src_cid_name": ("src_cid_name",),
    "src_cid_number": ("src_cid_number",),
    "dst_cid_name": ("dst_cid_name", "dest_cid_name"),
    "des_cid_number": ("des_cid_number", "dest_cid_number"),
}
_LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>A1PBX - Login</title></head><body>"
    "<form method='post'><h1>A1PBX</h1><input name='username'><input type='password' "
    "name='password'><button>Login</button></form></body></html>"
)
_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>{code}</title></head><body><h1>{text}</h1></body></html>"
)
_TLS_HANDSHAKE_TIMEOUT = 10.0


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
class _Recording:
    fmt: str
    size: int
    ready_at: float


@dataclass
class _Fault:
    kind: str
    count: int | None
    delay: float
    endpoint: str | None
    size_mb: float


@dataclass
class _State:
    requests: list[ReceivedRequest] = field(default_factory=list)
    replies: list[SentReply] = field(default_factory=list)
    recordings: dict[str, _Recording] = field(default_factory=dict)
    connections: set[socket.socket] = field(default_factory=set)
    fault: _Fault | None = None


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
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> PbxSimulator:
        """Bind and serve on a background thread; it accepts connections when this returns."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        handler = type("Handler", (_Handler,), {"simulator": self})
        server = _Server((self.host, self._requested_port), handler, self._ssl_context)
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

    def _record(self, request: ReceivedRequest) -> None:
        with self._changed:
            self._state.requests.append(request)
            self._changed.notify_all()

    def _record_reply(self, reply: SentReply) -> None:
        with self._changed:
            self._state.replies.append(reply)
            self._changed.notify_all()

    def _track(self, connection: socket.socket, *, open_: bool) -> None:
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
            self._state.fault = _Fault(kind, count, delay, endpoint, size_mb) if kind else None

    def clear_fault(self) -> None:
        self.set_fault(None)

    def _take_fault(self, endpoint: str) -> _Fault | None:
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
            self._state.recordings[uuid] = _Recording(fmt, total, 0.0)

    def end_all_calls(self) -> None:
        """Make the recordings of every call placed so far available now."""
        with self._changed:
            for recording in self._state.recordings.values():
                recording.ready_at = 0.0

    def _schedule_recording(self, uuid: str) -> None:
        total = recording_size(self.recording_format, seconds=max(1.0, self.call_duration))
        ready = time.monotonic() + self.call_duration + self.recording_delay
        with self._changed:
            self._state.recordings[uuid] = _Recording(self.recording_format, total, ready)

    def _recording(self, uuid: str) -> _Recording | None:
        with self._changed:
            return self._state.recordings.get(uuid)

    def _wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the simulator stops first; True if it is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()


class _Server(ThreadingHTTPServer):
    """A thread per connection; IPv6 when the host is; TLS handshakes off the accept loop."""

    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.ssl_context = ssl_context
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall for seconds.
        TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = int(self.server_address[1])

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        # Handshake here, on the connection's own thread: a client that connects and sends
        # nothing must not stall the accept loop for everyone else.
        request.settimeout(_TLS_HANDSHAKE_TIMEOUT)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except OSError as error:
            log.debug("TLS handshake with %s failed: %s", client_address, error)
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-reply is routine here (time limits, faults): no stderr trace.
        log.debug("Connection from %s ended with an error", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    simulator: PbxSimulator
    _fault: _Fault | None = None
    protocol_version = "HTTP/1.1"
    server_version = "A1PBX-Simulator"
    # An idle keep-alive connection, or a reader that stopped reading, is dropped after this.
    timeout = 300

    def log_message(self, format: str, *args: object) -> None:
        log.debug(redact(format % args))

    def setup(self) -> None:
        super().setup()
        self.simulator._track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.simulator._track(self.connection, open_=False)

    # -- plumbing ----------------------------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes | str,
        content_type: str = "text/plain; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_json(self, status: int, payload: object) -> None:
        self._send(status, json.dumps(payload), "application/json")

    def _send_html(self, status: int, text: str) -> None:
        self._send(status, _ERROR_PAGE.format(code=status, text=text), "text/html; charset=utf-8")

    def _send_pieces(
        self, status: int, content_type: str, length: int, pieces: Iterator[bytes]
    ) -> None:
        """A reply whose ``length``-byte body is made piece by piece, never held whole."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        for piece in pieces:
            self.wfile.write(piece)

    def _reset(self) -> None:
        """Drop the connection with no reply (RST where the OS allows it)."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _not_allowed(self) -> None:
        # A request body is left unread, so this connection cannot carry another request.
        self.close_connection = True
        self._send(405, "method not allowed", headers={"Allow": "GET", "Connection": "close"})

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def do_GET(self) -> None:
        self._fault = None
        parts = urlsplit(self.path)
        path = "/" + parts.path.lstrip("/")
        params = parse_qs(parts.query, keep_blank_values=True)
        sim = self.simulator
        if not path.startswith(API_PREFIX):
            # Pages and pre-signed recording links are recorded too (``endpoint`` is the path),
            # so tests can see that a client never followed a login redirect or leaked its key.
            sim._record(ReceivedRequest(path, params, dict(self.headers.items()), time.time()))
        if path == "/":
            self._send(200, _LOGIN_PAGE, "text/html; charset=utf-8")
            return
        if path.startswith("/recordings/"):
            self._serve_recording(path.rsplit("/", 1)[-1].split(".")[0], presigned=True)
            return
        if not path.startswith(API_PREFIX):
            self._send_html(404, "Not Found")
            return
        endpoint = path[len(API_PREFIX) :].strip("/")
        sim._record(ReceivedRequest(endpoint, params, dict(self.headers.items()), time.time()))
        log.info("%s %s", endpoint, redact(self.path))
        if endpoint not in ("originate", "call_recording"):
            self._send_html(404, "Not Found")
            return
        if params.get("key", [""])[0] != sim.key:
            self._deny(path)
            return
        fault = sim._take_fault(endpoint)
        if fault is not None and fault.kind == "delay":
            if sim._wait(fault.delay):
                self._reset()
                return
            fault = None
        self._fault = fault
        connection_writer = self.wfile
        writer = self._writer(fault)
        self.wfile = writer  # type: ignore[assignment]
        finished = False
        try:
            self._answer(endpoint, params, fault)
            finished = True
        except OSError:  # the client hung up, or stop() closed the connection
            self.close_connection = True
        finally:
            self.wfile = connection_writer
            sim._record_reply(
                SentReply(endpoint, fault.kind if fault else None, writer.sent, finished)
            )
        if fault is not None and fault.kind == "drop":
            # An orderly close (FIN) with no reply at all: a proxy or a PHP worker that gave up
            # after the request was taken. (``reset`` is the abrupt one, before any work.)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)

    def _writer(self, fault: _Fault | None) -> ReplyWriter:
        if fault is not None and fault.kind in ("drip", "drip-body"):
            return DripWriter(
                self.wfile,  # type: ignore[arg-type]
                fault.delay,
                self.simulator._wait,
                headers_too=fault.kind == "drip",
            )
        if fault is not None and fault.kind == "drop":
            return DiscardWriter(self.wfile)  # type: ignore[arg-type]
        return ReplyWriter(self.wfile)  # type: ignore[arg-type]

    def _answer(self, endpoint: str, params: dict[str, list[str]], fault: _Fault | None) -> None:
        if fault is not None and fault.kind not in _WIRE_FAULTS:
            self._misbehave(fault.kind)
            return
        if endpoint == "originate":
            self._originate(params)
            return
        uuid = params.get("uuid", [""])[0]
        if not uuid:
            self._send_json(400, {"status": "error", "message": "missing uuid"})
        elif fault is not None and fault.kind == "oversize":
            self._oversized_recording(uuid, fault.size_mb)
        else:
            self._serve_recording(uuid, truncate=fault is not None and fault.kind == "truncate")

    def _deny(self, path: str) -> None:
        mode = self.simulator.auth_mode
        if mode == "302":
            self._send(302, "", headers={"Location": f"/?path={path}"})
        elif mode == "html200":
            self._send(200, _LOGIN_PAGE, "text/html; charset=utf-8")
        else:
            self._send(401, "access denied")

    def _misbehave(self, kind: str) -> None:
        if kind == "reset":
            self._reset()
        elif kind == "html500":
            self._send_html(500, "Internal Server Error")
        elif kind == "html200":
            self._send(200, _LOGIN_PAGE, "text/html; charset=utf-8")
        elif kind == "garbage":
            self._send(200, bytes(range(128, 256)) + b"\x00\x01<?xml", "application/octet-stream")
        elif kind == "empty":
            self._send(200, b"")
        elif kind == "http404":
            self._send_html(404, "Not Found")
        elif kind == "json-error":
            self._send_json(200, {"status": "error", "message": "Simulated server error"})
        elif kind == "access-denied":
            self._send(200, "access denied")

    # -- originate ----------------------------------------------------------------------------
    def _originate(self, params: dict[str, list[str]]) -> None:
        sim = self.simulator

        def value(name: str) -> str:
            for spelling in _SPELLINGS.get(name, (name,)):
                if params.get(spelling, [""])[0]:
                    return params[spelling][0]
            return ""

        if not all(value(name) for name in ("src", "dest", "src_cid_number", "des_cid_number")):
            self._reply(None, "MANDATORY_IE_MISSING")
            return
        call_uuid = value("origination_uuid") or str(uuidlib.uuid4())
        auto_answer = value("auto_answer") == "true"
        digits = "".join(ch for ch in value("dest") if ch.isdigit())
        cause = MAGIC_EXTENSIONS.get(value("src"))
        if cause is None:
            cause = next((c for s, c in MAGIC_DESTINATIONS.items() if digits.endswith(s)), None)
        immediate = cause in (
            "USER_NOT_REGISTERED",
            "ORIGINATOR_CANCEL",
            "USER_BUSY",
            "CALL_REJECTED",
            "UNALLOCATED_NUMBER",
            "GATEWAY_DOWN",
            "NO_ROUTE_DESTINATION",
            "NORMAL_TEMPORARY_FAILURE",
        )
        # The rep's phone rings for answer_delay unless it answers itself; a phone that
        # nobody picks up rings out for answer_delay whatever auto-answer says.
        held = cause in _RINGS_OUT or not (auto_answer or immediate)
        if held and sim._wait(sim.answer_delay):
            self._reset()
            return
        if cause is None and value("rec") == "true":
            sim._schedule_recording(call_uuid)
        self._reply(None if cause else call_uuid, cause)

    def _reply(self, call_uuid: str | None, cause: str | None) -> None:
        mode = self.simulator.reply_mode
        text = f"+OK {call_uuid}" if call_uuid else f"-ERR {cause}"
        if self._fault is not None and self._fault.kind == "oversize":
            # The answer, then a server's debug output running on: megabytes nobody should read.
            size = int(self._fault.size_mb * 1_000_000)
            self._send_pieces(200, "text/plain; charset=utf-8", size, oversized_text(text, size))
        elif mode == "json":
            payload: dict[str, object] = (
                {"success": True, "call_uuid": call_uuid}
                if call_uuid
                else {"status": "error", "message": text}
            )
            self._send_json(200, payload)
        elif mode == "json-code":
            self._send_json(200, {"code": 0 if call_uuid else 1, "message": text})
        elif mode == "json-status":
            self._send_json(
                200,
                {"status": "success", "uuid": call_uuid}
                if call_uuid
                else {"status": "error", "message": text},
            )
        else:
            self._send(200, text + "\n")

    # -- recordings ----------------------------------------------------------------------------
    def _serve_recording(
        self, uuid: str, *, truncate: bool = False, presigned: bool = False
    ) -> None:
        sim = self.simulator
        recording = sim._recording(uuid)
        if recording is None:
            self._send_json(404, {"status": "error", "message": "recording not found"})
            return
        if time.monotonic() < recording.ready_at:
            self._send(200, b"", "text/html; charset=utf-8")
            return
        if not presigned and sim.recording_mode == "json-url":
            url = f"{sim.server_url}/recordings/{uuid}.{recording.fmt}"
            self._send_json(200, {"status": "success", "url": url})
            return
        if not presigned and sim.recording_mode == "json-base64":
            self._send_base64(uuid, recording.fmt, recording.size)
            return
        self._stream(uuid, recording, truncate)

    def _send_base64(self, uuid: str, fmt: str, size: int) -> None:
        """``{"status": "success", "filename": ..., "data": "<base64>"}``, made piece by piece."""
        start = json.dumps({"status": "success", "filename": f"{uuid}.{fmt}", "data": ""})
        start = start[:-2]  # up to the opening quote of the data
        head, tail = start.encode(), b'"}'
        pieces = itertools.chain([head], base64_recording(fmt, size), [tail])
        length = len(head) + base64_length(size) + len(tail)
        self._send_pieces(200, "application/json", length, pieces)

    def _oversized_recording(self, uuid: str, size_mb: float) -> None:
        """A base64 JSON reply of about ``size_mb`` MB (a WAV of three quarters of that)."""
        self._send_base64(uuid, "wav", int(size_mb * 1_000_000) * 3 // 4)

    def _stream(self, uuid: str, recording: _Recording, truncate: bool) -> None:
        total = recording.size
        start, end, status = 0, total, 200
        headers = {
            "Content-Disposition": f'attachment; filename="{uuid}.{recording.fmt}"',
        }
        if self.simulator.range_support:
            headers["Accept-Ranges"] = "bytes"
            wanted = self.headers.get("Range", "")
            if wanted.startswith("bytes="):
                first, _, last = wanted[6:].partition("-")
                try:
                    start = int(first)
                    end = int(last) + 1 if last else total
                except ValueError:
                    start = total
                if start >= total or end <= start:
                    self._send(416, b"", headers={"Content-Range": f"bytes */{total}"})
                    return
                end = min(end, total)
                status = 206
                headers["Content-Range"] = f"bytes {start}-{end - 1}/{total}"
        content_type = _CONTENT_TYPES[recording.fmt]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(end - start))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        stop_at = start + (end - start) // 2 if truncate else end
        for chunk in recording_bytes(recording.fmt, total, start, stop_at):
            self.wfile.write(chunk)
        if truncate:
            # End the body early with an orderly close (FIN), as a dropped proxy or a killed
            # PHP worker does. An RST here would make the client's kernel discard whatever it
            # had not read yet, so how much arrived would depend on timing.
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``a1dialer simulator`` options."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    parser.add_argument(
        "--key",
        default=os.environ.get("A1PBX_SIMULATOR_KEY", "demo-key"),
        help="the API key it accepts (default demo-key)",
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback address"
    )
    parser.add_argument(
        "--auth-mode", choices=AUTH_MODES, default="401", help="how a wrong key is answered"
    )
    parser.add_argument(
        "--reply-mode", choices=REPLY_MODES, default="text", help="shape of originate replies"
    )
    parser.add_argument(
        "--answer-delay",
        type=float,
        default=3.0,
        help="seconds until the rep's phone 'answers' (unless auto-answer)",
    )
    parser.add_argument(
        "--call-duration", type=float, default=5.0, help="simulated call length in seconds"
    )
    parser.add_argument(
        "--recording-delay",
        type=float,
        default=3.0,
        help="seconds after the call until its recording appears",
    )
    parser.add_argument("--recording-format", choices=RECORDING_FORMATS, default="wav")
    parser.add_argument("--recording-mode", choices=RECORDING_MODES, default="bytes")
    parser.add_argument("--no-range", action="store_true", help="ignore HTTP Range requests")
    faults = parser.add_argument_group(
        "fault injection", "misbehave on purpose (docs/simulator.md describes each fault)"
    )
    faults.add_argument(
        "--fault",
        choices=FAULT_KINDS,
        help="how to misbehave: delay (answer late), reset (cut the line at once), drop (carry "
        "the request out, then close with no reply), drip / drip-body (send the reply, or only "
        "its body, one byte every --fault-delay seconds), oversize (a 200 reply of "
        "--fault-size MB), truncate (half a recording), html500, html200, garbage, empty, "
        "http404, json-error, access-denied",
    )
    faults.add_argument(
        "--fault-endpoint", choices=ENDPOINTS, help="only this endpoint (default: both)"
    )
    faults.add_argument(
        "--fault-count",
        type=int,
        metavar="N",
        help="only the next N requests (default: every request)",
    )
    faults.add_argument(
        "--fault-delay",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds a delay waits, or between two bytes of a drip (default 1)",
    )
    faults.add_argument(
        "--fault-size",
        type=float,
        default=300.0,
        metavar="MB",
        help="MB of an oversize reply (default 300)",
    )


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C; a host or port it cannot use is a DialerError (exit code 2 or 6)."""
    if not args.allow_remote and not is_loopback_host(args.host):
        raise BadInput(
            f"The simulator listens on this computer only: add --allow-remote to bind {args.host}."
        )
    simulator = PbxSimulator(
        args.key,
        host=args.host,
        port=args.port,
        auth_mode=args.auth_mode,
        reply_mode=args.reply_mode,
        answer_delay=args.answer_delay,
        call_duration=args.call_duration,
        recording_delay=args.recording_delay,
        recording_format=args.recording_format,
        recording_mode=args.recording_mode,
        range_support=not args.no_range,
        allow_remote=args.allow_remote,
    )
    if args.fault:
        try:
            simulator.set_fault(
                args.fault,
                count=args.fault_count,
                delay=args.fault_delay,
                endpoint=args.fault_endpoint,
                size_mb=args.fault_size,
            )
        except ValueError as error:
            raise BadInput(f"The fault options do not fit together: {error}.") from None
    try:
        simulator.start()
    except OSError as error:
        raise LocalProblem(
            f"The simulator cannot listen on {args.host} port {args.port}: is it already "
            "running? Choose another port with --port.",
            str(error),
        ) from None
    fault = f" Fault: {args.fault}." if args.fault else ""
    print(
        f"A1PBX simulator on {simulator.server_url} (key: {simulator.key}).{fault} Ctrl+C to stop.",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        simulator.stop()
    return 0
