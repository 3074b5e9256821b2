"""The simulator's HTTP side: a threaded (optionally TLS) server and the A1PBX request handler."""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import socket
import ssl
import struct
import time
import uuid as uuidlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import TCPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from a1dialer.core.redaction import redact
from a1dialer.pbx.sim_audio import recording_bytes
from a1dialer.pbx.sim_wire import (
    DiscardWriter,
    DripWriter,
    ReplyWriter,
    base64_length,
    base64_recording,
    oversized_text,
)
from a1dialer.pbx.simulator import (
    API_PREFIX,
    MAGIC_DESTINATIONS,
    MAGIC_EXTENSIONS,
    Fault,
    PbxSimulator,
    ReceivedRequest,
    Recording,
    SentReply,
)

log = logging.getLogger("a1dialer.simulator")

_CONTENT_TYPES = {"wav": "audio/x-wav", "mp3": "audio/mpeg", "ogg": "audio/ogg"}
# Causes that take a ring time: a phone that nobody picks up (the rep's, or the customer's).
_RINGS_OUT = ("NO_USER_RESPONSE", "NO_ANSWER")
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


class SimulatorServer(ThreadingHTTPServer):
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


class SimulatorHandler(BaseHTTPRequestHandler):
    simulator: PbxSimulator
    _fault: Fault | None = None
    protocol_version = "HTTP/1.1"
    server_version = "A1PBX-Simulator"
    # An idle keep-alive connection, or a reader that stopped reading, is dropped after this.
    timeout = 300

    def log_message(self, format: str, *args: object) -> None:
        log.debug(redact(format % args))

    def setup(self) -> None:
        super().setup()
        self.simulator.track(self.connection, open_=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.simulator.track(self.connection, open_=False)

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
            sim.record(ReceivedRequest(path, params, dict(self.headers.items()), time.time()))
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
        sim.record(ReceivedRequest(endpoint, params, dict(self.headers.items()), time.time()))
        log.info("%s %s", endpoint, redact(self.path))
        if endpoint not in ("originate", "call_recording"):
            self._send_html(404, "Not Found")
            return
        if params.get("key", [""])[0] != sim.key:
            self._deny(path)
            return
        fault = sim.take_fault(endpoint)
        if fault is not None and fault.kind == "delay":
            if sim.wait(fault.delay):
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
            sim.record_reply(
                SentReply(endpoint, fault.kind if fault else None, writer.sent, finished)
            )
        if fault is not None and fault.kind == "drop":
            # An orderly close (FIN) with no reply at all: a proxy or a PHP worker that gave up
            # after the request was taken. (``reset`` is the abrupt one, before any work.)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)

    def _writer(self, fault: Fault | None) -> ReplyWriter:
        if fault is not None and fault.kind in ("drip", "drip-body"):
            return DripWriter(
                self.wfile,  # type: ignore[arg-type]
                fault.delay,
                self.simulator.wait,
                headers_too=fault.kind == "drip",
            )
        if fault is not None and fault.kind == "drop":
            return DiscardWriter(self.wfile)  # type: ignore[arg-type]
        return ReplyWriter(self.wfile)  # type: ignore[arg-type]

    def _answer(self, endpoint: str, params: dict[str, list[str]], fault: Fault | None) -> None:
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
        if held and sim.wait(sim.answer_delay):
            self._reset()
            return
        if cause is None and value("rec") == "true":
            sim.schedule_recording(call_uuid)
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
        recording = sim.recording(uuid)
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

    def _stream(self, uuid: str, recording: Recording, truncate: bool) -> None:
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
