"""Time and size limits on the PBX's replies, over real HTTP against the simulator on loopback.

A server that drips its answer is given up at the deadline for the whole reply (not per read), an
oversized reply is not read to its end, and a 2xx reply that cannot be read, or none at all after
the request went out, leaves the call "unknown": the PBX may be calling.
"""

from __future__ import annotations

import base64
import json
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from a1dialer.core.call_options import CallOptions
from a1dialer.core.errors import (
    AuthRejected,
    NetworkFailure,
    NotAvailable,
    OutcomeUnknown,
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.pbx import replies
from a1dialer.pbx.client import MAX_ORIGINATE_REPLY, CallRequest, PbxClient
from a1dialer.pbx.recording_download import _BASE64_BLOCK, MAX_RECORDING_JSON, STALL_PROGRESS
from a1dialer.pbx.sim_audio import recording_bytes
from a1dialer.pbx.simulator import PbxSimulator, SentReply
from tests.conftest import CannedReply, CannedServer

EXTENSION = "1007"
UUID = "5b1e9c3a-7d2f-4e8a-b6c1-0a9f8e7d6c5b"
DRIP = 0.2  # seconds between two bytes of a dripped reply
DEADLINE = 1.5


def call(record: bool = False) -> CallRequest:
    return CallRequest("12085551234", EXTENSION, "12085550100", options=CallOptions(record=record))


def originates_seen(sim: PbxSimulator) -> int:
    return sum(1 for request in sim.requests if request.endpoint == "originate")


def last_reply(sim: PbxSimulator) -> SentReply:
    """The simulator's account of the last reply, once it has noticed the client hung up."""
    assert sim.wait_for_replies(len(sim.requests), timeout=10)
    return sim.sent_replies[-1]


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


# -- deadlines ------------------------------------------------------------------------------------


# A slower drip cuts the status line; a faster one lets the status line in (which http.client
# would then take, with the headers cut short, for a whole reply); drip-body cuts the body.
DRIPS = [("drip", DRIP), ("drip", 0.05), ("drip-body", DRIP)]


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "delay"), DRIPS)
def test_a_dripping_originate_is_given_up_at_the_deadline(
    simulator: PbxSimulator, kind: str, delay: float
) -> None:
    # About 200 bytes at a byte every 0.2 s take 40 s to send; every single read gets a byte
    # well within the per-read timeout, so only a deadline for the whole reply ends this.
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(call())
    whole = last_reply(simulator).sent
    simulator.set_fault(kind, count=1, delay=delay, endpoint="originate")
    start = time.monotonic()
    with (
        PbxClient(simulator.server_url, simulator.key, originate_timeout=DEADLINE) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.originate(call())
    elapsed = time.monotonic() - start
    assert caught.value.sentence == (
        f"The PBX did not answer within {DEADLINE:g} s; your phone (ext {EXTENSION}) may still "
        "ring: check it before calling again."
    )
    assert elapsed < 10 * DEADLINE
    sent = last_reply(simulator)
    assert (sent.fault, sent.finished) == (kind, False)
    # The client hung up long before the drip could have finished.
    assert sent.sent < whole - 20
    assert originates_seen(simulator) == 2


@pytest.mark.slow
def test_a_dripping_json_reply_is_given_up_too(simulator: PbxSimulator) -> None:
    simulator.reply_mode = "json"
    simulator.set_fault("drip-body", count=1, delay=DRIP, endpoint="originate")
    with (
        PbxClient(simulator.server_url, simulator.key, originate_timeout=DEADLINE) as client,
        pytest.raises(OutcomeUnknown, match="may still ring"),
    ):
        client.originate(call())
    assert not last_reply(simulator).finished


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "delay"), DRIPS)
def test_a_drip_over_https_is_given_up_the_same_way(
    self_signed_certificate: tuple[Path, Path], kind: str, delay: float
) -> None:
    # The cut TLS read raises an SSL error: it must read as the time limit, not as a certificate
    # problem.
    cert, key = self_signed_certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with PbxSimulator("tls-drip-key", answer_delay=0.0, ssl_context=context) as sim:
        sim.set_fault(kind, count=1, delay=delay, endpoint="originate")
        with (
            PbxClient(
                sim.server_url, sim.key, ca_bundle=str(cert), originate_timeout=DEADLINE
            ) as client,
            pytest.raises(OutcomeUnknown, match=f"did not answer within {DEADLINE:g} s"),
        ):
            client.originate(call())
        assert not last_reply(sim).finished


