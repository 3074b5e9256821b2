"""The command line end to end: real subprocesses against the simulator, every exit code."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.core.secrets import keyring_available
from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator
from tests.e2e.conftest import run_cli

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-test-key-7f3a"


def _busy_number() -> str:
    suffix = next(s for s, cause in MAGIC_DESTINATIONS.items() if cause == "USER_BUSY")
    return "1208" + suffix[-7:] if len(suffix) < 10 else suffix


@pytest.fixture
def cli_sim() -> Iterator[PbxSimulator]:
    with PbxSimulator(KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0) as sim:
        yield sim


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "no-defaults.toml")
    return env


def run(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, stdin=stdin)


def configure(env: dict[str, str], server: str) -> None:
    done = run(
        env,
        "configure",
        "--server",
        server,
        "--extension",
        "1007",
        "--caller-id-number",
        "12085550100",
        "--caller-id-name",
        "Acme",
    )
    assert done.returncode == 0, done.stderr


def test_dial_prints_the_call_id_and_logs_the_call(
    cli_sim: PbxSimulator, cli_env: dict[str, str]
) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    done = run(
        cli_env,
        "dial",
        "(208) 555-1234",
        "--name",
        "Jo & Co",
        "--ringback",
        "uk-ring",
        "--record",
        "--auto-answer",
    )
    assert done.returncode == 0, done.stderr
    call_id = done.stdout.strip()
    assert str(uuid.UUID(call_id)) == call_id
    sent = cli_sim.originates[-1]
    assert sent["origination_uuid"] == call_id
    assert (sent["dest"], sent["src"], sent["src_cid_name"]) == ("12085551234", "1007", "Jo & Co")
    assert (sent["ringback"], sent["rec"], sent["auto_answer"]) == ("uk-ring", "true", "true")
    history = run(cli_env, "history", "--json")
    rows = [json.loads(line) for line in history.stdout.splitlines()]
    assert rows[0]["uuid"] == call_id
    assert rows[0]["status"] == "placed"
    assert run(cli_env, "history", "--search", "5551234").stdout.count(call_id) == 1


def test_dial_json_output(cli_sim: PbxSimulator, cli_env: dict[str, str]) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    done = run(cli_env, "dial", "tel:+1-208-555-1234", "--json", "--no-record")
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert reply["ok"] is True
    assert reply["number"] == "12085551234"
    assert cli_sim.originates[-1]["rec"] == "false"


def test_recording_download(cli_sim: PbxSimulator, cli_env: dict[str, str], tmp_path: Path) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    call_id = str(uuid.uuid4())
    cli_sim.add_recording(call_id, seconds=1.0)
    done = run(cli_env, "recording", call_id, "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    saved = Path(done.stdout.strip())
    assert saved.parent == tmp_path
    assert saved.read_bytes()[:4] == b"RIFF"


@pytest.mark.parametrize(
    ("setup", "args", "code", "fragment"),
    [
        ("ok", ["dial", "hello"], 2, ""),
        ("ok", ["dial"], 2, "required"),
        ("ok", ["dial", "12085551234", "--ringback", "jp-ring"], 2, "Ringback tone must be one of"),
        ("ok", ["history", "--limit", "0"], 2, "--limit"),
        ("wrong-key", ["dial", "12085551234"], 3, "API key"),
        ("ok", ["dial", "BUSY"], 4, "busy"),
        ("ok", ["recording", "00000000-0000-4000-8000-000000000000"], 4, "recording"),
        ("down", ["dial", "12085551234"], 5, "Cannot reach"),
        ("unconfigured", ["dial", "12085551234"], 6, "not set up"),
    ],
)
def test_exit_codes(
    cli_sim: PbxSimulator,
    cli_env: dict[str, str],
    setup: str,
    args: list[str],
    code: int,
    fragment: str,
) -> None:
    server = cli_sim.server_url
    if setup == "down":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            server = f"http://127.0.0.1:{probe.getsockname()[1]}"
    if setup != "unconfigured":
        configure(cli_env, server)
    cli_env["A1DIALER_API_KEY"] = "wrong-key-9c1e" if setup == "wrong-key" else KEY
    args = [_busy_number() if arg == "BUSY" else arg for arg in args]
    done = run(cli_env, *args)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert fragment.lower() in done.stderr.lower()
    assert done.stderr.count("\n") <= 3
    assert KEY not in done.stdout + done.stderr
    assert "wrong-key-9c1e" not in done.stdout + done.stderr


def test_failure_as_json_keeps_the_exit_code(
    cli_sim: PbxSimulator, cli_env: dict[str, str]
) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    done = run(cli_env, "dial", _busy_number(), "--json")
    assert done.returncode == 4
    reply = json.loads(done.stdout)
    assert (reply["ok"], reply["exit_code"]) == (False, 4)
    assert reply["message"]


def test_failed_calls_are_logged_with_their_sentence(
    cli_sim: PbxSimulator, cli_env: dict[str, str]
) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    failed = run(cli_env, "dial", _busy_number())
    rows = [
        json.loads(line)
        for line in run(cli_env, "history", "--json", "--failed").stdout.splitlines()
    ]
    assert len(rows) == 1
    assert rows[0]["status"] == "failed"
    assert rows[0]["error"] in failed.stderr
    profile = Path(cli_env["A1DIALER_HOME"])
    for path in profile.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_no_key_is_a_local_problem(cli_sim: PbxSimulator, cli_env: dict[str, str]) -> None:
    cli_env["A1DIALER_API_KEY"] = ""
    configure(cli_env, "http://127.0.0.1:9")
    done = run(cli_env, "dial", "12085551234")
    assert done.returncode == 6
    assert "API key" in done.stderr or "password store" in done.stderr


def test_configure_refuses_bad_values_and_keeps_the_file(cli_env: dict[str, str]) -> None:
    configure(cli_env, "pbx.example.com")
    settings = Path(cli_env["A1DIALER_HOME"]) / "settings.toml"
    before = settings.read_text(encoding="utf-8")
    done = run(cli_env, "configure", "--extension", "ten")
    assert done.returncode == 2
    assert "Your extension must be" in done.stderr
    assert settings.read_text(encoding="utf-8") == before


def test_configure_stores_a_written_caller_id_as_numbers_are_dialled(
    cli_sim: PbxSimulator, cli_env: dict[str, str]
) -> None:
    configure(cli_env, cli_sim.server_url)
    done = run(cli_env, "configure", "--caller-id-number", "+44 20 7946 0000")
    assert done.returncode == 0, done.stderr
    cli_env["A1DIALER_API_KEY"] = KEY
    assert run(cli_env, "dial", "12085551234").returncode == 0
    assert cli_sim.originates[-1]["des_cid_number"] == "442079460000"


def test_version_and_help(cli_env: dict[str, str]) -> None:
    from a1dialer import __version__

    assert __version__ in run(cli_env, "--version").stdout
    text = run(cli_env, "--help").stdout
    for word in ("dial", "recording", "history", "configure", "simulator", "demo", "exit codes"):
        assert word in text


def test_command_line_paths_import_no_qt(cli_sim: PbxSimulator, cli_env: dict[str, str]) -> None:
    configure(cli_env, cli_sim.server_url)
    cli_env["A1DIALER_API_KEY"] = KEY
    code = (
        "import sys, a1dialer.cli as c\n"
        "c.main(['dial', '12085551234'])\n"
        "c.main(['history'])\n"
        "print('QT:', sorted(m for m in sys.modules if m.startswith('PySide6')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "QT: []" in done.stdout, done.stderr


@pytest.mark.keyring
@pytest.mark.skipif(
    not keyring_available(), reason="no OS keyring backend (scripts/test starts one)"
)
def test_configure_stores_the_key_in_the_keyring_and_dial_uses_it(
    cli_sim: PbxSimulator, cli_env: dict[str, str]
) -> None:
    from a1dialer.core.secrets import delete_api_key

    try:
        done = run(
            cli_env,
            "configure",
            "--server",
            cli_sim.server_url,
            "--extension",
            "1007",
            "--caller-id-number",
            "12085550100",
            "--api-key-stdin",
            stdin=KEY + "\n",
        )
        assert done.returncode == 0, done.stderr
        assert "keyring" in done.stdout
        assert KEY not in (Path(cli_env["A1DIALER_HOME"]) / "settings.toml").read_text()
        dialled = run(cli_env, "dial", "12085551234")
        assert dialled.returncode == 0, dialled.stderr
    finally:
        delete_api_key("127.0.0.1")


def test_register_and_unregister_link_handlers(cli_env: dict[str, str], tmp_path: Path) -> None:
    home = tmp_path / "home"
    cli_env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
    )
    desktop_file = home / ".local" / "share" / "applications" / "a1dialer.desktop"
    done = run(cli_env, "register-handlers")
    assert done.returncode == 0, done.stderr
    assert "x-scheme-handler/tel" in desktop_file.read_text(encoding="utf-8")
    undone = run(cli_env, "unregister-handlers")
    assert undone.returncode == 0, undone.stderr
    assert not desktop_file.exists()
