"""Recording downloads over real HTTP against the simulator: formats, reply shapes, resume, cancel.

A download either leaves one complete audio file (suffix from its bytes) or nothing at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import socket
import traceback
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests

from a1dialer.core.call_options import CallOptions
from a1dialer.core.errors import (
    AuthRejected,
    BadInput,
    Cancelled,
    DialerError,
    LocalProblem,
    NetworkFailure,
    NotAvailable,
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.pbx.client import CallRequest, PbxClient
from a1dialer.pbx.recording_download import MAX_RESUMES
from a1dialer.pbx.sim_audio import recording_bytes, recording_size
from a1dialer.pbx.simulator import PbxSimulator
from tests.conftest import NEEDS_SOUNDFILE, CannedReply, CannedServer

BIG = 4_000_000  # a few 1 MiB chunks, so resume and cancel happen mid-file


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for downloads, so "no file left" can be checked exactly."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def reference_bytes(sim: PbxSimulator, uuid: str) -> bytes:
    """The recording as a plain HTTP client gets it in one go, to compare downloads with."""
    with requests.get(
        sim.base_url + "call_recording", params={"key": sim.key, "uuid": uuid}, timeout=10
    ) as response:
        assert response.status_code == 200
        return response.content


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recording_requests(sim: PbxSimulator) -> list[dict[str, str]]:
    return [r.headers for r in sim.requests if r.endpoint == "call_recording"]


# -- formats and reply shapes ---------------------------------------------------------------------


def test_wav_bytes(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("call-wav", seconds=2)
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording("call-wav", out / "call-wav")
    assert path == out / "call-wav.wav"
    data = path.read_bytes()
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WAVE"
    assert data == reference_bytes(simulator, "call-wav")
    assert sorted(out.iterdir()) == [path]


def test_mp3_bytes_from_a_recorded_call(simulator: PbxSimulator, out: Path) -> None:
    simulator.recording_format = "mp3"
    call = CallRequest(
        "12085551234", "1007", "12085550100", options=CallOptions(auto_answer=True, record=True)
    )
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(call)
        path = client.download_recording(call.uuid, out / call.uuid)
    assert path.suffix == ".mp3"
    assert path.read_bytes()[:3] == b"ID3"
    assert path.read_bytes() == reference_bytes(simulator, call.uuid)


@pytest.mark.parametrize(
    ("fmt", "asked", "saved"),
    [
        ("wav", "call.mp3", "call.wav"),
        ("mp3", "call.wav", "call.mp3"),
        ("mp3", "call", "call.mp3"),
        pytest.param("ogg", "call.wav", "call.ogg", marks=NEEDS_SOUNDFILE),
        # A name with dots that are not an audio suffix keeps them.
        ("wav", "Jane Roe 2024.05.01", "Jane Roe 2024.05.01.wav"),
    ],
)
def test_suffix_comes_from_the_audio_bytes(
    simulator: PbxSimulator, out: Path, fmt: str, asked: str, saved: str
) -> None:
    simulator.add_recording("sniffed", seconds=1, fmt=fmt)
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording("sniffed", out / asked)
    assert path == out / saved
    assert [p.name for p in out.iterdir()] == [saved]


def test_json_url_mode_follows_the_link_without_the_key(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("linked", size=BIG)
    expected = digest(reference_bytes(simulator, "linked"))
    simulator.recording_mode = "json-url"
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording("linked", out / "linked")
    assert path.suffix == ".wav"
    assert digest(path.read_bytes()) == expected
    followed = simulator.requests[-1]
    assert followed.endpoint == "/recordings/linked.wav"
    assert "key" not in followed.params


@pytest.mark.parametrize("fmt", ["wav", "mp3"])
def test_json_base64_mode(simulator: PbxSimulator, out: Path, fmt: str) -> None:
    simulator.add_recording("inline", seconds=3, fmt=fmt)
    expected = reference_bytes(simulator, "inline")
    simulator.recording_mode = "json-base64"
    seen: list[tuple[int, int | None]] = []
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording(
            "inline", out / "inline", progress=lambda n, total: seen.append((n, total))
        )
    assert path == out / f"inline.{fmt}"
    assert path.read_bytes() == expected
    assert seen[-1] == (len(expected), len(expected))


# -- not there (yet) ------------------------------------------------------------------------------


def test_recording_appears_only_after_the_call_ends(simulator: PbxSimulator, out: Path) -> None:
    simulator.call_duration = 600.0
    simulator.recording_delay = 600.0
    call = CallRequest(
        "12085551234", "1007", "12085550100", options=CallOptions(auto_answer=True, record=True)
    )
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(call)
        with pytest.raises(NotAvailable) as caught:
            client.download_recording(call.uuid, out / "early")
        assert "appears a little after the call ends" in caught.value.sentence
        assert list(out.iterdir()) == []
        simulator.end_all_calls()
        path = client.download_recording(call.uuid, out / "later")
    assert path == out / "later.wav"
    assert list(out.iterdir()) == [path]


def test_unknown_call_has_no_recording(simulator: PbxSimulator, out: Path) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(NotAvailable):
        client.download_recording("5b4e1f0c-0000-4000-8000-000000000000", out / "nothing")
    assert list(out.iterdir()) == []


def test_unrecorded_call_has_no_recording(simulator: PbxSimulator, out: Path) -> None:
    call = CallRequest("12085551234", "1007", "12085550100", options=CallOptions(auto_answer=True))
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.originate(call)
        simulator.end_all_calls()
        with pytest.raises(NotAvailable):
            client.download_recording(call.uuid, out / "unrecorded")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("garbage", NotAvailable),
        ("empty", NotAvailable),
        ("http404", NotAvailable),
        ("json-error", NotAvailable),
        ("html200", AuthRejected),  # the login page: not signed in
        ("access-denied", AuthRejected),
        ("html500", PbxRefused),
    ],
)
def test_a_body_that_is_not_audio_leaves_no_file(
    simulator: PbxSimulator, out: Path, fault: str, error: type[DialerError]
) -> None:
    simulator.add_recording("faulty", size=BIG)
    simulator.set_fault(fault, count=1)
    with PbxClient(simulator.server_url, simulator.key) as client:
        with pytest.raises(DialerError) as caught:
            client.download_recording("faulty", out / "faulty")
        assert type(caught.value) is error, caught.value.details
        assert list(out.iterdir()) == []
        # The fault is over: the next try gets the recording.
        assert client.download_recording("faulty", out / "faulty").suffix == ".wav"


@pytest.mark.parametrize("call_id", ["", "   ", "a b", "tab\there", "x" * 101])
def test_a_bad_call_id_is_bad_input(simulator: PbxSimulator, out: Path, call_id: str) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(BadInput):
        client.download_recording(call_id, out / "bad")
    assert simulator.requests == []
    assert list(out.iterdir()) == []


# -- broken connections, progress, cancel ---------------------------------------------------------


def test_truncated_download_is_resumed_with_range(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("resumed", size=BIG)
    expected = digest(reference_bytes(simulator, "resumed"))
    simulator.set_fault("truncate", count=1, endpoint="call_recording")
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording("resumed", out / "resumed")
    assert digest(path.read_bytes()) == expected
    assert list(out.iterdir()) == [path]
    ranges = [headers.get("Range", "") for headers in recording_requests(simulator)]
    # The clean reference download, the truncated one, then one resumed from an offset.
    assert ranges[:2] == ["", ""]
    assert len(ranges) == 3
    assert ranges[2].startswith("bytes=")
    assert int(ranges[2][6:].rstrip("-")) > 0


def test_truncated_download_restarts_when_the_server_ignores_range(
    simulator: PbxSimulator, out: Path
) -> None:
    simulator.range_support = False
    simulator.add_recording("restarted", size=BIG)
    expected = digest(reference_bytes(simulator, "restarted"))
    simulator.set_fault("truncate", count=1, endpoint="call_recording")
    seen: list[int] = []
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording(
            "restarted", out / "restarted", progress=lambda n, total: seen.append(n)
        )
    assert digest(path.read_bytes()) == expected
    assert len(recording_requests(simulator)) == 3  # reference, truncated, full restart
    assert seen[-1] == BIG - BIG % 2  # the size of the whole file, counted once


def test_progress_increases_to_the_total(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("progress", size=BIG)
    seen: list[tuple[int, int | None]] = []
    with PbxClient(simulator.server_url, simulator.key) as client:
        path = client.download_recording(
            "progress", out / "progress", progress=lambda n, total: seen.append((n, total))
        )
    size = path.stat().st_size
    assert len(seen) >= 2
    received = [n for n, _ in seen]
    assert received == sorted(set(received))  # strictly increasing
    assert {total for _, total in seen} == {size}
    assert seen[-1] == (size, size)


def test_cancel_leaves_no_file_at_all(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("cancelled", size=BIG)
    seen: list[int] = []
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(Cancelled):
        client.download_recording(
            "cancelled",
            out / "cancelled",
            progress=lambda n, total: seen.append(n),
            cancelled=lambda: bool(seen),
        )
    assert len(seen) == 1
    assert seen[0] < BIG
    assert list(out.iterdir()) == []  # neither the file nor its .part


def test_every_request_asks_for_the_bytes_unencoded(simulator: PbxSimulator, out: Path) -> None:
    # Byte ranges count the file's own bytes, so a compressed reply could not be resumed.
    simulator.add_recording("plain", seconds=1)
    with PbxClient(simulator.server_url, simulator.key) as client:
        client.download_recording("plain", out / "plain")
    (headers,) = recording_requests(simulator)
    assert headers["Accept-Encoding"] == "identity"


def test_a_connection_that_keeps_breaking_gives_up(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("flaky", size=BIG)
    simulator.set_fault("truncate", endpoint="call_recording")  # every reply is cut short
    seen: list[int] = []
    with (
        PbxClient(simulator.server_url, simulator.key) as client,
        pytest.raises(NetworkFailure) as caught,
    ):
        client.download_recording("flaky", out / "flaky", progress=lambda n, t: seen.append(n))
    assert "kept breaking" in caught.value.sentence
    assert len(recording_requests(simulator)) == 1 + MAX_RESUMES
    assert seen == sorted(seen)  # every resume went on from where the last one stopped
    assert list(out.iterdir()) == []


def test_cancelled_before_it_starts_sends_nothing(simulator: PbxSimulator, out: Path) -> None:
    with PbxClient(simulator.server_url, simulator.key) as client, pytest.raises(Cancelled):
        client.download_recording("any", out / "any", cancelled=lambda: True)
    assert simulator.requests == []
    assert list(out.iterdir()) == []


def test_a_missing_folder_is_a_local_problem(simulator: PbxSimulator, out: Path) -> None:
    simulator.add_recording("homeless", seconds=1)
    with (
        PbxClient(simulator.server_url, simulator.key) as client,
        pytest.raises(LocalProblem) as caught,
    ):
        client.download_recording("homeless", out / "no-such-folder" / "homeless")
    assert "no-such-folder" in caught.value.sentence
    assert list(out.iterdir()) == []


def test_a_wrong_key_on_a_recording_is_rejected_without_following(
    simulator: PbxSimulator, out: Path
) -> None:
    simulator.auth_mode = "302"
    simulator.add_recording("guarded", seconds=1)
    with (
        PbxClient(simulator.server_url, "wrong-recording-key") as client,
        pytest.raises(AuthRejected),
    ):
        client.download_recording("guarded", out / "guarded")
    assert [request.endpoint for request in simulator.requests] == ["call_recording"]
    assert list(out.iterdir()) == []


# -- replies the simulator does not make ---------------------------------------------------------

RECORDING_PATH = "/app/api/7/call_recording"


def wav(size: int = 200_000) -> bytes:
    total = recording_size("wav", size=size)
    return b"".join(recording_bytes("wav", total))


def test_a_relative_link_is_followed_on_the_same_server_without_the_key(
    canned_server: CannedServer, out: Path
) -> None:
    audio = wav()
    canned_server.reply(RECORDING_PATH, CannedReply(body=b'{"url": "/files/rec-1.wav"}'))
    canned_server.reply("/files/rec-1.wav", CannedReply(body=audio))
    with PbxClient(canned_server.url, "linked-recording-key") as client:
        path = client.download_recording("rec-1", out / "rec-1")
    assert path.read_bytes() == audio
    first, followed = canned_server.requests
    assert parse_qs(first.query)["key"] == ["linked-recording-key"]
    assert followed.path == "/files/rec-1.wav"
    assert followed.query == ""


@pytest.mark.usefixtures("canned_server")
@pytest.mark.parametrize(
    "link", ["http://recordings.example.com/rec-2.wav", "ftp://127.0.0.1/rec-2.wav"]
)
def test_an_insecure_link_is_not_followed(
    canned_server: CannedServer, out: Path, link: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    canned_server.reply(RECORDING_PATH, CannedReply(body=json.dumps({"url": link}).encode()))
    with PbxClient(canned_server.url, "insecure-link-key") as client:
        real_connect = socket.socket.connect
        connected: list[object] = []

        def connect(sock: socket.socket, address: object) -> None:
            connected.append(address)
            real_connect(sock, address)  # type: ignore[arg-type]

        monkeypatch.setattr(socket.socket, "connect", connect)
        with pytest.raises(UnexpectedReply) as caught:
            client.download_recording("rec-2", out / "rec-2")
    assert "insecure link" in caught.value.sentence
    assert len(canned_server.requests) == 1
    assert all(address[0] == "127.0.0.1" for address in connected)  # type: ignore[index]
    assert list(out.iterdir()) == []


def test_a_resume_at_the_wrong_offset_is_refused(canned_server: CannedServer, out: Path) -> None:
    audio = wav(BIG)
    half = len(audio) // 2
    canned_server.reply(
        RECORDING_PATH,
        CannedReply(body=audio, headers={"Accept-Ranges": "bytes"}, cut_after=half),
        # The server answers the Range request from byte 0: appending it would corrupt the file.
        CannedReply(
            206,
            audio,
            headers={"Content-Range": f"bytes 0-{len(audio) - 1}/{len(audio)}"},
        ),
    )
    with (
        PbxClient(canned_server.url, "bad-range-key") as client,
        pytest.raises(UnexpectedReply) as caught,
    ):
        client.download_recording("rec-3", out / "rec-3")
    assert "could not resume" in caught.value.sentence
    assert canned_server.requests[1].headers["Range"].startswith("bytes=")
    assert list(out.iterdir()) == []


def test_base64_that_is_not_audio_is_no_recording(canned_server: CannedServer, out: Path) -> None:
    payload = {"status": "success", "data": base64.b64encode(b"<html>nope</html>").decode()}
    canned_server.reply(RECORDING_PATH, CannedReply(body=json.dumps(payload).encode()))
    with PbxClient(canned_server.url, "b64-key-123") as client, pytest.raises(NotAvailable):
        client.download_recording("rec-4", out / "rec-4")
    assert list(out.iterdir()) == []


def test_audio_served_as_text_is_still_audio(canned_server: CannedServer, out: Path) -> None:
    # The type comes from the bytes: a misconfigured server's Content-Type does not matter.
    audio = wav()
    canned_server.reply(
        RECORDING_PATH, CannedReply(body=audio, headers={"Content-Type": "text/html"})
    )
    with PbxClient(canned_server.url, "mislabelled-key") as client:
        path = client.download_recording("rec-5", out / "rec-5")
    assert path.read_bytes() == audio


# -- the key is never shown, whatever goes wrong --------------------------------------------------

DOWNLOAD_FAILURES = [
    "garbage",
    "empty",
    "http404",
    "json-error",
    "html200",
    "access-denied",
    "html500",
    "reset",
    "flaky",
    "wrong-key",
    "down",
    "cancel",
]


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.mark.parametrize("failure", DOWNLOAD_FAILURES)
def test_key_never_shown_for_a_failed_download(
    simulator: PbxSimulator,
    out: Path,
    failure: str,
    closed_port: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Every logger, urllib3's request lines included (even if the app's setup quietened it).
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")
    key, url = simulator.key, simulator.server_url
    simulator.add_recording("secret-call", size=BIG)
    if failure == "flaky":
        simulator.set_fault("truncate")
    elif failure == "wrong-key":
        simulator.auth_mode = "302"
        key = "wrong-Zx81&q=+/%key"
    elif failure == "down":
        url = f"http://127.0.0.1:{closed_port}"
    elif failure != "cancel":
        simulator.set_fault(failure)
    with PbxClient(url, key) as client, pytest.raises(DialerError) as caught:
        client.download_recording(
            "secret-call", out / "secret-call", cancelled=lambda: failure == "cancel"
        )
    error = caught.value
    assert error.__context__ is None
    texts = [
        str(error),
        repr(error),
        error.details,
        "".join(traceback.format_exception(error)),
        caplog.text,
    ]
    for text in texts:
        for secret in (simulator.key, key):
            assert secret not in text
        assert not re.search(r"key=(?!\*\*\*)", text), text
    assert list(out.iterdir()) == []
