"""The command line in another language: ``--json`` and exit codes stay what scripts read."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator
from tests.e2e.conftest import run_cli

# Each test runs the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-language-key-51d0"
# The sentence for the rep: in the rep's language (issue 17 keeps keys and identifiers English).
SENTENCES = ("message", "log_problem")


@pytest.fixture
def sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as running:
        yield running


@pytest.fixture
def english(tmp_path: Path, sim: PbxSimulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_", "LC_"))}
    env.update(
        A1DIALER_HOME=str(tmp_path / "profile"),
        A1DIALER_DEFAULTS=str(tmp_path / "no-defaults.toml"),
        LANGUAGE="en",
        LANG="en_US.UTF-8",
    )
    done = run_cli(
        env,
        "configure",
        "--server",
        sim.server_url,
        "--extension",
        "1007",
        "--caller-id-number",
        "12085550100",
        "--caller-id-name",
        "Acme",
    )
    assert done.returncode == 0, done.stderr
    env["A1DIALER_API_KEY"] = KEY
    return env


@pytest.fixture
def german(english: dict[str, str]) -> dict[str, str]:
    """The same rep and profile, on a desktop that speaks German."""
    return {**english, "LANGUAGE": "de", "LANG": "de_DE.UTF-8"}


def _busy_number() -> str:
    suffix = next(s for s, cause in MAGIC_DESTINATIONS.items() if cause == "USER_BUSY")
    return "1208" + suffix[-7:] if len(suffix) < 10 else suffix


def _objects(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def _without(reply: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in reply.items() if key not in names}


@pytest.mark.parametrize(
    ("number", "code", "error"),
    [
        ("tel:+1-208-555-1234", 0, None),
        ("nope", 2, "BadInput"),
        (_busy_number(), 4, "PbxRefused"),
    ],
)
def test_dial_json_is_the_same_in_german(
    english: dict[str, str],
    german: dict[str, str],
    number: str,
    code: int,
    error: str | None,
) -> None:
    replies = []
    for env in (english, german):
        done = run_cli(env, "dial", number, "--json", "--no-record")
        assert done.returncode == code, done.stderr
        (reply,) = _objects(done)
        assert reply.get("error") == error
        replies.append(reply)
    in_english, in_german = replies
    assert list(in_german) == list(in_english)  # the same keys in the same order
    # Each call has its own id; everything else but the rep's sentence is the same.
    assert _without(in_german, "uuid", *SENTENCES) == _without(in_english, "uuid", *SENTENCES)
    if code == 0:
        assert in_german["status"] == "placed"


def test_history_and_do_not_call_json_are_byte_identical_in_german(
    english: dict[str, str], german: dict[str, str], sim: PbxSimulator
) -> None:
    assert run_cli(english, "dial", "208-555-1234", "--json", "--record").returncode == 0
    assert run_cli(german, "dial", "nope", "--json").returncode == 2  # never logged
    assert run_cli(german, "dial", _busy_number(), "--json").returncode == 4
    assert run_cli(english, "dnc", "add", "208-555-0001", "--reason", "opt-out").returncode == 0
    assert run_cli(german, "dnc", "add", "208-555-0002").returncode == 0
    assert len(sim.originates) == 2

    commands = [("history", "--json"), ("history", "--json", "--failed"), ("dnc", "list", "--json")]
    for args in commands:
        in_english = run_cli(english, *args)
        in_german = run_cli(german, *args)
        assert in_english.returncode == in_german.returncode == 0, in_german.stderr
        assert in_german.stdout == in_english.stdout
        assert in_german.stdout.strip()
    states = [record["status"] for record in _objects(run_cli(german, "history", "--json"))]
    assert states == ["failed", "placed"]
    records = _objects(run_cli(german, "history", "--json"))
    assert [record["record"] for record in records] == [False, True]


def test_errors_keep_their_identifier_and_exit_code_in_german(
    english: dict[str, str], german: dict[str, str]
) -> None:
    cases = [
        ("history", "--json", "--limit", "0"),
        ("history", "--json", "--csv"),
        ("dial", "208-555-1234", "--json", "--country", "XX"),
        ("recording", "../calls", "--json"),  # an id that would name another file
    ]
    for args in cases:
        in_english = run_cli(english, *args)
        in_german = run_cli(german, *args)
        assert in_german.returncode == in_english.returncode == 2, (args, in_german.stderr)
        (reply_en,) = _objects(in_english)
        (reply_de,) = _objects(in_german)
        assert list(reply_de) == ["ok", "error", "message", "details", "exit_code"]
        assert _without(reply_de, *SENTENCES) == _without(reply_en, *SENTENCES)
        assert reply_de["error"] == "BadInput"
        assert reply_de["exit_code"] == 2
