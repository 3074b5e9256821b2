"""CRM hooks: placeholders encoded for URLs, one argument each for commands, failures told."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from a1dialer.core.calllog import CallLog
from a1dialer.core.crm_hooks import (
    PLACEHOLDERS,
    expand_command,
    expand_url,
    hook_values_for,
    run_hooks,
)
from a1dialer.core.errors import BadInput
from a1dialer.core.settings import Settings

NASTY_NOTE = 'Call "Ana" & Bo\'s team #2 at 3pm; 50% off?\nSecond line: ünïcødé €/ü = ok'
VALUES = {
    "number": "+12085551234",
    "display": "+1 208-555-1234",
    "name": "Ana & Bo",
    "uuid": "c0ffee-1",
    "outcome": "Call back",
    "note": NASTY_NOTE,
    "extension": "1007",
}
# A tiny program that writes the arguments it got to a file, as JSON.
ARGV_WRITER = "import json, sys; open(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))"


def test_every_value_is_percent_encoded_in_urls() -> None:
    url = expand_url(
        "https://crm.example.com/log?phone={number}&who={name}&note={note}#{outcome}", VALUES
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "crm.example.com", "/log")
    assert parse_qs(parts.query) == {
        "phone": ["+12085551234"],
        "who": ["Ana & Bo"],
        "note": [NASTY_NOTE],
    }
    assert parts.fragment == "Call%20back"
    assert not any(ch.isspace() for ch in url)


def test_a_value_in_the_path_cannot_climb_out_of_it() -> None:
    url = expand_url("https://crm.example.com/calls/{uuid}/view", {"uuid": "../../admin?x=1"})
    assert url == "https://crm.example.com/calls/..%2F..%2Fadmin%3Fx%3D1/view"


def test_a_missing_value_is_empty() -> None:
    assert expand_url("https://crm.example.com/?n={note}", {}) == "https://crm.example.com/?n="


def test_a_command_gets_each_value_as_one_argument(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    template = (
        f'"{sys.executable}" -c "{ARGV_WRITER}" "{out}" --note {{note}} '
        "--who={name} '{outcome}' {uuid}"
    )
    args = expand_command(template, VALUES)
    assert args[0] == sys.executable
    assert args[4:] == ["--note", NASTY_NOTE, "--who=Ana & Bo", "Call back", "c0ffee-1"]
    settings = Settings().validated(hook_outcome_command=template)
    assert run_hooks("outcome_saved", settings, VALUES) == []
    deadline = time.monotonic() + 20
    while not out.exists() or not out.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the hook command did not run"
        time.sleep(0.05)
    assert json.loads(out.read_text(encoding="utf-8")) == [
        "--note", NASTY_NOTE, "--who=Ana & Bo", "Call back", "c0ffee-1",
    ]  # fmt: skip


def test_shell_syntax_in_a_value_is_just_text(tmp_path: Path) -> None:
    out = tmp_path / "argv.json"
    marker = tmp_path / "pwned"
    template = f'"{sys.executable}" -c "{ARGV_WRITER}" "{out}" {{note}}'
    note = f"$(touch {marker}); `touch {marker}` | touch {marker} > x"
    args = expand_command(template, {"note": note})
    subprocess.run(args, check=True, timeout=30)
    assert json.loads(out.read_text(encoding="utf-8")) == [note]
    assert not marker.exists()


def test_the_url_hook_opens_the_expanded_link() -> None:
    opened: list[str] = []

    def open_url(url: str) -> bool:
        opened.append(url)
        return True

    settings = Settings().validated(hook_call_placed_url="https://crm.example.com/c?n={number}")
    errors = run_hooks("call_placed", settings, VALUES, open_url=open_url)
    assert errors == []
    assert opened == ["https://crm.example.com/c?n=%2B12085551234"]
    # No hook configured for the other event: nothing happens.
    assert run_hooks("outcome_saved", settings, VALUES, open_url=open_url) == []
    assert len(opened) == 1


def test_failures_come_back_as_sentences(tmp_path: Path) -> None:
    settings = Settings().validated(
        hook_outcome_url="https://crm.example.com/?n={note}",
        hook_outcome_command=f"{tmp_path / 'no-such-program'} {{uuid}}",
    )
    errors = run_hooks("outcome_saved", settings, VALUES, open_url=lambda _u: False)
    assert errors == [
        "No web browser could open the CRM link; check the default browser.",
        f"The CRM command {tmp_path / 'no-such-program'} was not found; check Settings.",
    ]


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("hook_call_placed_url", "ftp://crm.example.com/{number}", "must start with https://"),
        ("hook_call_placed_url", "crm.example.com/{number}", "must start with https://"),
        ("hook_outcome_url", "https://{name}.crm.example.com/", "must name its host itself"),
        ("hook_outcome_url", "https://crm.example.com/?n={phone}", "unknown placeholder {phone}"),
        ("hook_outcome_url", "https://crm.example.com/?n={note} x", "must not contain spaces"),
        ("hook_call_placed_command", "crm-log 'unclosed {note}", "quote that is not closed"),
        ("hook_call_placed_command", "{name} --x", "must name its program itself"),
        ("hook_outcome_command", "crm-log {notes}", "unknown placeholder {notes}"),
        ("hook_outcome_command", "''", "must start with the program"),
    ],
)
def test_bad_templates_are_refused_when_saved(option: str, value: str, fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment.replace("{", r"\{").replace("}", r"\}")):
        Settings().validated(**{option: value})


def test_good_templates_are_accepted() -> None:
    settings = Settings().validated(
        hook_call_placed_url="http://crm.local:8080/calls/new?phone={number}&id={uuid}",
        hook_call_placed_command="crm-log --phone {number} --ext {extension}",
        hook_outcome_url="https://crm.example.com/o/{uuid}?outcome={outcome}&note={note}",
        hook_outcome_command='"C:/Program Files/CRM/log.exe" --note={note} {display}',
    )
    assert settings.hook_outcome_command.startswith('"C:/Program Files')
    assert set(PLACEHOLDERS) >= {"number", "name", "uuid", "outcome", "note"}


def test_values_for_a_logged_call(tmp_path: Path) -> None:
    with CallLog(tmp_path / "calls.sqlite3") as call_log:
        call_log.add_pending(
            uuid="c1", number="2085551234", display_number="+1 208-555-1234", name="Ana",
            ringback="us-ring", auto_answer=False, record=False,
            started_at=datetime(2026, 11, 28, tzinfo=UTC),
        )  # fmt: skip
        record = call_log.set_outcome("c1", "Voicemail", "left a message")
        call_log.add_pending(
            uuid="c2", number="1007", display_number="1007", name="", ringback="us-ring",
            auto_answer=False, record=False,
        )  # fmt: skip
        extension_call = call_log.get("c2")
    assert extension_call is not None
    settings = Settings().validated(extension="1010")
    assert hook_values_for(record, settings) == {
        "number": "+12085551234", "display": "+1 208-555-1234", "name": "Ana", "uuid": "c1",
        "outcome": "Voicemail", "note": "left a message", "extension": "1010",
    }  # fmt: skip
    assert hook_values_for(extension_call, settings)["number"] == "1007"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="$BROWSER and xdg-open are Unix")
@pytest.mark.parametrize("placeholder", [" %s", ""])
def test_the_browser_is_browser_or_xdg_open_and_gets_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, placeholder: str
) -> None:
    out = tmp_path / "browser.json"
    dumper = (
        "import json, os, sys; "
        f"open({str(out)!r}, 'w').write(json.dumps([sys.argv[1:], dict(os.environ)]))"
    )
    script = tmp_path / "browser.py"
    script.write_text(dumper, encoding="utf-8")
    monkeypatch.setenv("BROWSER", f"/no/such/browser:{sys.executable} {script}{placeholder}")
    monkeypatch.setenv("A1DIALER_API_KEY", "hook-test-key-123456")
    monkeypatch.setenv("SAME_KEY_AGAIN", " hook-test-key-123456 ")
    settings = Settings().validated(hook_call_placed_url="https://crm.example.com/c?n={number}")
    assert run_hooks("call_placed", settings, VALUES) == []
    deadline = time.monotonic() + 20
    while not out.exists() or not out.read_text(encoding="utf-8"):  # the browser's process
        assert time.monotonic() < deadline, "the browser was not started"
        time.sleep(0.05)
    argv, environment = json.loads(out.read_text(encoding="utf-8"))
    assert argv == ["https://crm.example.com/c?n=%2B12085551234"]
    assert "A1DIALER_API_KEY" not in environment
    assert "SAME_KEY_AGAIN" not in environment
    assert environment["BROWSER"] == os.environ["BROWSER"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="$BROWSER and xdg-open are Unix")
def test_with_no_browser_at_all_the_url_hook_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no xdg-open
    settings = Settings().validated(hook_call_placed_url="https://crm.example.com/c?n={number}")
    assert run_hooks("call_placed", settings, VALUES) == [
        "No web browser could open the CRM link; check the default browser."
    ]
