"""The number rules on the command line: refusals send nothing, --country, stored numbers redial."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.pbx.simulator import PbxSimulator
from tests.e2e.conftest import run_cli

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-numbers-key-0c11"


@pytest.fixture
def sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as running:
        yield running


@pytest.fixture
def env(tmp_path: Path, sim: PbxSimulator) -> dict[str, str]:
    """A configured profile (default country US, format e164) and the key in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "defaults.toml")
    configured = run(
        env,
        "configure",
        "--server",
        sim.server_url,
        "--extension",
        "1007",
        "--caller-id-number",
        "12085550100",
    )
    assert configured.returncode == 0, configured.stderr
    env["A1DIALER_API_KEY"] = KEY
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args)


def history(env: dict[str, str]) -> list[dict[str, object]]:
    done = run(env, "history", "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_one_digit_too_many_exits_2_and_sends_nothing(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    done = run(env, "dial", "208 555 12345")
    assert done.returncode == 2
    assert done.stderr == (
        "a1dialer: 208 555 12345 has one digit too many for a number in United States; "
        "for a number abroad, start with + or 011.\n"
    )
    assert done.stdout == ""
    assert sim.requests == []
    assert history(env) == []


def test_six_digits_are_refused_unless_the_admin_allows_such_extensions(
    sim: PbxSimulator, env: dict[str, str], tmp_path: Path
) -> None:
    refused = run(env, "dial", "555123")
    assert refused.returncode == 2
    assert "555123 is too short for a number in United States" in refused.stderr
    assert sim.requests == []
    # A rep's settings from before this option existed do not name it: the admin's value applies.
    own = tmp_path / "profile" / "settings.toml"
    lines = own.read_text(encoding="utf-8").splitlines(keepends=True)
    own.write_text("".join(x for x in lines if not x.startswith("extension_digits")), "utf-8")
    (tmp_path / "defaults.toml").write_text('extension_digits = "3-6"\n', encoding="utf-8")
    done = run(env, "dial", "555123")
    assert done.returncode == 0, done.stderr
    assert sim.originates[-1]["dest"] == "555123"
    (tmp_path / "defaults.toml").write_text('extension_digits = "7-3"\n', encoding="utf-8")
    broken = run(env, "dial", "555123")
    assert broken.returncode == 6
    assert "Extension lengths must be a number of digits or a range such as 2-5" in broken.stderr
    assert len(sim.originates) == 1


def test_country_picks_the_country_of_national_digits_for_one_call(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    done = run(env, "dial", "--country", "gb", "020 7946 0123")
    assert done.returncode == 0, done.stderr
    assert sim.originates[-1]["dest"] == "442079460123"
    # Only that call: the default country is still the US.
    assert run(env, "dial", "020 7946 0123").returncode == 2
    bad = run(env, "dial", "--country", "XX", "020 7946 0123")
    assert (bad.returncode, bad.stderr) == (
        2,
        "a1dialer: --country must be a two-letter country code such as US, GB or DE.\n",
    )
    assert len(sim.originates) == 1
    assert "--country CC" in run(env, "dial", "--help").stdout


def test_a_number_abroad_from_the_history_redials_unchanged(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    assert run(env, "dial", "+44 20 7946 0123").returncode == 0
    [row] = history(env)
    assert (row["number"], row["display_number"]) == ("442079460123", "+44 20 7946 0123")
    again = run(env, "dial", str(row["display_number"]))
    assert again.returncode == 0, again.stderr
    assert [sent["dest"] for sent in sim.originates] == ["442079460123", "442079460123"]
    # The bare e164 digits are refused with default US: never dialled as another number.
    bare = run(env, "dial", str(row["number"]))
    assert bare.returncode == 2
    assert "for a number abroad, start with + or 011" in bare.stderr
    assert len(sim.originates) == 2


def test_a_do_not_call_entry_abroad_is_removed_by_its_stored_digits(env: dict[str, str]) -> None:
    assert run(env, "dnc", "add", "0044 20 7946 0123").returncode == 0
    listed = run(env, "dnc", "list", "--json")
    [entry] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (entry["dial"], entry["display"]) == ("442079460123", "+44 20 7946 0123")
    blocked = run(env, "dial", entry["display"])
    assert blocked.returncode == 2
    assert "is on the do-not-call list" in blocked.stderr
    removed = run(env, "dnc", "remove", entry["dial"])
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == "442079460123 is no longer on the do-not-call list.\n"
    assert run(env, "dnc", "list", "--json").stdout == ""
    missing = run(env, "dnc", "remove", "442079460123")
    assert missing.returncode == 2
    assert "2 digits too many for a number in United States" in missing.stderr
