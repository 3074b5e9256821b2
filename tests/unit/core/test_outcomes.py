"""Outcomes, notes and call-backs stored with the call; the outcome choices from settings."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from a1dialer.core import calllog_file
from a1dialer.core.calllog import CallLog
from a1dialer.core.calllog_file import SCHEMA_VERSION
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.outcomes import STANDARD_OUTCOMES, outcome_choices
from a1dialer.core.redaction import MASK, register_secret
from a1dialer.core.settings import Settings, load_settings, save_settings

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def add(log: CallLog, uuid: str, name: str = "", minutes: float = 0) -> None:
    log.add_pending(
        uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name=name,
        ringback="us-ring", auto_answer=False, record=False,
        started_at=T0 + timedelta(minutes=minutes),
    )  # fmt: skip
    log.mark_placed(uuid)


def test_an_outcome_and_note_are_stored_with_the_call(call_log: CallLog) -> None:
    add(call_log, "c1", "Ana")
    saved = call_log.set_outcome("c1", " Voicemail ", "Left a message\nabout the renewal ")
    assert (saved.outcome, saved.note, saved.callback_at) == (
        "Voicemail",
        "Left a message\nabout the renewal",
        None,
    )
    assert call_log.get("c1") == saved
    # Saving again replaces both; the call's own status is untouched.
    again = call_log.set_outcome("c1", "Connected")
    assert (again.outcome, again.note, again.status) == ("Connected", "", "placed")


def test_an_outcome_for_a_call_no_longer_logged_is_refused(call_log: CallLog) -> None:
    with pytest.raises(BadInput, match="no longer in the call log"):
        call_log.set_outcome("gone", "Busy", "note kept by the caller")


def test_overlong_outcomes_and_notes_are_refused_with_a_reason(call_log: CallLog) -> None:
    add(call_log, "c1")
    with pytest.raises(BadInput, match="at most 40 characters"):
        call_log.set_outcome("c1", "x" * 41)
    with pytest.raises(BadInput, match="at most 10,000 fit"):
        call_log.set_outcome("c1", "Connected", "n" * 10_001)
    assert call_log.get("c1").outcome == ""  # type: ignore[union-attr]


def test_call_back_times_must_say_their_time_zone(call_log: CallLog) -> None:
    add(call_log, "c1")
    with pytest.raises(ValueError, match="timezone"):
        call_log.set_outcome("c1", "Call back", "", datetime(2026, 11, 29, 10, 0))


def test_a_due_call_back_is_reminded_once(call_log: CallLog) -> None:
    add(call_log, "early", "Ana")
    add(call_log, "late", "Bo", minutes=1)
    add(call_log, "future", "Cy", minutes=2)
    call_log.set_outcome("late", "Call back", "after lunch", T0 + timedelta(hours=3))
    call_log.set_outcome("early", "Call back", "", T0 + timedelta(hours=2))
    call_log.set_outcome("future", "Call back", "", T0 + timedelta(days=1))
    assert call_log.due_callbacks(T0 + timedelta(hours=1)) == []
    due = call_log.due_callbacks(T0 + timedelta(hours=3))
    assert [(r.uuid, r.callback_at) for r in due] == [
        ("early", T0 + timedelta(hours=2)),
        ("late", T0 + timedelta(hours=3)),
    ]
    call_log.mark_callback_reminded("early")
    assert [r.uuid for r in call_log.due_callbacks(T0 + timedelta(hours=3))] == ["late"]


def test_a_reminder_is_not_repeated_after_a_restart(log_path: Path) -> None:
    with CallLog(log_path) as log:
        add(log, "c1")
        log.set_outcome("c1", "Call back", "", T0 + timedelta(hours=1))
        log.mark_callback_reminded("c1")
    with CallLog(log_path) as log:
        assert log.due_callbacks(T0 + timedelta(days=7)) == []
        # Saving the same time again (editing the note) does not remind twice...
        log.set_outcome("c1", "Call back", "edited note", T0 + timedelta(hours=1))
        assert log.due_callbacks(T0 + timedelta(days=7)) == []
        # ...a new time does.
        log.set_outcome("c1", "Call back", "", T0 + timedelta(hours=5))
        assert [r.uuid for r in log.due_callbacks(T0 + timedelta(days=7))] == ["c1"]
        # Another outcome cancels the call-back.
        log.set_outcome("c1", "Connected")
        assert log.due_callbacks(T0 + timedelta(days=7)) == []


def test_search_finds_words_and_digits_of_outcomes_and_notes(call_log: CallLog) -> None:
    add(call_log, "c1", "Ana")
    add(call_log, "c2", "Bo", minutes=1)
    add(call_log, "c3", "Cy", minutes=2)
    call_log.set_outcome("c1", "Voicemail", "Asked about PO 4471, résumé sent")
    call_log.set_outcome("c2", "Wrong number")
    assert [r.uuid for r in call_log.search("voicemail")] == ["c1"]
    assert [r.uuid for r in call_log.search("RESUME")] == ["c1"]
    assert [r.uuid for r in call_log.search("po 4471")] == ["c1"]
    assert [r.uuid for r in call_log.search("wrong")] == ["c2"]
    assert [r.uuid for r in call_log.search("ana voicemail")] == ["c1"]
    assert call_log.search("ana wrong") == []
    assert call_log.count("number") == 1
    # Clearing the outcome takes it out of the search.
    call_log.set_outcome("c2", "")
    assert call_log.search("wrong") == []


def test_the_api_key_never_reaches_a_stored_note(call_log: CallLog, log_path: Path) -> None:
    secret = "outcome-secret-key-123456"
    register_secret(secret)
    add(call_log, "c1")
    stored = call_log.set_outcome("c1", "Connected", f"pasted {secret} by mistake")
    assert stored.note == f"pasted {MASK} by mistake"
    call_log.close()
    assert secret.encode() not in log_path.read_bytes()


def test_a_version_one_file_with_calls_gains_outcomes(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(log_path)) as db:
        calllog_file.MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO calls (uuid, number, display_number, name, ringback, auto_answer, "
            "recorded, status, error, details, started_at, finished_at, digits, name_key) "
            "VALUES ('old-1', '12085551234', '+1 208-555-1234', 'Ana', 'us-ring', 0, 0, "
            "'placed', '', '', 1709283600000000, NULL, '12085551234', 'ana')"
        )
        db.commit()
    with CallLog(log_path) as log:
        assert log.schema_version == SCHEMA_VERSION
        old = log.get("old-1")
        assert old is not None
        assert (old.outcome, old.note, old.callback_at) == ("", "", None)
        log.set_outcome("old-1", "Call back", "old customer", T0)
        assert [r.uuid for r in log.due_callbacks(T0)] == ["old-1"]
        assert [r.uuid for r in log.search("ana customer")] == ["old-1"]


def test_a_closed_log_refuses_outcomes(call_log: CallLog) -> None:
    add(call_log, "c1")
    call_log.close()
    with pytest.raises(LocalProblem):
        call_log.set_outcome("c1", "Busy")


# --- the choices --------------------------------------------------------------------------------


def test_the_standard_outcomes_come_first_then_the_custom_ones(tmp_path: Path) -> None:
    assert outcome_choices(Settings()) == STANDARD_OUTCOMES
    assert STANDARD_OUTCOMES == (
        "Connected", "Voicemail", "No answer", "Busy", "Wrong number", "Call back",
    )  # fmt: skip
    settings = Settings().validated(custom_outcomes=[" Demo booked ", "Not interested"])
    assert outcome_choices(settings) == (*STANDARD_OUTCOMES, "Demo booked", "Not interested")
    path = save_settings(settings, tmp_path / "settings.toml")
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (["Demo", ""], "empty outcome"),
        (["Demo", "demo"], "lists 'demo' twice"),
        (["Busy"], "repeats the standard outcome 'Busy'"),
        ([f"Outcome {n}" for n in range(13)], "at most 12 outcomes"),
        (["x" * 41], "at most 40 characters"),
        ([1, 2], "must be a list of texts"),
        ("Demo booked", "must be a list"),
    ],
)
def test_bad_custom_outcomes_are_refused(value: object, fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        Settings().validated(custom_outcomes=value)


def test_a_bad_custom_outcome_in_the_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('custom_outcomes = ["Demo", "Demo"]\n', encoding="utf-8")
    with pytest.raises(LocalProblem, match=r"settings\.toml: Custom call outcomes lists"):
        load_settings(path)
