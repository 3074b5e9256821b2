"""The bundled A1PBX simulator, seen by a plain HTTP client (requests), as a real server would be.

It is part of the product (demo, training, tests), so its documented behaviour is tested here:
key check modes, both spellings, held originates, magic numbers, JSON modes, recordings, Range and
every fault kind.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from a1dialer.pbx.causes import cause_sentence
from a1dialer.pbx.sim_audio import MP3_FRAME_SECONDS
from a1dialer.pbx.sim_cli import add_arguments
from a1dialer.pbx.simulator import (
    API_PREFIX,
    FAULT_KINDS,
    MAGIC_DESTINATIONS,
    MAGIC_EXTENSIONS,
    PbxSimulator,
    SentReply,
)
from tests.conftest import NEEDS_SOUNDFILE

TABLE = {
    "src": "1007",
    "dest": "12085551234",
    "src_cid_name": "Jane Roe",
    "src_cid_number": "12085551234",
    "dst_cid_name": "Acme Sales",
    "des_cid_number": "12085550100",
}
EXAMPLE = {
    "source": "1007",
    "destination": "12085551234",
    "src_cid_name": "Jane Roe",
    "src_cid_number": "12085551234",
    "dest_cid_name": "Acme Sales",
    "dest_cid_number": "12085550100",
}
UUID = "0f7c2a5e-3b1d-4c8e-9a6f-2d4b8e1c7a90"
DRIP_DELAY = 0.002
OVERSIZE_MB = 0.5


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def get(sim: PbxSimulator, endpoint: str, **params: str) -> Reply:
    """One GET, redirects not followed, the response read whole and closed."""
    headers = {"Range": params.pop("range")} if "range" in params else None
    with requests.get(
        sim.base_url + endpoint,
        params=params,
        headers=headers,
        allow_redirects=False,
        timeout=10,
    ) as response:
        return Reply(response.status_code, dict(response.headers), response.content)


def originate(sim: PbxSimulator, **extra: str) -> Reply:
    return get(sim, "originate", key=sim.key, **{**TABLE, **extra})


def recording(sim: PbxSimulator, uuid: str = UUID, **extra: str) -> Reply:
    return get(sim, "call_recording", key=sim.key, uuid=uuid, **extra)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- key check ------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["originate", "call_recording"])
@pytest.mark.parametrize("key", ["", "wrong-key-123"])
def test_wrong_key_gets_401(simulator: PbxSimulator, endpoint: str, key: str) -> None:
    reply = get(simulator, endpoint, key=key, uuid=UUID, **TABLE)
    assert reply.status == 401
    assert reply.text == "access denied"
    assert "Location" not in reply.headers


def test_wrong_key_in_302_mode_redirects_to_the_login_page(simulator: PbxSimulator) -> None:
    simulator.auth_mode = "302"
    reply = get(simulator, "originate", key="wrong-key-123", **TABLE)
    assert reply.status == 302
    assert reply.headers["Location"] == f"/?path={API_PREFIX}originate"
    with requests.get(simulator.server_url + reply.headers["Location"], timeout=5) as page:
        assert page.status_code == 200
        assert "type='password'" in page.text
    assert [r.endpoint for r in simulator.requests] == ["originate", "/"]


def test_wrong_key_in_html200_mode_gets_the_login_page(simulator: PbxSimulator) -> None:
    simulator.auth_mode = "html200"
    reply = get(simulator, "originate", key="wrong-key-123", **TABLE)
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert "<title>A1PBX - Login</title>" in reply.text


@pytest.mark.parametrize("auth_mode", ["401", "302", "html200"])
def test_right_key_is_accepted_in_every_auth_mode(simulator: PbxSimulator, auth_mode: str) -> None:
    simulator.auth_mode = auth_mode
    reply = originate(simulator, origination_uuid=UUID)
    assert (reply.status, reply.text) == (200, f"+OK {UUID}\n")


# -- originate ------------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [TABLE, EXAMPLE], ids=["table", "example"])
def test_both_spellings_are_accepted(simulator: PbxSimulator, names: dict[str, str]) -> None:
    reply = get(simulator, "originate", key=simulator.key, origination_uuid=UUID, **names)
    assert reply.text == f"+OK {UUID}\n"
    assert simulator.originates[0]["origination_uuid"] == UUID


def test_without_our_uuid_the_simulator_makes_one(simulator: PbxSimulator) -> None:
    reply = originate(simulator)
    assert re.fullmatch(r"\+OK [0-9a-f-]{36}\n", reply.text)


@pytest.mark.parametrize(
    "missing",
    [
        ("src", "source"),
        ("dest", "destination"),
        ("src_cid_number",),
        ("des_cid_number", "dest_cid_number"),
    ],
    ids=lambda names: names[0],
)
def test_missing_required_parameter(simulator: PbxSimulator, missing: tuple[str, ...]) -> None:
    params = {name: value for name, value in {**TABLE, **EXAMPLE}.items() if name not in missing}
    reply = get(simulator, "originate", key=simulator.key, **params)
    assert reply.text == "-ERR MANDATORY_IE_MISSING\n"


def test_answer_delay_holds_the_originate(simulator: PbxSimulator) -> None:
    simulator.answer_delay = 0.6
    start = time.monotonic()
    held = originate(simulator, auto_answer="false")
    held_for = time.monotonic() - start
    start = time.monotonic()
    instant = originate(simulator, auto_answer="true")
    instant_for = time.monotonic() - start
    assert held.text.startswith("+OK")
    assert instant.text.startswith("+OK")
    assert held_for >= 0.6
    assert instant_for < 0.3


def test_stop_releases_a_held_originate() -> None:
    sim = PbxSimulator("held-key-123", answer_delay=30.0).start()
    outcome: list[object] = []

    def place() -> None:
        try:
            outcome.append(originate(sim).status)
        except requests.RequestException as exc:
            outcome.append(exc)

    caller = threading.Thread(target=place)
    try:
        caller.start()
        assert sim.wait_for_requests(1)
        start = time.monotonic()
        sim.stop()
        caller.join(timeout=2.0)
        assert not caller.is_alive()
        assert time.monotonic() - start < 2.0
    finally:
        sim.stop()
        caller.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], requests.ConnectionError)


@pytest.mark.parametrize(("suffix", "cause"), sorted(MAGIC_DESTINATIONS.items()))
def test_magic_destination(simulator: PbxSimulator, suffix: str, cause: str) -> None:
    reply = originate(simulator, dest="+1208" + suffix, destination="+1208" + suffix, rec="true")
    assert reply.text == f"-ERR {cause}\n"
    simulator.end_all_calls()
    assert recording(simulator).status == 404  # a failed call leaves no recording


@pytest.mark.parametrize(("extension", "cause"), sorted(MAGIC_EXTENSIONS.items()))
def test_magic_extension(simulator: PbxSimulator, extension: str, cause: str) -> None:
    reply = originate(simulator, src=extension, source=extension)
    assert reply.text == f"-ERR {cause}\n"


def test_unanswered_phones_ring_out_even_with_auto_answer(simulator: PbxSimulator) -> None:
    simulator.answer_delay = 0.3
    start = time.monotonic()
    no_answer = originate(simulator, dest="12085550102", auto_answer="true")
    rang_for = time.monotonic() - start
    start = time.monotonic()
    busy = originate(simulator, dest="12085550101", auto_answer="false")
    busy_for = time.monotonic() - start
    assert no_answer.text == "-ERR NO_ANSWER\n"
    assert rang_for >= 0.3
    assert busy.text == "-ERR USER_BUSY\n"
    assert busy_for < 0.25  # a busy line answers at once, without the ring time


def test_other_numbers_succeed(simulator: PbxSimulator) -> None:
    # As on a real PBX, a wrong destination still gives +OK: only the magic suffixes fail.
    assert originate(simulator, dest="999").text.startswith("+OK")


@pytest.mark.parametrize(
    ("reply_mode", "ok", "error"),
    [
        (
            "json",
            {"success": True, "call_uuid": UUID},
            {"status": "error", "message": "-ERR USER_BUSY"},
        ),
        (
            "json-code",
            {"code": 0, "message": f"+OK {UUID}"},
            {"code": 1, "message": "-ERR USER_BUSY"},
        ),
        (
            "json-status",
            {"status": "success", "uuid": UUID},
            {"status": "error", "message": "-ERR USER_BUSY"},
        ),
    ],
)
def test_json_reply_modes(
    simulator: PbxSimulator, reply_mode: str, ok: dict[str, object], error: dict[str, object]
) -> None:
    simulator.reply_mode = reply_mode
    accepted = originate(simulator, origination_uuid=UUID)
    busy = originate(simulator, dest="12085550101", origination_uuid=UUID)
    assert accepted.headers["Content-Type"] == "application/json"
    assert json.loads(accepted.body) == ok
    assert json.loads(busy.body) == error


def test_requests_and_originates_are_recorded(simulator: PbxSimulator) -> None:
    originate(simulator, origination_uuid=UUID, rec="true")
    recording(simulator)
    assert [r.endpoint for r in simulator.requests] == ["originate", "call_recording"]
    assert simulator.originates[0]["dest"] == TABLE["dest"]
    assert simulator.originates[0]["rec"] == "true"
    assert simulator.requests[1].params["uuid"] == [UUID]
    assert "User-Agent" in simulator.requests[0].headers
    assert simulator.wait_for_requests(2, timeout=0.1)
    assert not simulator.wait_for_requests(3, timeout=0.1)


def test_unknown_paths(simulator: PbxSimulator) -> None:
    assert get(simulator, "hangup", key=simulator.key).status == 404
    with requests.get(simulator.server_url + "/other", timeout=5) as page:
        assert page.status_code == 404
    with requests.post(simulator.base_url + "originate", timeout=5) as post:
        assert post.status_code == 405


# -- recordings -----------------------------------------------------------------------------------


def test_recording_lifecycle(simulator: PbxSimulator) -> None:
    simulator.call_duration = 600.0
    simulator.recording_delay = 600.0
    assert recording(simulator).status == 404  # no such call
    originate(simulator, origination_uuid=UUID, rec="true", auto_answer="true")
    before = recording(simulator)
    assert (before.status, before.body) == (200, b"")  # the call has not ended yet
    simulator.end_all_calls()
    after = recording(simulator)
    assert after.status == 200
    assert after.headers["Content-Type"] == "audio/x-wav"
    assert after.body[:4] == b"RIFF"
    assert int(after.headers["Content-Length"]) == len(after.body)
    assert f'filename="{UUID}.wav"' in after.headers["Content-Disposition"]


def test_recording_appears_when_the_call_ends() -> None:
    with PbxSimulator(
        "timed-key-123", answer_delay=0.0, call_duration=0.2, recording_delay=0.1
    ) as s:
        originate(s, origination_uuid=UUID, rec="true", auto_answer="true")
        placed = time.monotonic()
        assert recording(s).body == b""
        while recording(s).body == b"":
            assert time.monotonic() - placed < 3.0
            time.sleep(0.05)  # polling a clock-driven state: there is no event to wait for
        assert time.monotonic() - placed >= 0.3


def test_unrecorded_call_has_no_recording(simulator: PbxSimulator) -> None:
    originate(simulator, origination_uuid=UUID, rec="false")
    simulator.end_all_calls()
    assert recording(simulator).status == 404


def test_missing_uuid_is_a_json_error(simulator: PbxSimulator) -> None:
    reply = get(simulator, "call_recording", key=simulator.key)
    assert reply.status == 400
    assert json.loads(reply.body)["status"] == "error"


def test_mp3_recording_format(simulator: PbxSimulator) -> None:
    simulator.recording_format = "mp3"
    originate(simulator, origination_uuid=UUID, rec="true")
    reply = recording(simulator)
    assert reply.headers["Content-Type"] == "audio/mpeg"
    assert reply.body[:3] == b"ID3"
    # The ID3 tag's size is "syncsafe" (7 bits a byte); the first MPEG frame follows it.
    tag_size = 10 + sum(byte << (7 * (3 - i)) for i, byte in enumerate(reply.body[6:10]))
    assert reply.body[tag_size] == 0xFF
    assert reply.body[tag_size + 1] & 0xE0 == 0xE0


@pytest.mark.parametrize(
    ("fmt", "codec", "seconds"),
    [
        ("wav", "pcm_s16le", 3.0),
        ("mp3", "mp3", 3.0),
        pytest.param("ogg", "vorbis", 3.0, marks=NEEDS_SOUNDFILE),
    ],
)
def test_recordings_decode_with_the_expected_duration(
    simulator: PbxSimulator, tmp_path: Path, fmt: str, codec: str, seconds: float
) -> None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe (FFmpeg) is not installed: cannot decode the recordings")
    simulator.add_recording(UUID, seconds=seconds, fmt=fmt)
    path = tmp_path / f"rec.{fmt}"
    path.write_bytes(recording(simulator).body)
    probe = subprocess.run(
        [
            ffprobe,
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=codec_name,nb_read_frames:format=duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert probe.stderr == ""  # no decoding errors
    info = json.loads(probe.stdout)
    assert info["streams"][0]["codec_name"] == codec
    assert int(info["streams"][0]["nb_read_frames"]) > 0
    assert float(info["format"]["duration"]) == pytest.approx(seconds, abs=MP3_FRAME_SECONDS)


def test_add_recording_by_size(simulator: PbxSimulator) -> None:
    simulator.add_recording("sized", size=100_000)
    simulator.add_recording("sized-mp3", size=100_000, fmt="mp3")
    assert abs(len(recording(simulator, "sized").body) - 100_000) < 2
    assert 100_000 - 417 < len(recording(simulator, "sized-mp3").body) <= 100_000


@pytest.mark.parametrize("mode", ["json-url", "json-base64"])
def test_json_recording_modes(simulator: PbxSimulator, mode: str) -> None:
    simulator.add_recording(UUID, seconds=1)
    audio = recording(simulator).body
    simulator.recording_mode = mode
    reply = recording(simulator)
    payload = json.loads(reply.body)
    assert payload["status"] == "success"
    if mode == "json-url":
        assert payload["url"] == f"{simulator.server_url}/recordings/{UUID}.wav"
        with requests.get(payload["url"], timeout=5) as linked:  # pre-signed: no key needed
            assert linked.content == audio
    else:
        assert payload["filename"] == f"{UUID}.wav"
        assert base64.b64decode(payload["data"]) == audio


# -- HTTP Range -----------------------------------------------------------------------------------


@pytest.fixture
def full(simulator: PbxSimulator) -> bytes:
    simulator.add_recording(UUID, seconds=2)
    return recording(simulator).body


def test_range_gives_206(simulator: PbxSimulator, full: bytes) -> None:
    total = len(full)
    part = recording(simulator, range="bytes=10-19")
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 10-19/{total}"
    assert part.body == full[10:20]
    rest = recording(simulator, range="bytes=1000-")
    assert rest.status == 206
    assert rest.headers["Content-Range"] == f"bytes 1000-{total - 1}/{total}"
    assert rest.body == full[1000:]
    assert recording(simulator).headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("wanted", ["bytes={total}-", "bytes=50-10", "bytes=x-"])
def test_unsatisfiable_range_gives_416(simulator: PbxSimulator, full: bytes, wanted: str) -> None:
    reply = recording(simulator, range=wanted.format(total=len(full)))
    assert reply.status == 416
    assert reply.headers["Content-Range"] == f"bytes */{len(full)}"


def test_without_range_support_the_whole_file_comes(simulator: PbxSimulator, full: bytes) -> None:
    simulator.range_support = False
    reply = recording(simulator, range="bytes=10-19")
    assert reply.status == 200
    assert reply.body == full
    assert "Accept-Ranges" not in reply.headers


# -- faults ---------------------------------------------------------------------------------------


def check_fault(sim: PbxSimulator, kind: str) -> None:
    """Assert what one request to the faulty simulator gets for fault ``kind``."""
    if kind == "reset":
        with pytest.raises(requests.ConnectionError):
            recording(sim)
        return
    if kind == "truncate":
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            recording(sim)
        return
    if kind == "drop":
        # The request is taken, then the line closes without a single byte of reply.
        with pytest.raises(requests.ConnectionError, match="without response"):
            recording(sim)
        assert sim.wait_for_replies(1)
        assert sim.sent_replies[-1] == SentReply("call_recording", "drop", 0, True)
        return
    if kind in ("drip", "drip-body"):
        check_drip(sim, kind)
        return
    reply = recording(sim)
    content_type = reply.headers.get("Content-Type", "")
    if kind == "delay":
        assert reply.body[:4] == b"RIFF"  # then the normal reply
    elif kind == "html500":
        assert reply.status == 500
        assert content_type.startswith("text/html")
    elif kind == "html200":
        assert reply.status == 200
        assert "type='password'" in reply.text
    elif kind == "garbage":
        assert reply.status == 200
        assert content_type == "application/octet-stream"
        with pytest.raises(UnicodeDecodeError):
            reply.body.decode("utf-8")
        assert reply.body[:4] != b"RIFF"
    elif kind == "empty":
        assert (reply.status, reply.body) == (200, b"")
    elif kind == "http404":
        assert reply.status == 404
        assert content_type.startswith("text/html")
    elif kind == "json-error":
        assert reply.status == 200
        assert json.loads(reply.body) == {"status": "error", "message": "Simulated server error"}
    elif kind == "access-denied":
        assert (reply.status, reply.text) == (200, "access denied")
    elif kind == "oversize":
        # A base64 JSON recording of about the fault's size, made on the fly.
        assert reply.status == 200
        assert int(reply.headers["Content-Length"]) == len(reply.body)
        assert abs(len(reply.body) - OVERSIZE_MB * 1_000_000) < 200
        audio = base64.b64decode(json.loads(reply.body)["data"])
        assert audio[:4] == b"RIFF"
        assert len(audio) == int(OVERSIZE_MB * 1_000_000) * 3 // 4
    else:
        raise AssertionError(f"no check for fault {kind}")


def check_drip(sim: PbxSimulator, kind: str) -> None:
    """A dripped reply is the normal reply, one byte every DRIP_DELAY (the headers too for drip)."""
    start = time.monotonic()
    reply = recording(sim, uuid="no-such-call")
    elapsed = time.monotonic() - start
    assert reply.status == 404
    assert json.loads(reply.body) == {"status": "error", "message": "recording not found"}
    assert sim.wait_for_replies(1)
    sent = sim.sent_replies[-1]
    assert (sent.endpoint, sent.fault, sent.finished) == ("call_recording", kind, True)
    dripped = sent.sent if kind == "drip" else len(reply.body)
    assert sent.sent > len(reply.body)
    assert elapsed >= dripped * DRIP_DELAY


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_each_fault_then_back_to_normal(simulator: PbxSimulator, kind: str) -> None:
    simulator.add_recording(UUID, size=300_000)
    delay = DRIP_DELAY if kind.startswith("drip") else 0.3
    simulator.set_fault(kind, count=1, delay=delay, size_mb=OVERSIZE_MB)
    start = time.monotonic()
    check_fault(simulator, kind)
    if kind == "delay":
        assert time.monotonic() - start >= 0.3
    normal = recording(simulator)  # count=1: only one request misbehaves
    assert normal.status == 200
    assert len(normal.body) == 300_000


def test_fault_without_count_lasts_until_cleared(simulator: PbxSimulator) -> None:
    simulator.set_fault("html500")
    assert recording(simulator).status == 500
    assert originate(simulator).status == 500
    simulator.clear_fault()
    assert originate(simulator).text.startswith("+OK")


def test_fault_limited_to_one_endpoint(simulator: PbxSimulator) -> None:
    simulator.set_fault("empty", endpoint="call_recording")
    assert originate(simulator).text.startswith("+OK")
    assert recording(simulator).body == b""


def test_delay_fault_on_originate(simulator: PbxSimulator) -> None:
    simulator.set_fault("delay", count=1, delay=0.3)
    start = time.monotonic()
    assert originate(simulator).text.startswith("+OK")
    assert time.monotonic() - start >= 0.3


def test_unknown_fault_is_refused(simulator: PbxSimulator) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        simulator.set_fault("explode")


# -- binding and the command line -----------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "pbx.example.com"])  # noqa: S104
def test_non_loopback_host_needs_allow_remote(host: str) -> None:
    with pytest.raises(ValueError, match="allow_remote"):
        PbxSimulator(host=host)
    assert PbxSimulator(host=host, allow_remote=True).host == host  # constructed, not started


def test_localhost_is_loopback() -> None:
    with PbxSimulator(host="localhost") as sim:
        assert sim.server_url.startswith("http://localhost:")


@pytest.fixture
def cli_simulator() -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "a1dialer",
            "simulator",
            "--port",
            str(port),
            "--key",
            "cli-sim-key-123",
            "--answer-delay",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline()
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_command_line_simulator(cli_simulator: tuple[subprocess.Popen[str], str]) -> None:
    process, line = cli_simulator
    found = re.match(
        r"A1PBX simulator on (http://127\.0\.0\.1:(\d+)) \(key: cli-sim-key-123\)", line
    )
    assert found, line
    with requests.get(
        found.group(1) + API_PREFIX + "originate",
        params={"key": "cli-sim-key-123", "origination_uuid": UUID, **TABLE},
        timeout=10,
    ) as reply:
        assert reply.text == f"+OK {UUID}\n"
    assert process.poll() is None


# -- its documentation ----------------------------------------------------------------------------


def test_docs_list_every_magic_number_fault_and_option() -> None:
    text = (Path(__file__).parents[3] / "docs" / "simulator.md").read_text(encoding="utf-8")
    for suffix, cause in MAGIC_DESTINATIONS.items():
        assert f"| `{suffix}` | `{cause}` | {cause_sentence(cause, '1007')} |" in text
    for extension, cause in MAGIC_EXTENSIONS.items():
        assert f"| `{extension}` | `{cause}` | {cause_sentence(cause, extension)} |" in text
    for kind in FAULT_KINDS:
        assert f"| `{kind}` |" in text
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    options = [o for a in parser._actions for o in a.option_strings if o.startswith("--")]
    assert len(options) > 10
    for option in options:
        assert f"`{option}" in text or option == "--help", option
