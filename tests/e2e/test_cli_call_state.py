"""The command line tells the truth about a call: unknown, Ctrl+C, a call log that is not free.

Real subprocesses against the simulator; another process really holds the call log's lock.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from a1dialer.pbx.simulator import PbxSimulator
from tests.conftest import CallLogLock
from tests.e2e.test_cli import KEY, _busy_number, cli_env, cli_sim, configure, run

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

__all__ = ["cli_env", "cli_sim"]  # fixtures shared with test_cli

UNKNOWN = "The PBX may be calling: check your phone before calling again."


@pytest.fixture
def env(cli_sim: PbxSimulator, cli_env: dict[str, str]) -> dict[str, str]:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    return cli_env


def history(env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    done = run(env, "history", "--json", *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_dropped_originate_is_unknown_exit_5_with_the_call_id(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    cli_sim.set_fault("reset", endpoint="originate")
    done = run(env, "dial", "2085551234")
    assert done.returncode == 5, done.stderr
    call_id = done.stdout.strip()
    assert str(uuid.UUID(call_id)) == call_id
    assert f"a1dialer: {UNKNOWN}" in done.stderr.splitlines()
    assert cli_sim.originates[-1]["origination_uuid"] == call_id
    assert len(cli_sim.originates) == 1
    (row,) = history(env)
    assert (row["uuid"], row["status"], row["record"]) == (call_id, "unknown", False)
    # Unknown is not a failure: its own filter finds it, --failed does not.
    assert history(env, "--failed") == []
    assert [r["uuid"] for r in history(env, "--status", "unknown")] == [call_id]
    assert "unknown:" in run(env, "history").stdout


def test_unknown_as_json_names_the_call_and_the_state(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    cli_sim.set_fault("reset", endpoint="originate")
    done = run(env, "dial", "2085551234", "--json")
    assert done.returncode == 5
    reply = json.loads(done.stdout)
    assert (reply["ok"], reply["status"], reply["message"], reply["exit_code"]) == (
        False,
        "unknown",
        UNKNOWN,
        5,
    )
    assert reply["uuid"] == cli_sim.originates[-1]["origination_uuid"]


def test_ctrl_c_while_the_pbx_holds_the_call_exits_130_and_logs_unknown(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    cli_sim.set_fault("delay", delay=30.0, endpoint="originate")
    dial = subprocess.Popen(
        [sys.executable, "-m", "a1dialer", "dial", "2085551234"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli_sim.wait_for_requests(1, timeout=30), "the originate never arrived"
        dial.send_signal(signal.SIGINT)
        out, err = dial.communicate(timeout=30)
    finally:
        if dial.poll() is None:
            dial.kill()
            dial.communicate()
    assert dial.returncode == 130, err
    call_id = out.strip()
    assert call_id == cli_sim.originates[-1]["origination_uuid"]
    assert UNKNOWN in err
    assert "Traceback" not in err
    (row,) = history(env)
    assert (row["uuid"], row["status"]) == (call_id, "unknown")
    assert len(cli_sim.originates) == 1


def test_a_call_log_that_cannot_take_the_call_sends_nothing(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    profile = Path(env["A1DIALER_HOME"])
    (profile / "calls.sqlite3").mkdir(parents=True)  # not a file sqlite can open or write
    done = run(env, "dial", "2085551234")
    assert done.returncode == 6
    assert done.stdout == ""
    (sentence,) = [line for line in done.stderr.splitlines() if line.startswith("a1dialer:")]
    assert "call log" in sentence
    assert cli_sim.requests == []


def test_a_call_log_held_by_another_program_does_not_fail_a_placed_call(
    cli_sim: PbxSimulator, env: dict[str, str], lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    assert run(env, "history").returncode == 0  # the call log exists
    profile = Path(env["A1DIALER_HOME"])
    (profile / "calls.outcomes.jsonl").mkdir()  # and no outcome can be queued either
    cli_sim.set_fault("delay", delay=2.0, count=1, endpoint="originate")
    dial = subprocess.Popen(
        [sys.executable, "-m", "a1dialer", "dial", "2085551234"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli_sim.wait_for_requests(1, timeout=30)
        holder = lock_call_log(profile / "calls.sqlite3")
        out, err = dial.communicate(timeout=60)
        holder.release()
    finally:
        if dial.poll() is None:
            dial.kill()
            dial.communicate()
    assert dial.returncode == 0, err
    assert out.strip() == cli_sim.originates[-1]["origination_uuid"]
    assert (
        "a1dialer: The call log could not be updated (another program holds it), so this call "
        "is missing from the history: note its call id."
    ) in err.splitlines()


def test_the_extension_is_logged_shown_and_found(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    done = run(env, "dial", "(208) 555-1234 ext. 55", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["extension"] == "55"
    assert cli_sim.originates[-1]["dest"] == "12085551234"
    (row,) = history(env)
    assert (row["extension"], row["display_number"]) == ("55", "+1 208-555-1234")
    assert "+1 208-555-1234 ext. 55" in run(env, "history").stdout
    assert len(history(env, "--search", "x55")) == 1
    assert history(env, "--search", "ext. 56") == []


def test_a_failed_call_with_recording_on_is_not_recorded(
    cli_sim: PbxSimulator, env: dict[str, str]
) -> None:
    assert run(env, "dial", _busy_number(), "--record").returncode == 4
    assert run(env, "dial", "2085551234", "--record").returncode == 0
    rows = history(env)
    assert [(r["status"], r["record"]) for r in rows] == [("placed", True), ("failed", False)]
    assert [r["status"] for r in history(env, "--recorded")] == ["placed"]
    assert [r["status"] for r in history(env, "--status", "failed")] == ["failed"]


def test_failed_and_status_together_are_a_usage_error(env: dict[str, str]) -> None:
    done = run(env, "history", "--failed", "--status", "unknown")
    assert done.returncode == 2
    assert "not allowed with" in done.stderr


def test_the_command_line_knows_the_call_log_states() -> None:
    # Spelled out in cli (the window's launch does not load the call log module to parse).
    from a1dialer.cli import parser
    from a1dialer.core import calllog

    assert parser.CALL_STATES == calllog.CALL_STATES
