"""The call list's queue: which row Dial next calls at a given time, and what results do to rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from a1dialer.core.call_lists import CallListStore, ListEntry, ListRules, NewEntry, Progress
from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import BadInput
from a1dialer.core.list_queue import (
    BUSY,
    CALLED,
    FAILED,
    NO_ANSWER,
    UNKNOWN,
    RetryRules,
    after_failure,
    after_outcome,
    after_placed,
    after_unknown,
    pick_next,
    resolved,
)
from a1dialer.core.settings import Settings

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RULES = RetryRules(busy_minutes=10, no_answer_minutes=120, max_attempts=3)


def entry(position: int, **changes: object) -> ListEntry:
    base = ListEntry(
        id=position + 1, list_id=1, position=position, name=f"Row {position}",
        number="", dial=f"1208555{position:04d}", display="", company="", notes="",
        state="todo", call_uuid="",
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def names(pick_entry: ListEntry | None) -> str:
    return pick_entry.name if pick_entry else ""


def test_fresh_rows_are_called_in_list_order_past_done_skipped_and_do_not_call() -> None:
    rows = [
        entry(0, state="done"),
        entry(1, state="skipped"),
        entry(2, dnc=True),
        entry(3),
        entry(4),
    ]
    pick = pick_next(rows, NOW)
    assert names(pick.entry) == "Row 3"
    assert (pick.blocked, pick.next_due, pick.waiting_for_rep) == ((), None, 0)


def test_a_row_on_the_do_not_call_list_now_is_passed_over_and_reported() -> None:
    rows = [entry(0), entry(1), entry(2)]
    pick = pick_next(rows, NOW, blocked=lambda e: e.position < 2)
    assert names(pick.entry) == "Row 2"
    assert [e.name for e in pick.blocked] == ["Row 0", "Row 1"]
    everything = pick_next(rows, NOW, blocked=lambda _e: True)
    assert everything.entry is None
    assert len(everything.blocked) == 3


def test_rows_not_yet_due_wait_and_the_earliest_due_time_is_said() -> None:
    later, much_later = NOW + timedelta(minutes=5), NOW + timedelta(hours=2)
    rows = [entry(0, due_at=much_later, result=NO_ANSWER), entry(1, due_at=later, result=BUSY)]
    pick = pick_next(rows, NOW)
    assert pick.entry is None
    assert pick.next_due == later
    assert names(pick_next(rows, later).entry) == "Row 1"
    assert names(pick_next(rows, much_later).entry) == "Row 1"  # due first, called first


def test_due_retries_come_before_fresh_rows_and_failed_rows_come_last() -> None:
    rows = [
        entry(0, result=FAILED),
        entry(1),
        entry(2, due_at=NOW - timedelta(minutes=1), result=BUSY),
        entry(3, due_at=NOW - timedelta(minutes=30), result="Call back"),
    ]
    order = []
    remaining = list(rows)
    while (pick := pick_next(remaining, NOW)).entry is not None:
        order.append(pick.entry.name)
        remaining = [e for e in remaining if e.id != pick.entry.id]
    assert order == ["Row 3", "Row 2", "Row 1", "Row 0"]


def test_unknown_is_never_picked_and_is_counted_as_waiting_for_the_rep() -> None:
    rows = [entry(0, result=UNKNOWN, attempts=1), entry(1, result=UNKNOWN, dnc=True)]
    for when in (NOW, NOW + timedelta(days=30)):
        pick = pick_next(rows, when)
        assert pick.entry is None
        assert pick.waiting_for_rep == 1
        assert pick.next_due is None


def test_busy_and_no_answer_wait_per_the_rules_up_to_the_most_attempts() -> None:
    row = entry(0)
    busy = after_failure(row, "USER_BUSY", NOW, RULES)
    assert busy == Progress("todo", 1, NOW + timedelta(minutes=10), BUSY)
    row = replace(row, attempts=busy.attempts)
    no_answer = after_failure(row, "no_answer", NOW, RULES)
    assert no_answer == Progress("todo", 2, NOW + timedelta(minutes=120), NO_ANSWER)
    row = replace(row, attempts=no_answer.attempts)
    assert after_failure(row, "USER_BUSY", NOW, RULES) == Progress("done", 3, None, BUSY)


def test_a_failure_on_the_reps_side_does_not_count_and_moves_the_row_last() -> None:
    row = entry(0, attempts=1)
    for cause in ("", "NO_USER_RESPONSE", "USER_NOT_REGISTERED"):
        assert after_failure(row, cause, NOW, RULES) == Progress("todo", 1, None, FAILED)


def test_placed_unknown_and_the_reps_outcomes() -> None:
    row = entry(0)
    assert after_placed(row) == Progress("done", 1, None, CALLED)
    assert after_unknown(row) == Progress("todo", 1, None, UNKNOWN)
    called = replace(row, attempts=1, state="done", result=CALLED)
    assert after_outcome(called, "Connected", None, NOW, RULES) == Progress(
        "done", 1, None, "Connected"
    )
    assert after_outcome(called, "Demo booked", None, NOW, RULES).state == "done"
    assert after_outcome(called, "Busy", None, NOW, RULES) == Progress(
        "todo", 1, NOW + timedelta(minutes=10), BUSY
    )
    assert after_outcome(called, "No answer", None, NOW, RULES).due_at == NOW + timedelta(hours=2)
    tuesday = NOW + timedelta(days=1, hours=1)
    assert after_outcome(called, "Call back", tuesday, NOW, RULES) == Progress(
        "todo", 1, tuesday, "Call back"
    )
    last = replace(called, attempts=3)
    assert after_outcome(last, "No answer", None, NOW, RULES).state == "done"
    # A call back is what the customer asked for: no attempt limit.
    assert after_outcome(last, "Call back", tuesday, NOW, RULES).state == "todo"


def test_a_lists_own_rules_win_over_the_settings_defaults() -> None:
    defaults = RetryRules.from_settings(
        Settings().validated(retry_busy_minutes=20, retry_no_answer_minutes=90, max_attempts=4)
    )
    assert defaults == RetryRules(20, 90, 4)
    assert resolved(ListRules(), defaults) == defaults
    assert resolved(ListRules(0, None, 1), defaults) == RetryRules(0, 90, 1)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"retry_busy_minutes": -1}, "must be 0 to 10080 minutes"),
        ({"retry_no_answer_minutes": 10081}, "must be 0 to 10080 minutes"),
        ({"max_attempts": 0}, "must be 1 to 20"),
        ({"max_attempts": "3"}, "must be int"),
    ],
)
def test_bad_retry_settings_are_refused(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        Settings().validated(**changes)


# --- the store ----------------------------------------------------------------------------------


def new(n: int, *, dnc: bool = False) -> NewEntry:
    return NewEntry(f"Lead {n}", f"208 555 {n:04d}", f"1208555{n:04d}", f"+1 {n}", dnc=dnc)


def test_the_store_keeps_progress_rules_and_do_not_call_counts(call_log: CallLog) -> None:
    store = CallListStore(call_log)
    list_id = store.create_list("Loop", [new(1), new(2, dnc=True), new(3)])
    first, second, third = store.entries(list_id)
    assert second.dnc
    summary = store.summary(list_id)
    assert (summary.dnc, summary.left) == (1, 2)

    due = NOW + timedelta(minutes=10)
    store.set_progress(first.id, Progress("todo", 1, due, BUSY), "call-1")
    stored = store.entry(first.id)
    assert (stored.attempts, stored.due_at, stored.result, stored.call_uuid) == (
        1, due, BUSY, "call-1",
    )  # fmt: skip
    assert store.entry_for_call("call-1") == stored
    assert store.entry_for_call("nope") is None
    assert store.entry_for_call("") is None
    store.reset(first.id)
    reset = store.entry(first.id)
    assert (reset.state, reset.due_at, reset.result, reset.attempts) == ("todo", None, "", 1)

    store.mark_do_not_call(third.id)
    summary = store.summary(list_id)
    assert (summary.dnc, summary.left) == (2, 1)

    assert store.rules(list_id) == ListRules()
    store.set_rules(list_id, ListRules(5, None, 2, True))
    assert store.rules(list_id) == ListRules(5, None, 2, True)
    with pytest.raises(BadInput, match="cannot be negative"):
        store.set_rules(list_id, ListRules(-5))
    store.delete_list(list_id)
    with pytest.raises(BadInput):
        store.rules(list_id)
    with pytest.raises(BadInput):
        store.set_progress(first.id, Progress("done", 1, None, CALLED))
    with pytest.raises(BadInput):
        store.mark_do_not_call(first.id)
