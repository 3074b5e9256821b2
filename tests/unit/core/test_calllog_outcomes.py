"""Outcomes reach the call log whatever holds it: waited for, queued, replayed; and what is stored.

Another process really holds the file's write lock (BEGIN EXCLUSIVE in a subprocess); no part of
the call log is replaced.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from a1dialer.core.call_export import number_text, outcome_text
from a1dialer.core.calllog import JOURNAL_SUFFIX, STALE_PENDING_S, CallLog
from a1dialer.core.calllog_file import MIGRATIONS, SCHEMA_VERSION
from a1dialer.core.errors import LocalProblem
from a1dialer.core.redaction import MASK, register_secret
from tests.conftest import CallLogLock

SECRET = "outcome-journal-secret-9f2"


@pytest.fixture
def call_log_options() -> dict[str, Any]:
    """A short outcome wait, so a busy file is given up on quickly."""
    return {"outcome_wait_s": 0.3}


def add(log: CallLog, uuid: str, *, record: bool = False, extension: str = "") -> None:
    log.add_pending(
        uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name="Ana",
        ringback="us-ring", auto_answer=False, record=record, extension=extension,
    )  # fmt: skip


def status_on_disk(path: Path, uuid: str) -> tuple[str, int]:
    """What another reader sees in the file (WAL lets it read past a writer's lock)."""
    with closing(sqlite3.connect(path, timeout=10)) as db:
        row = db.execute("SELECT status, recorded FROM calls WHERE uuid = ?", (uuid,)).fetchone()
    return (str(row[0]), int(row[1]))


def test_an_outcome_waits_for_a_lock_held_by_another_program(
    log_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    with CallLog(log_path, outcome_wait_s=30) as call_log:
        add(call_log, "c1", record=True)
        holder = lock_call_log(log_path)
        result: list[str] = []
        writer = threading.Thread(target=lambda: result.append(call_log.mark_placed("c1")))
        writer.start()
        writer.join(timeout=0.5)
        assert writer.is_alive(), "the outcome did not wait for the lock"
        # Reads (the window's history, the do-not-call check) are not held up meanwhile.
        assert call_log.get("c1") is not None
        holder.release()
        writer.join(timeout=20)
        assert result == [""]
        assert status_on_disk(log_path, "c1") == ("placed", 1)
    assert not (log_path.parent / f"calls{JOURNAL_SUFFIX}").exists()


def test_an_outcome_held_off_past_the_wait_is_queued_and_written_at_the_next_open(
    log_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    register_secret(SECRET)
    journal = log_path.parent / f"calls{JOURNAL_SUFFIX}"
    with CallLog(log_path, outcome_wait_s=0.3) as call_log:
        add(call_log, "placed-call", record=True)
        add(call_log, "unknown-call", record=True)
        holder = lock_call_log(log_path)
        reason = call_log.mark_placed("placed-call")
        assert reason == "another program holds it"
        assert call_log.mark_unknown("unknown-call", "Timed out", f"GET /o?key={SECRET}") != ""
        assert status_on_disk(log_path, "placed-call") == ("pending", 0)
        lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
        assert [(line["uuid"], line["status"]) for line in lines] == [
            ("placed-call", "placed"),
            ("unknown-call", "unknown"),
        ]
        assert SECRET not in journal.read_text(encoding="utf-8")
        holder.release()
    with CallLog(log_path) as reopened:
        placed = reopened.get("placed-call")
        unknown = reopened.get("unknown-call")
        # Swept pending rows do not stop the truth from coming in later.
        assert reopened.mark_stale_pending(0) == 0
    assert placed is not None
    assert unknown is not None
    assert (placed.status, placed.record) == ("placed", True)
    assert (unknown.status, unknown.record, unknown.details) == (
        "unknown",
        False,
        f"GET /o?key={MASK}",
    )
    assert not journal.exists()


def test_a_queued_outcome_comes_in_with_the_next_write_of_the_same_run(
    call_log: CallLog, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    add(call_log, "first")
    add(call_log, "second")
    holder = lock_call_log(call_log.path)
    assert call_log.mark_placed("first") != ""
    holder.release()
    assert call_log.mark_placed("second") == ""
    first = call_log.get("first")
    assert first is not None
    assert first.status == "placed"
    assert not call_log.journal.exists()


def test_a_queued_outcome_never_overwrites_a_later_one(
    log_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    with CallLog(log_path, outcome_wait_s=0.2) as call_log:
        add(call_log, "c1")
        holder = lock_call_log(log_path)
        call_log.mark_unknown("c1")
        holder.release()
    with closing(sqlite3.connect(log_path)) as db:
        db.execute("UPDATE calls SET status = 'placed' WHERE uuid = 'c1'")
        db.commit()
    with CallLog(log_path) as reopened:
        found = reopened.get("c1")
    assert found is not None
    assert found.status == "placed"


def test_an_outcome_that_cannot_even_be_queued_says_why_in_one_sentence(
    call_log: CallLog, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    add(call_log, "c1")
    call_log.journal.mkdir()  # the journal cannot be written either
    holder = lock_call_log(call_log.path)
    with pytest.raises(LocalProblem) as problem:
        call_log.mark_placed("c1")
    holder.release()
    assert problem.value.sentence == (
        "The call log could not be updated (another program holds it), so this call is missing "
        "from the history: note its call id."
    )
    assert str(call_log.journal) in problem.value.details


def test_an_outcome_after_the_log_was_closed_is_queued(call_log: CallLog) -> None:
    add(call_log, "c1")
    call_log.close()
    assert call_log.mark_placed("c1") == "it was already closed"
    with CallLog(call_log.path) as reopened:
        found = reopened.get("c1")
    assert found is not None
    assert found.status == "placed"


def test_a_damaged_journal_line_is_skipped_and_the_rest_written(log_path: Path) -> None:
    with CallLog(log_path) as call_log:
        add(call_log, "c1")
        journal = call_log.journal
    good = {"uuid": "c1", "status": "placed", "error": "", "details": "", "finished_at": 1}
    journal.write_text(
        "{not json\n" + json.dumps({**good, "status": "exploded"}) + "\n" + json.dumps(good) + "\n",
        encoding="utf-8",
    )
    with CallLog(log_path) as reopened:
        found = reopened.get("c1")
    assert found is not None
    assert found.status == "placed"
    assert not journal.exists()


# --- what "recorded" means ----------------------------------------------------------------------


def test_only_a_placed_call_counts_as_recorded(call_log: CallLog) -> None:
    for uuid in ("placed", "failed", "unknown", "pending"):
        add(call_log, uuid, record=True)
    call_log.mark_placed("placed")
    call_log.mark_failed("failed", "The line was busy.")
    call_log.mark_unknown("unknown")
    recorded = {record.uuid: record.record for record in call_log.search()}
    assert recorded == {"placed": True, "failed": False, "unknown": False, "pending": False}
    assert [record.uuid for record in call_log.search(recorded_only=True)] == ["placed"]
    assert all(record.record_requested for record in call_log.search())


def test_the_migration_takes_recorded_away_from_calls_that_did_not_go_through(
    log_path: Path,
) -> None:
    log_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(log_path)) as db:  # a call log as the previous version left it
        for migration in MIGRATIONS[:4]:
            migration(db)
        db.execute("PRAGMA user_version = 4")
        for uuid, status in (("ok", "placed"), ("busy", "failed"), ("lost", "unknown")):
            db.execute(
                "INSERT INTO calls (uuid, number, display_number, name, ringback, auto_answer, "
                "recorded, status, started_at, digits, name_key) "
                "VALUES (?, '12085551234', '+1 208-555-1234', '', 'us-ring', 0, 1, ?, 1, "
                "'12085551234', '')",
                (uuid, status),
            )
        db.commit()
    with CallLog(log_path) as call_log:
        assert call_log.schema_version == SCHEMA_VERSION
        found = {r.uuid: (r.record, r.record_requested) for r in call_log.search()}
        assert found == {"ok": (True, True), "busy": (False, True), "lost": (False, True)}
        assert [r.uuid for r in call_log.search(recorded_only=True)] == ["ok"]
        assert all(r.extension == "" for r in call_log.search())


# --- the extension to ask for -------------------------------------------------------------------


def test_the_extension_is_stored_shown_and_found(call_log: CallLog) -> None:
    add(call_log, "with-ext", extension="55")
    call_log.add_pending(
        uuid="other", number="12085551234", display_number="+1 208-555-1234", name="Bo",
        ringback="us-ring", auto_answer=False, record=False,
    )  # fmt: skip
    record = call_log.get("with-ext")
    assert record is not None
    assert record.extension == "55"
    assert number_text(record) == "+1 208-555-1234 ext. 55"
    for query in ("ext. 55", "x55", "ext 55", ";ext=55", "+1 208-555-1234 ext. 55", "Ana x55"):
        assert [r.uuid for r in call_log.search(query)] == ["with-ext"], query
    assert call_log.search("ext. 56") == []
    assert {r.uuid for r in call_log.search("2085551234")} == {"with-ext", "other"}


# --- names and notes are stored as typed --------------------------------------------------------


def test_names_and_notes_that_merely_contain_key_are_stored_as_typed(call_log: CallLog) -> None:
    register_secret(SECRET)
    for uuid, name in (("a", "monkey=business"), ("b", "Smith,key=value"), ("c", "Q&key=1")):
        call_log.add_pending(
            uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name=name,
            ringback="us-ring", auto_answer=False, record=False,
        )  # fmt: skip
        call_log.mark_placed(uuid)
    assert {r.uuid: r.name for r in call_log.search()} == {
        "a": "monkey=business",
        "b": "Smith,key=value",
        "c": "Q&key=1",
    }
    note = "key=value pairs; a;key=b; see https://pbx/api?src=1&key=abc then " + SECRET
    saved = call_log.set_outcome("a", "Voicemail", note)
    assert (
        saved.note == f"key=value pairs; a;key=b; see https://pbx/api?src=1&key={MASK} then {MASK}"
    )
    assert [r.uuid for r in call_log.search("monkey")] == ["a"]


# --- dialling the same number again -------------------------------------------------------------


def test_a_recent_call_to_the_same_number_is_found_in_any_format(call_log: CallLog) -> None:
    now = datetime.now(UTC)
    for uuid, status, age in (("old", "placed", 300), ("lost", "unknown", 30), ("no", "failed", 5)):
        call_log.add_pending(
            uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name="",
            ringback="us-ring", auto_answer=False, record=False,
            started_at=now - timedelta(seconds=age),
        )  # fmt: skip
        {"placed": call_log.mark_placed, "unknown": call_log.mark_unknown}.get(
            status, lambda uuid: call_log.mark_failed(uuid, "Busy.")
        )(uuid)
    found = call_log.recent_call_to("+12085551234", 120)
    assert found is not None
    assert found.uuid == "lost"
    national = call_log.recent_call_to("2085551234", 120)
    assert national is not None
    assert national.uuid == "lost"
    assert call_log.recent_call_to("12085551234", 10) is None  # only a failed one since
    assert call_log.recent_call_to("12085559999", 600) is None
    assert outcome_text(found).startswith("unknown")


def test_a_call_left_pending_by_a_dead_process_becomes_unknown_at_the_next_start(
    log_path: Path,
) -> None:
    now = datetime.now(UTC)
    with CallLog(log_path) as first_run:
        for uuid, age in (("crashed", STALE_PENDING_S + 5), ("ringing", 30)):
            first_run.add_pending(
                uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name="",
                ringback="us-ring", auto_answer=False, record=True,
                started_at=now - timedelta(seconds=age),
            )  # fmt: skip
    with CallLog(log_path) as next_start:
        # What the app runs at start: another app's call may still ring, a dead one's cannot.
        assert next_start.mark_stale_pending() == 1
        states = {r.uuid: (r.status, r.record) for r in next_start.search()}
    assert states == {"crashed": ("unknown", False), "ringing": ("pending", False)}


@pytest.mark.slow
def test_queued_outcomes_stay_queued_while_the_file_is_still_held_at_open(
    log_path: Path, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    with CallLog(log_path, outcome_wait_s=0.2) as call_log:
        for uuid in ("a", "b", "c"):
            add(call_log, uuid)
        holder = lock_call_log(log_path)
        for uuid in ("a", "b", "c"):
            assert call_log.mark_placed(uuid) != ""
        journal = call_log.journal
    with CallLog(log_path) as still_held:  # opens, reads, and keeps the outcomes queued
        assert {r.status for r in still_held.search()} == {"pending"}
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 3
    holder.release()
    with CallLog(log_path) as free:
        assert {r.status for r in free.search()} == {"placed"}
    assert not journal.exists()


def test_a_call_abandoned_at_exit_is_unknown_until_its_real_outcome_comes_in(
    call_log: CallLog,
) -> None:
    add(call_log, "ringing")
    add(call_log, "done")
    call_log.mark_placed("done")
    call_log.mark_abandoned("ringing")
    call_log.mark_abandoned("done")  # an outcome already in is never overwritten
    states = {r.uuid: r.status for r in call_log.search()}
    assert states == {"ringing": "unknown", "done": "placed"}
    call_log.mark_placed("ringing")  # the PBX's answer, later, still wins
    found = call_log.get("ringing")
    assert found is not None
    assert found.status == "placed"


def test_the_stale_sweep_gives_up_at_once_while_another_program_holds_the_file(
    call_log: CallLog, lock_call_log: Callable[[Path], CallLogLock]
) -> None:
    add(call_log, "c1")
    holder = lock_call_log(call_log.path)
    started = time.monotonic()
    with pytest.raises(LocalProblem):
        call_log.mark_stale_pending(0)
    assert time.monotonic() - started < 2  # not the 5 s an ordinary write waits
    holder.release()
    assert call_log.mark_stale_pending(0) == 1
