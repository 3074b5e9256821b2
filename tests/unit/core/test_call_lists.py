"""Call lists in the call log's file: progress, order, archive, resuming after a restart."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from a1dialer.core import calllog_file
from a1dialer.core.call_lists import MISSING_ENTRY, MISSING_LIST, CallListStore, NewEntry
from a1dialer.core.calllog import CallLog
from a1dialer.core.calllog_file import SCHEMA_VERSION
from a1dialer.core.errors import BadInput
from a1dialer.core.redaction import MASK, register_secret


def new(n: int, name: str = "") -> NewEntry:
    dial = f"1208555{n:04d}"
    return NewEntry(
        name=name or f"Customer {n}", number=f"(208) 555-{n:04d}", dial=dial,
        display=f"+1 208-555-{n:04d}", company="Acme", notes=f"note {n}",
    )  # fmt: skip


@pytest.fixture
def store(call_log: CallLog) -> CallListStore:
    return CallListStore(call_log)


def positions(store: CallListStore, list_id: int) -> list[tuple[int, str]]:
    return [(e.position, e.name) for e in store.entries(list_id)]


def test_a_new_list_keeps_its_entries_in_file_order(store: CallListStore) -> None:
    list_id = store.create_list("  Leads   November ", [new(1), new(2, "José"), new(3)])
    [summary] = store.lists()
    assert (summary.id, summary.name, summary.archived) == (list_id, "Leads November", False)
    assert (summary.total, summary.done, summary.skipped, summary.left) == (3, 0, 0, 3)
    assert summary.created_at.tzinfo is not None
    first, second, _third = store.entries(list_id)
    assert (first.position, first.number, first.dial, first.display, first.company) == (
        0, "(208) 555-0001", "12085550001", "+1 208-555-0001", "Acme",
    )  # fmt: skip
    assert (second.name, second.notes, second.state, second.call_uuid) == (
        "José", "note 2", "todo", "",
    )  # fmt: skip


def test_working_through_a_list_counts_done_skipped_and_left(store: CallListStore) -> None:
    list_id = store.create_list("Leads", [new(n) for n in range(1, 5)])
    first = store.next_entry(list_id)
    assert first is not None
    assert first.name == "Customer 1"
    store.mark_called(first.id, "call-1")
    second = store.next_entry(list_id)
    assert second is not None
    assert second.name == "Customer 2"
    store.skip(second.id)
    summary = store.summary(list_id)
    assert (summary.done, summary.skipped, summary.left) == (1, 1, 2)
    assert store.entry(first.id).call_uuid == "call-1"
    # Back to todo: it is next again, and remembers the last call.
    store.reset(first.id)
    again = store.next_entry(list_id)
    assert again is not None
    assert (again.id, again.state, again.call_uuid) == (
        first.id,
        "todo",
        "call-1",
    )
    for entry in store.entries(list_id):
        if entry.state == "todo":
            store.mark_called(entry.id, f"call-{entry.id}")
    assert store.next_entry(list_id) is None
    assert store.summary(list_id).left == 0


def test_reordering_moves_one_entry_and_shifts_the_rest(store: CallListStore) -> None:
    list_id = store.create_list("Leads", [new(n, name) for n, name in enumerate("ABCDE")])
    ids = {e.name: e.id for e in store.entries(list_id)}
    assert store.move(ids["D"], 1) == 1
    assert [name for _, name in positions(store, list_id)] == list("ADBCE")
    assert store.move(ids["A"], 3) == 3
    assert [name for _, name in positions(store, list_id)] == list("DBCAE")
    # Beyond either end it stops at the end; positions stay 0..n-1.
    assert store.move(ids["E"], -5) == 0
    assert store.move(ids["D"], 99) == 4
    assert positions(store, list_id) == list(enumerate("EBCAD"))
    first = store.next_entry(list_id)
    assert first is not None
    assert first.name == "E"


def test_a_list_resumes_where_it_was_left_after_a_restart(log_path: Path) -> None:
    with CallLog(log_path) as call_log:
        store = CallListStore(call_log)
        list_id = store.create_list("Leads", [new(n) for n in range(1, 4)])
        first = store.next_entry(list_id)
        assert first is not None
        store.mark_called(first.id, "call-1")
    with CallLog(log_path) as call_log:
        store = CallListStore(call_log)
        [summary] = store.lists()
        assert (summary.id, summary.done, summary.left) == (list_id, 1, 2)
        following = store.next_entry(list_id)
        assert following is not None
        assert following.name == "Customer 2"


def test_archived_lists_are_hidden_until_asked_for(store: CallListStore) -> None:
    old = store.create_list("October", [new(1)])
    current = store.create_list("November", [new(2)])
    store.archive(old)
    assert [s.id for s in store.lists()] == [current]
    assert [(s.id, s.archived) for s in store.lists(include_archived=True)] == [
        (current, False), (old, True),
    ]  # fmt: skip
    store.archive(old, archived=False)
    assert {s.id for s in store.lists()} == {old, current}


def test_rename_and_delete(store: CallListStore, log_path: Path) -> None:
    list_id = store.create_list("Leads", [new(1), new(2)])
    keep = store.create_list("Keep", [new(3)])
    store.rename(list_id, "Hot leads")
    assert store.summary(list_id).name == "Hot leads"
    with pytest.raises(BadInput, match="Give the list a name"):
        store.rename(list_id, "   ")
    with pytest.raises(BadInput, match="at most 200"):
        store.rename(list_id, "x" * 201)
    store.delete_list(list_id)
    assert [s.id for s in store.lists()] == [keep]
    assert store.entries(list_id) == []
    with closing(sqlite3.connect(log_path)) as db:
        left = db.execute("SELECT count(*) FROM call_list_entries").fetchone()[0]
    assert left == 1


def test_a_deleted_list_or_entry_is_one_sentence(store: CallListStore) -> None:
    list_id = store.create_list("Leads", [new(1)])
    [entry] = store.entries(list_id)
    store.delete_list(list_id)
    list_actions: list[Callable[[], object]] = [
        lambda: store.summary(list_id),
        lambda: store.rename(list_id, "x"),
        lambda: store.archive(list_id),
        lambda: store.delete_list(list_id),
    ]
    for action in list_actions:
        with pytest.raises(BadInput) as gone:
            action()
        assert gone.value.sentence == MISSING_LIST
    entry_actions: list[Callable[[], object]] = [
        lambda: store.mark_called(entry.id, "c"),
        lambda: store.skip(entry.id),
        lambda: store.reset(entry.id),
        lambda: store.move(entry.id, 0),
        lambda: store.entry(entry.id),
    ]
    for action in entry_actions:
        with pytest.raises(BadInput) as gone:
            action()
        assert gone.value.sentence == MISSING_ENTRY


def test_a_failed_import_stores_nothing(store: CallListStore) -> None:
    def entries() -> Iterator[NewEntry]:
        yield new(1)
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="disk"):
        store.create_list("Half", entries())
    assert store.lists(include_archived=True) == []


def test_the_gui_thread_and_a_worker_share_the_store(store: CallListStore) -> None:
    list_id = store.create_list("Leads", [new(n) for n in range(200)])
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for entry in store.entries(list_id)[:100]:
                store.mark_called(entry.id, f"call-{entry.id}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    for _ in range(50):
        store.summary(list_id)
    worker.join()
    assert errors == []
    assert store.summary(list_id).done == 100


def test_a_version_two_file_gains_lists_and_keeps_its_calls(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(log_path)) as db:
        for migration in calllog_file.MIGRATIONS[:2]:
            migration(db)
        db.execute("PRAGMA user_version = 2")
        db.execute(
            "INSERT INTO calls (uuid, number, display_number, name, ringback, auto_answer, "
            "recorded, status, started_at, digits, name_key, outcome, note) VALUES ('old-1', "
            "'12085551234', '+1 208-555-1234', 'Ana', 'us-ring', 0, 0, 'placed', 0, "
            "'12085551234', 'ana', 'Voicemail', 'kept')"
        )
        db.commit()
    with CallLog(log_path) as call_log:
        assert call_log.schema_version == SCHEMA_VERSION
        old = call_log.get("old-1")
        assert old is not None
        assert (old.outcome, old.note) == ("Voicemail", "kept")
        store = CallListStore(call_log)
        list_id = store.create_list("Leads", [new(1)])
        assert store.summary(list_id).total == 1


def test_the_api_key_never_reaches_a_stored_list(store: CallListStore, log_path: Path) -> None:
    secret = "list-secret-key-987654"
    register_secret(secret)
    plain = new(1)
    leaked = NewEntry("Ana", "(208) 555-0002", "12085550002", "+1 208-555-0002", "Acme",
                      f"pasted {secret} here")  # fmt: skip
    list_id = store.create_list("Leads", [plain, leaked])
    assert [e.notes for e in store.entries(list_id)] == ["note 1", f"pasted {MASK} here"]
    stored = b"".join(f.read_bytes() for f in log_path.parent.glob(f"{log_path.name}*"))
    assert b"12085550002" in stored  # the check below looks where the rows really are
    assert secret.encode() not in stored
