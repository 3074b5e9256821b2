"""`a1dialer dial` against a PBX whose reply never comes right: subprocesses over loopback.

The command line's originate wait is the product's 90 s (no setting shortens it), so the drip test
really waits it out and is marked slow; the oversized reply needs no waiting.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.core.calllog import UNKNOWN_SENTENCE
from a1dialer.pbx.simulator import PbxSimulator

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-replies-key-4d2b"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "no-defaults.toml")
    env["A1DIALER_API_KEY"] = KEY
    return env


def a1dialer(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "a1dialer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def configure(env: dict[str, str], server: str) -> None:
    done = a1dialer(
        env, "configure", "--server", server, "--extension", "1007", "--caller-id-number",
        "12085550100",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture
def oversize_simulator() -> Iterator[str]:
    """``a1dialer simulator`` with an oversize fault from its command line; yields its URL."""
    process = subprocess.Popen(
        [
            sys.executable, "-m", "a1dialer", "simulator", "--port", "0", "--key", KEY,
            "--answer-delay", "0", "--fault", "oversize", "--fault-endpoint", "originate",
            "--fault-size", "300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.match(r"A1PBX simulator on (http://127\.0\.0\.1:\d+) .*Fault: oversize\.", line)
        assert found, line
        yield found.group(1)
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_dial_against_an_oversized_reply_exits_5(
    oversize_simulator: str, cli_env: dict[str, str]
) -> None:
    configure(cli_env, oversize_simulator)
    done = a1dialer(cli_env, "dial", "(208) 555-1234")
    assert done.returncode == 5, (done.stdout, done.stderr)
    # The call's id (the PBX may be calling), what to do, and why in the details.
    assert UUID.fullmatch(done.stdout.strip())
    assert f"a1dialer: {UNKNOWN_SENTENCE}" in done.stderr
    assert "reply was too large to read (over 1 MB)" in done.stderr
    assert KEY not in done.stdout + done.stderr
    history = a1dialer(cli_env, "history", "--json")  # one JSON object per line
    calls = [json.loads(line) for line in history.stdout.splitlines()]
    assert [(c["uuid"], c["status"]) for c in calls] == [(done.stdout.strip(), "unknown")]


def test_dial_against_a_dripping_pbx_gives_up_at_90_s(cli_env: dict[str, str]) -> None:
    # A byte a second: the reply would take minutes; each read gets its byte well within any
    # per-read timeout, so only the deadline for the whole reply ends the wait.
    with PbxSimulator(KEY, answer_delay=0.0) as sim:
        sim.set_fault("drip", delay=1.0, endpoint="originate")
        configure(cli_env, sim.server_url)
        start = time.monotonic()
        done = a1dialer(cli_env, "dial", "(208) 555-1234", timeout=300)
        elapsed = time.monotonic() - start
        assert sim.wait_for_replies(1, timeout=10)
        sent = sim.sent_replies[-1]
    assert done.returncode == 5, (done.stdout, done.stderr)
    assert UUID.fullmatch(done.stdout.strip())
    assert f"a1dialer: {UNKNOWN_SENTENCE}" in done.stderr
    assert (
        "The PBX did not answer within 90 s; your phone (ext 1007) may still ring: check it "
        "before calling again."
    ) in done.stderr
    assert elapsed < 180
    # The simulator was still dripping the status line and headers when the client hung up.
    assert (sent.fault, sent.finished) == ("drip", False)
    assert sent.sent < 150
    assert len(sim.originates) == 1
