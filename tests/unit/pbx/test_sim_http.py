"""The simulator at the connection level: stop() ends every connection, TLS, methods, quiet errors.

Companion to ``test_simulator.py`` (which covers the API behaviour); same style, a plain HTTP
client against the running simulator.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from a1dialer.pbx.sim_audio import recording_duration, recording_size
from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator

KEY = "connection-test-key"
CALL = {
    "src": "1007",
    "dest": "12085551234",
    "src_cid_number": "12085551234",
    "des_cid_number": "12085550100",
}


def params(sim: PbxSimulator, **extra: str) -> dict[str, str]:
    return {"key": sim.key, **CALL, **extra}


def test_stop_also_ends_idle_keep_alive_connections() -> None:
    sim = PbxSimulator(KEY, answer_delay=0.0).start()
    try:
        with requests.Session() as session:
            first = session.get(sim.base_url + "originate", params=params(sim), timeout=5)
            assert first.text.startswith("+OK")
            sim.stop()
            with pytest.raises(requests.ConnectionError):
                session.get(first.url, timeout=5)
    finally:
        sim.stop()
    assert len(sim.originates) == 1  # nothing reached a stopped simulator


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_is_allowed(simulator: PbxSimulator, method: str) -> None:
    with requests.request(
        method, simulator.base_url + "originate", data=b"src=1007", timeout=5
    ) as reply:
        assert reply.status_code == 405
        assert reply.headers["Allow"] == "GET"


def test_no_answer_rings_out_even_with_auto_answer(simulator: PbxSimulator) -> None:
    simulator.answer_delay = 0.4
    suffix = next(s for s, cause in MAGIC_DESTINATIONS.items() if cause == "NO_ANSWER")
    start = time.monotonic()
    with requests.get(
        simulator.base_url + "originate",
        params=params(simulator, dest="1208" + suffix, auto_answer="true"),
        timeout=5,
    ) as reply:
        assert reply.text == "-ERR NO_ANSWER\n"
    assert time.monotonic() - start >= 0.4


def test_a_client_hanging_up_mid_reply_leaves_no_trace_on_stderr(
    simulator: PbxSimulator, capfd: pytest.CaptureFixture[str]
) -> None:
    simulator.set_fault("delay", count=1, delay=0.3, endpoint="call_recording")
    with pytest.raises(requests.Timeout):
        requests.get(
            simulator.base_url + "call_recording",
            params={"key": simulator.key, "uuid": "x"},
            timeout=0.05,
        )
    simulator.add_recording("long", size=20_000_000)
    with requests.get(
        simulator.base_url + "call_recording",
        params={"key": simulator.key, "uuid": "long"},
        stream=True,
        timeout=5,
    ) as reply:
        assert reply.raw.read(1000)[:4] == b"RIFF"  # then hang up with most of it unsent
    time.sleep(0.5)  # the delayed reply is written to the closed socket meanwhile
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("auth_mode", "403"),
        ("reply_mode", "xml"),
        ("recording_format", "flac"),
        ("recording_mode", "url"),
    ],
)
def test_unknown_modes_are_refused(option: str, value: str) -> None:
    with pytest.raises(ValueError, match=option):
        PbxSimulator(KEY, **{option: value})  # type: ignore[arg-type]


def test_unknown_fault_endpoint_is_refused(simulator: PbxSimulator) -> None:
    with pytest.raises(ValueError, match="unknown endpoint"):
        simulator.set_fault("empty", endpoint="recording")


def test_port_and_urls_need_a_running_simulator() -> None:
    sim = PbxSimulator(KEY)
    with pytest.raises(RuntimeError, match="not running"):
        _ = sim.server_url
    with sim, pytest.raises(RuntimeError, match="already running"):
        sim.start()


def test_ipv6_loopback() -> None:
    sim = PbxSimulator(KEY, host="::1", answer_delay=0.0)
    try:
        sim.start()
    except OSError as error:
        pytest.skip(f"no IPv6 loopback here: {error}")
    try:
        assert sim.server_url.startswith("http://[::1]:")
        with requests.get(sim.base_url + "originate", params=params(sim), timeout=5) as reply:
            assert reply.text.startswith("+OK")
    finally:
        sim.stop()


def test_large_mp3_has_an_exact_128k_bit_rate(simulator: PbxSimulator, tmp_path: Path) -> None:
    # Players without a seek table estimate an MP3's duration from its size and bit rate.
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        pytest.skip("ffprobe (FFmpeg) is not installed: cannot decode the recordings")
    simulator.add_recording("big-mp3", size=2_000_000, fmt="mp3")
    path = tmp_path / "big.mp3"
    with requests.get(
        simulator.base_url + "call_recording",
        params={"key": simulator.key, "uuid": "big-mp3"},
        timeout=10,
    ) as reply:
        path.write_bytes(reply.content)
    assert path.stat().st_size == 2_000_000
    probe = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    expected = recording_duration("mp3", recording_size("mp3", size=2_000_000))
    assert float(json.loads(probe.stdout)["format"]["duration"]) == pytest.approx(
        expected, abs=0.01
    )


# -- HTTPS ----------------------------------------------------------------------------------------


@pytest.fixture
def tls_simulator(self_signed_certificate: tuple[Path, Path]) -> Iterator[PbxSimulator]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed_certificate)
    with PbxSimulator(KEY, answer_delay=0.0, ssl_context=context) as sim:
        yield sim


def test_https_serves_the_api(
    tls_simulator: PbxSimulator, self_signed_certificate: tuple[Path, Path]
) -> None:
    assert tls_simulator.base_url.startswith("https://127.0.0.1:")
    with requests.get(
        tls_simulator.base_url + "originate",
        params=params(tls_simulator),
        verify=str(self_signed_certificate[0]),
        timeout=5,
    ) as reply:
        assert reply.text.startswith("+OK")


def test_a_silent_tls_peer_does_not_block_other_clients(
    tls_simulator: PbxSimulator, self_signed_certificate: tuple[Path, Path]
) -> None:
    # Connects and never starts the handshake: the others must still be served at once.
    with socket.create_connection(("127.0.0.1", tls_simulator.port)):
        start = time.monotonic()
        with requests.get(
            tls_simulator.base_url + "originate",
            params=params(tls_simulator),
            verify=str(self_signed_certificate[0]),
            timeout=5,
        ) as reply:
            assert reply.text.startswith("+OK")
        assert time.monotonic() - start < 2.0


def test_plain_http_to_the_https_port_gets_nothing(tls_simulator: PbxSimulator) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get(tls_simulator.server_url.replace("https", "http") + "/", timeout=5)
    assert tls_simulator.requests == []


# -- command line ---------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "a1dialer", "simulator", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_command_line_refuses_a_busy_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = run_cli("--port", str(taken.getsockname()[1]))
    assert done.returncode == 6
    assert "cannot listen on 127.0.0.1 port" in done.stderr
    assert "Traceback" not in done.stderr


def test_command_line_refuses_a_network_address_without_allow_remote() -> None:
    done = run_cli("--host", "0.0.0.0", "--port", "0")  # noqa: S104
    assert done.returncode == 2
    assert "--allow-remote" in done.stderr
    assert done.stdout == ""