@pytest.mark.slow
def test_a_quick_reply_after_a_drip_is_read_normally(simulator: PbxSimulator) -> None:
    # The watch of a given-up request never touches the next request's connection.
    simulator.set_fault("drip", count=1, delay=DRIP, endpoint="originate")
    with PbxClient(simulator.server_url, simulator.key, originate_timeout=DEADLINE) as client:
        with pytest.raises(OutcomeUnknown):
            client.originate(call())
        placed = client.originate(call())
        again = client.originate(call())
    assert placed.server_uuid
    assert again.server_uuid
    assert originates_seen(simulator) == 3


def test_drop_after_the_request_leaves_the_outcome_unknown(simulator: PbxSimulator) -> None:
    simulator.set_fault("drop", count=1, endpoint="originate")
    with (
        PbxClient(simulator.server_url, simulator.key) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.originate(call(record=True))
    assert caught.value.sentence == (
        f"The PBX dropped the connection before answering; your phone (ext {EXTENSION}) may "
        "still ring: check it before calling again."
    )
    assert last_reply(simulator) == SentReply("originate", "drop", 0, True)
    assert originates_seen(simulator) == 1


# -- sizes ----------------------------------------------------------------------------------------


def test_an_oversized_originate_reply_is_not_read(simulator: PbxSimulator) -> None:
    simulator.set_fault("oversize", count=1, endpoint="originate", size_mb=100)
    with (
        PbxClient(simulator.server_url, simulator.key) as client,
        pytest.raises(OutcomeUnknown) as caught,
    ):
        client.originate(call())
    assert caught.value.sentence == replies.OVERSIZED_ORIGINATE.format(phone=f"ext {EXTENSION}")
    # Its start (an +OK followed by a log) is in the details, short and printable.
    assert caught.value.details.startswith(f"HTTP 200, over {MAX_ORIGINATE_REPLY} bytes: +OK ")
    assert len(caught.value.details) < 200
    sent = last_reply(simulator)
    assert not sent.finished
    # The client read 1 MB and hung up: the rest was never sent (only what the sockets buffer).
    assert sent.sent < 100_000_000 // 4
    assert originates_seen(simulator) == 1


def test_a_reply_of_exactly_the_limit_is_read(canned_server: CannedServer) -> None:
    body = b"+OK server-id-77\n".ljust(MAX_ORIGINATE_REPLY, b" ")
    canned_server.reply("/app/api/7/originate", CannedReply(body=body))
    with PbxClient(canned_server.url, "canned-key") as client:
        assert client.originate(call()).server_uuid == "server-id-77"


# Just over the limit, so that what the client leaves unread fits in the sockets' buffers.
@pytest.mark.parametrize(
    ("status", "body", "error", "sentence"),
    [
        (500, b"<html><body>" + b"x" * 1_100_000, PbxRefused, replies.SERVER_ERROR),
        (404, b"<html><body>" + b"x" * 1_100_000, PbxRefused, replies.NO_API),
        (200, b"<!DOCTYPE html><title>Login</title>" + b" " * 1_100_000, AuthRejected, ""),
    ],
)
def test_an_oversized_error_reply_keeps_its_meaning(
    canned_server: CannedServer,
    status: int,
    body: bytes,
    error: type[Exception],
    sentence: str,
) -> None:
    canned_server.reply("/app/api/7/originate", CannedReply(status=status, body=body))
    with (
        PbxClient(canned_server.url, "canned-key") as client,
        pytest.raises(error) as caught,
    ):
        client.originate(call())
    assert type(caught.value) is error
    assert str(caught.value) == (sentence or replies.HTML_REPLY)


# -- recordings -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "delay"), DRIPS)
def test_a_dripping_recording_is_given_up_and_not_resumed(
    simulator: PbxSimulator, out: Path, kind: str, delay: float
) -> None:
    simulator.add_recording(UUID, size=300_000)
    simulator.set_fault(kind, delay=delay, endpoint="call_recording")
    start = time.monotonic()
    with (
        PbxClient(simulator.server_url, simulator.key, recording_timeout=DEADLINE) as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.download_recording(UUID, out / "call")
    assert time.monotonic() - start < 10 * DEADLINE
    assert type(caught.value) is NetworkFailure
    host = "127.0.0.1"
    if kind == "drip":
        assert caught.value.sentence == (
            f"The PBX at {host} did not answer within {DEADLINE:g} s: try again."
        )
    else:
        assert caught.value.sentence == f"The download from the PBX at {host} stalled: try again."
    assert not last_reply(simulator).finished
    # A drip would only drip again: one request, and no file left behind.
    assert [r.endpoint for r in simulator.requests] == ["call_recording"]
    assert list(out.iterdir()) == []


class _Paced(BaseHTTPRequestHandler):
    """A WAV of 40 pieces of 8 KiB, one every 50 ms: slow, but steady."""

    protocol_version = "HTTP/1.1"
    pieces = 40

    def do_GET(self) -> None:
        data = b"".join(recording_bytes("wav", self.pieces * 8192))
        self.send_response(200)
        self.send_header("Content-Type", "audio/x-wav")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for start in range(0, len(data), 8192):
            self.wfile.write(data[start : start + 8192])
            time.sleep(0.05)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def paced_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Paced)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_a_slow_but_steady_download_is_not_cut(paced_server: str, out: Path) -> None:
    # 2 s of download at 160 KiB/s against a 0.5 s stall window (16 KiB needed in each): a
    # deadline of 0.5 s for the whole reply would cut it, a stall rule must not.
    assert 2 * STALL_PROGRESS < 8192 * 0.5 / 0.05
    with PbxClient(paced_server, "paced-key", recording_timeout=0.5) as client:
        path = client.download_recording(UUID, out / "call")
    assert path.read_bytes() == b"".join(recording_bytes("wav", _Paced.pieces * 8192))


def test_a_base64_recording_is_decoded_to_the_file(simulator: PbxSimulator, out: Path) -> None:
    size = 3 * _BASE64_BLOCK  # several blocks of base64
    simulator.recording_mode = "json-base64"
    simulator.add_recording(UUID, size=size)
    seen: list[tuple[int, int | None]] = []
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording(
            UUID, out / "call", progress=lambda done, total: seen.append((done, total))
        )
    assert path == out / "call.wav"
    assert path.read_bytes() == b"".join(recording_bytes("wav", size))
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert list(out.iterdir()) == [path]


def php_json(audio: bytes) -> bytes:
    """Base64 audio as PHP's json_encode writes it ("/" as "\\/"), in 76-character lines, with a
    line-break escape placed across the first block boundary of the decoder."""
    text = base64.b64encode(audio).decode()
    lines = "\\r\\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    escaped = lines.replace("/", "\\/")
    # Every escape here is two characters: shift the text (a space is skipped like a line break)
    # until the one placed at the boundary does not split another.
    while escaped[_BASE64_BLOCK - 2] == "\\":
        escaped = " " + escaped
    escaped = escaped[: _BASE64_BLOCK - 1] + "\\n" + escaped[_BASE64_BLOCK - 1 :]
    assert escaped[_BASE64_BLOCK - 1 : _BASE64_BLOCK + 1] == "\\n"
    return b'{"status":"success","data":"' + escaped.encode() + b'"}'


def test_base64_with_json_escapes_across_blocks(canned_server: CannedServer, out: Path) -> None:
    audio = b"".join(recording_bytes("wav", 2 * _BASE64_BLOCK))
    canned_server.reply(
        "/app/api/7/call_recording",
        CannedReply(body=php_json(audio), headers={"Content-Type": "application/json"}),
    )
    with PbxClient(canned_server.url, "canned-key") as client:
        path = client.download_recording(UUID, out / "call")
    assert path.read_bytes() == audio


def test_base64_with_a_bad_ending_is_refused(canned_server: CannedServer, out: Path) -> None:
    text = base64.b64encode(b"".join(recording_bytes("wav", 100_000))).decode()[:-1]
    canned_server.reply(
        "/app/api/7/call_recording", CannedReply(body=json.dumps({"data": text}).encode())
    )
    with (
        PbxClient(canned_server.url, "canned-key") as client,
        pytest.raises(UnexpectedReply, match="cannot read"),
    ):
        client.download_recording(UUID, out / "call")
    assert list(out.iterdir()) == []


def test_a_recording_json_over_the_limit_is_refused(simulator: PbxSimulator, out: Path) -> None:
    simulator.set_fault(
        "oversize", endpoint="call_recording", size_mb=MAX_RECORDING_JSON / 1e6 + 20
    )
    with (
        PbxClient(simulator.server_url, simulator.key) as client,
        pytest.raises(UnexpectedReply) as caught,
    ):
        client.download_recording(UUID, out / "call")
    assert caught.value.sentence == (
        "The PBX sent a recording reply of more than 100 MB, which A1 Dialer does not read: "
        "tell your admin."
    )
    assert caught.value.details.startswith('HTTP 200: {"status": "success"')
    assert not last_reply(simulator).finished
    assert list(out.iterdir()) == []


def test_a_huge_json_that_is_no_recording_is_not_parsed(
    canned_server: CannedServer, out: Path
) -> None:
    # 3 MB of numbers would make millions of Python objects: it is no recording reply.
    body = b'{"status": "success", "list": [' + b"0," * 1_500_000 + b"0]}"
    canned_server.reply("/app/api/7/call_recording", CannedReply(body=body))
    with (
        PbxClient(canned_server.url, "canned-key") as client,
        pytest.raises(NotAvailable),
    ):
        client.download_recording(UUID, out / "call")
    assert list(out.iterdir()) == []
