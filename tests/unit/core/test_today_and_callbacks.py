"""Today's counts and the call-backs due, read from the call log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from a1dialer.core.call_lists import CallListStore, NewEntry
from a1dialer.core.callbacks_due import due_callbacks, mark_callback_done
from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import BadInput
from a1dialer.core.today_counts import TodayCounts, next_midnight, start_of_day, today_counts


def call(
    log: CallLog,
    uuid: str,
    *,
    started: datetime | None = None,
    placed: bool = True,
    outcome: str = "",
    callback_at: datetime | None = None,
    name: str = "",
) -> None:
    log.add_pending(
        uuid=uuid, number="12085550171", display_number="+1 208-555-0171", name=name,
        ringback="default", auto_answer=False, record=False, started_at=started,
    )  # fmt: skip
    if placed:
        log.mark_placed(uuid)
    else:
        log.mark_failed(uuid, "The PBX refused the call.")
    if outcome:
        log.set_outcome(uuid, outcome, "a note", callback_at)


def test_today_counts_calls_connected_and_talk_outcomes(call_log: CallLog) -> None:
    now = datetime.now().astimezone()
    assert today_counts(call_log, now) == TodayCounts(0, 0, 0)
    yesterday = start_of_day(now) - timedelta(minutes=1)
    call(call_log, "old", started=yesterday, outcome="Connected")
    call(call_log, "a", outcome="Connected")
    call(call_log, "b", outcome="Call back", callback_at=now + timedelta(hours=1))
    call(call_log, "c", outcome="Meeting booked")  # a custom outcome: they talked
    for uuid, outcome in (("d", "Voicemail"), ("e", "No answer"), ("f", "Busy")):
        call(call_log, uuid, outcome=outcome)
    call(call_log, "g", outcome="Wrong number")
    call(call_log, "h")
    call(call_log, "i", placed=False)
    assert today_counts(call_log, now) == TodayCounts(calls=8, connected=1, talks=3)
    tomorrow = next_midnight(now) + timedelta(minutes=1)
    assert today_counts(call_log, tomorrow) == TodayCounts(0, 0, 0)


def test_midnight_is_local_and_aware() -> None:
    moment = datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    start = start_of_day(moment)
    assert start.tzinfo is not None
    assert start <= moment < next_midnight(moment)
    assert (start.hour, start.minute) == (0, 0)


def test_call_backs_due_today_and_overdue_until_done(call_log: CallLog) -> None:
    now = datetime.now().astimezone()
    end_of_day = next_midnight(now)
    call(call_log, "overdue", outcome="Call back", callback_at=now - timedelta(days=2), name="Old")
    call(
        call_log, "later-today", outcome="Call back", callback_at=end_of_day - timedelta(seconds=1)
    )
    call(call_log, "tomorrow", outcome="Call back", callback_at=end_of_day + timedelta(minutes=1))
    call(call_log, "none", outcome="Connected")
    store = CallListStore(call_log)
    list_id = store.create_list(
        "Spring", [NewEntry("Old", "208-555-0171", "12085550171", "+1 208-555-0171")]
    )
    [entry] = store.entries(list_id)
    store.mark_called(entry.id, "overdue")

    due = due_callbacks(call_log, now)
    assert [d.uuid for d in due] == ["overdue", "later-today"]
    first = due[0]
    assert (first.name, first.display_number, first.note, first.list_name) == (
        "Old", "+1 208-555-0171", "a note", "Spring",
    )  # fmt: skip
    assert due[1].list_name == ""

    mark_callback_done(call_log, "overdue")
    assert [d.uuid for d in due_callbacks(call_log, now)] == ["later-today"]
    # A new call-back time on that call opens it again.
    call_log.set_outcome("overdue", "Call back", "try again", now + timedelta(minutes=5))
    assert [d.uuid for d in due_callbacks(call_log, now)] == ["overdue", "later-today"]
    with pytest.raises(BadInput, match="no longer in the call log"):
        mark_callback_done(call_log, "nope")


def test_both_read_an_index_not_the_whole_calls_table(call_log: CallLog) -> None:
    statements: list[str] = []
    with call_log.connection() as db:
        db.set_trace_callback(statements.append)
    try:
        today_counts(call_log)
        due_callbacks(call_log)
    finally:
        with call_log.connection() as db:
            db.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 2  # one query each (no list lookup without call-backs)
    with call_log.connection() as db:
        plans = [
            " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")) for sql in reads
        ]
    assert "USING INDEX calls_search (started_at>? AND started_at<?)" in plans[0]
    assert "USING INDEX calls_callbacks_open" in plans[1]
