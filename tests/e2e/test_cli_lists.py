"""The do-not-call list, outcomes and CRM hooks through the real command line and simulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import load_settings, save_settings
from a1dialer.pbx.simulator import PbxSimulator
from tests.e2e.conftest import run_cli

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-lists-test-key-51c2"


@pytest.fixture
def sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, sim: PbxSimulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "no-defaults.toml")
    env["A1DIALER_API_KEY"] = KEY
    done = run(
        env, "configure", "--server", sim.server_url, "--extension", "1007",
        "--caller-id-number", "12085550100",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args)


def test_dial_refuses_a_blocked_number_and_the_pbx_hears_nothing(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    added = run(env, "dnc", "add", "(208) 555-1234", "--reason", "asked not to be called")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "+1 208-555-1234 is now on the do-not-call list."
    refused = run(env, "dial", "+1 208.555.1234")
    assert refused.returncode == 2
    first_line = refused.stderr.splitlines()[0]
    assert first_line.startswith("a1dialer: +1 208-555-1234 is on the do-not-call list (added ")
    assert first_line.endswith(": asked not to be called). A1 Dialer will not dial it.")
    as_json = json.loads(run(env, "dial", "12085551234", "--json").stdout)
    assert (as_json["ok"], as_json["error"], as_json["exit_code"]) == (False, "OnDoNotCallList", 2)
    assert sim.originates == []
    assert run(env, "history", "--json").stdout == ""
    # Unblocked, the same number is dialled once.
    removed = run(env, "dnc", "remove", "208 555 1234")
    assert removed.stdout.strip() == "+1 208-555-1234 is no longer on the do-not-call list."
    placed = run(env, "dial", "208 555 1234")
    assert placed.returncode == 0, placed.stderr
    assert len(sim.originates) == 1


def test_dnc_list_and_import(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "dnc.csv"
    path.write_bytes("Name;Téléphone\nZoë;208-555-0001\nBad;nope\n".encode("cp1252"))
    imported = run(env, "dnc", "import", str(path), "--reason", "CRM opt-out")
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (
        "Added 1 number to the do-not-call list. 1 row could not be used."
    )
    assert imported.stderr.startswith("line 3: Bad;nope: ")
    assert run(env, "dnc", "add", "208-555-0001").stdout.strip() == (
        "+1 208-555-0001 was already on the do-not-call list."
    )
    [row] = [json.loads(line) for line in run(env, "dnc", "list", "--json").stdout.splitlines()]
    assert (row["display"], row["reason"]) == ("+1 208-555-0001", "CRM opt-out")
    assert "+1 208-555-0001" in run(env, "dnc", "list").stdout
    nothing = tmp_path / "nothing.txt"
    nothing.write_text("nope\nnever\n", encoding="utf-8")
    failed = run(env, "dnc", "import", str(nothing))
    assert failed.returncode == 2
    assert "nothing was added" in failed.stderr


def test_history_shows_outcome_note_and_call_back(env: dict[str, str]) -> None:
    placed = run(env, "dial", "208 555 1234", "--name", "Ana")
    assert placed.returncode == 0, placed.stderr
    uuid = placed.stdout.strip()
    when = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    with CallLog(Path(env["A1DIALER_HOME"]) / "calls.sqlite3") as call_log:
        call_log.set_outcome(uuid, "Call back", "Wants the Pro plan,\nsend a quote", when)
    [row] = [json.loads(line) for line in run(env, "history", "--json").stdout.splitlines()]
    assert (row["outcome"], row["note"], row["callback_at"]) == (
        "Call back", "Wants the Pro plan,\nsend a quote", when.isoformat(),
    )  # fmt: skip
    text = run(env, "history", "--search", "quote").stdout
    assert "Call back " + when.astimezone().strftime("%Y-%m-%d %H:%M") in text
    assert "“Wants the Pro plan, send a quote”" in text


def test_dial_runs_the_call_placed_command_hook(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "hook.json"
    writer = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"
    command = f"'{sys.executable}' -c \"{writer}\" '{out}' {{number}} {{name}} {{uuid}}"
    path = Path(env["A1DIALER_HOME"]) / "settings.toml"
    save_settings(load_settings(path).validated(hook_call_placed_command=command), path)
    placed = run(env, "dial", "208 555 1234", "--name", 'Jo & "Co"')
    assert placed.returncode == 0, placed.stderr
    deadline = time.monotonic() + 20
    while not out.exists() or not out.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the hook command did not run"
        time.sleep(0.05)
    assert json.loads(out.read_text(encoding="utf-8")) == [
        "+12085551234", 'Jo & "Co"', placed.stdout.strip(),
    ]  # fmt: skip
