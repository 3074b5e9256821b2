"""Call lists: numbers imported from a spreadsheet, worked through one call at a time.

Lists live in the call log's SQLite file (tables created by its migrations) and share its one
connection and lock, so they are safe to use from the GUI thread and a worker alike, and progress
survives a restart: resuming a list is opening it again. Within a list, entries are ordered by
``position`` (0 to n-1, no gaps); each is "todo", "done" (called, with the call's id) or "skipped".
Which row is called next, and what a call's result does to a row, is ``list_queue``'s business.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import Literal, cast

from a1dialer.core.calllog import CallLog, from_db_time, to_db_time
from a1dialer.core.errors import BadInput
from a1dialer.core.redaction import redact

EntryState = Literal["todo", "done", "skipped"]
MAX_LIST_NAME = 200
_REDACT_BATCH = 5000
MISSING_LIST = "That call list is no longer there; it may have been deleted in another window."
MISSING_ENTRY = "That number is no longer on the list; it may have been deleted in another window."

_ENTRY_COLUMNS = (
    "id, list_id, position, name, number, dial, display, company, notes, state, call_uuid, "
    "numbers, dnc, attempts, due_at, result"
)
_SUMMARY = (
    "SELECT l.id, l.name, l.created_at, l.archived, count(e.id) AS total, "
    "coalesce(sum(e.state = 'done'), 0) AS done, "
    "coalesce(sum(e.state = 'skipped'), 0) AS skipped, "
    "coalesce(sum(e.state = 'todo' AND e.dnc = 1), 0) AS dnc "
    "FROM call_lists l LEFT JOIN call_list_entries e ON e.list_id = l.id"
)


@dataclass(frozen=True)
class EntryNumber:
    """One of a row's numbers ("Mobile", "+1 208-555-0199"), ready to dial."""

    label: str  # the file's column header, "Phone", "Mobile", "Work"...
    number: str  # as typed in the file
    dial: str
    display: str


def numbers_to_json(numbers: tuple[EntryNumber, ...]) -> str:
    """The ``numbers`` column's text; '[]' for a row with only its main number."""
    if not numbers:
        return "[]"
    return json.dumps(
        [{"label": n.label, "number": n.number, "dial": n.dial, "display": n.display}
         for n in numbers],
        ensure_ascii=False,
    )  # fmt: skip


def numbers_from_json(text: str) -> tuple[EntryNumber, ...]:
    """The ``numbers`` column read back; a damaged value reads as no extra numbers."""
    try:
        items = json.loads(text or "[]")
        return tuple(
            EntryNumber(str(i["label"]), str(i["number"]), str(i["dial"]), str(i["display"]))
            for i in items
        )
    except (ValueError, TypeError, KeyError):
        return ()


@dataclass(frozen=True)
class NewEntry:
    """One row to put on a new list: what the file said, and the number ready to dial."""

    name: str
    number: str  # as typed in the file
    dial: str  # normalised, as sent to the PBX (E.164 digits or an extension)
    display: str  # as shown to the rep, "+1 208-555-1234"
    company: str = ""
    notes: str = ""
    numbers: tuple[EntryNumber, ...] = ()  # every number of the row, the one dialled included
    dnc: bool = False  # on the do-not-call list at import: never dialled


@dataclass(frozen=True)
class ListEntry:
    """One number on a stored list and how far the rep got with it."""

    id: int
    list_id: int
    position: int
    name: str
    number: str
    dial: str
    display: str
    company: str
    notes: str
    state: EntryState
    call_uuid: str  # the call placed for this entry, "" if none yet
    numbers: tuple[EntryNumber, ...] = ()
    dnc: bool = False
    attempts: int = 0  # calls placed for this entry
    due_at: datetime | None = None  # aware, UTC; None = due now
    result: str = ""  # last result: "busy", "no_answer", "unknown" or the rep's outcome


@dataclass(frozen=True)
class CallListSummary:
    """A list's name and progress, without its entries."""

    id: int
    name: str
    created_at: datetime  # aware, UTC
    archived: bool
    total: int
    done: int
    skipped: int
    dnc: int = 0  # still to do but on the do-not-call list: never called

    @property
    def left(self) -> int:
        """Entries still to call."""
        return self.total - self.done - self.skipped - self.dnc


@dataclass(frozen=True)
class ListRules:
    """A list's own retry rules (``None``: the Settings default) and its auto-advance toggle."""

    busy_minutes: int | None = None
    no_answer_minutes: int | None = None
    max_attempts: int | None = None
    auto_advance: bool = False


@dataclass(frozen=True)
class Progress:
    """What a row becomes after a call: its state, calls so far, when due, its last result."""

    state: EntryState
    attempts: int
    due_at: datetime | None  # aware, UTC; None = due now
    result: str


def _entry(row: sqlite3.Row) -> ListEntry:
    return ListEntry(
        id=row["id"],
        list_id=row["list_id"],
        position=row["position"],
        name=row["name"],
        number=row["number"],
        dial=row["dial"],
        display=row["display"],
        company=row["company"],
        notes=row["notes"],
        state=cast(EntryState, row["state"]),
        call_uuid=row["call_uuid"],
        numbers=numbers_from_json(row["numbers"]),
        dnc=bool(row["dnc"]),
        attempts=row["attempts"],
        due_at=from_db_time(row["due_at"]),
        result=row["result"],
    )


def _summary(row: sqlite3.Row) -> CallListSummary:
    created = from_db_time(row["created_at"])
    assert created is not None
    return CallListSummary(
        id=row["id"],
        name=row["name"],
        created_at=created,
        archived=bool(row["archived"]),
        total=row["total"],
        done=row["done"],
        skipped=row["skipped"],
        dnc=row["dnc"],
    )


def _list_name(name: str) -> str:
    name = " ".join(redact(name).split())
    if not name:
        raise BadInput("Give the list a name.")
    if len(name) > MAX_LIST_NAME:
        raise BadInput(f"A list name can be at most {MAX_LIST_NAME} characters long.")
    return name


def _redacted(entries: list[NewEntry]) -> list[NewEntry]:
    """``entries`` with the API key masked in every text; one pass over all of them when (as
    always in practice) none holds it, instead of a redaction per cell."""
    texts = "\n".join(f"{e.name}\n{e.number}\n{e.company}\n{e.notes}" for e in entries)
    if redact(texts) == texts:
        return entries
    return [
        NewEntry(redact(e.name), redact(e.number), e.dial, e.display, redact(e.company),
                 redact(e.notes), e.numbers, e.dnc)
        for e in entries
    ]  # fmt: skip


def _redacted_stream(entries: Iterable[NewEntry]) -> Iterator[NewEntry]:
    """``_redacted`` a few thousand entries at a time: an import of a million rows is never
    held in memory at once."""
    iterator = iter(entries)
    while batch := list(islice(iterator, _REDACT_BATCH)):
        yield from _redacted(batch)


class CallListStore:
    """The call lists in the call log's file; every method is one short transaction."""

    def __init__(self, call_log: CallLog) -> None:
        self._log = call_log

    # --- lists ------------------------------------------------------------------------------

    def create_list(self, name: str, entries: Iterable[NewEntry]) -> int:
        """Store a new list with ``entries`` in their order; return its id. All or nothing."""
        name = _list_name(name)
        with self._log.bulk_transaction() as db:
            list_id = db.execute(
                "INSERT INTO call_lists (name, created_at) VALUES (?, ?)",
                (name, to_db_time(datetime.now(UTC))),
            ).lastrowid
            assert list_id is not None
            db.executemany(
                "INSERT INTO call_list_entries (list_id, position, name, number, dial, display, "
                "company, notes, numbers, dnc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        list_id,
                        position,
                        e.name,
                        e.number,
                        e.dial,
                        e.display,
                        e.company,
                        e.notes,
                        numbers_to_json(e.numbers),
                        int(e.dnc),
                    )
                    for position, e in enumerate(_redacted_stream(entries))
                ),
            )
        return list_id

    def lists(self, include_archived: bool = False) -> list[CallListSummary]:
        """Every list with its progress: current ones first, newest first within each."""
        where = "" if include_archived else " WHERE l.archived = 0"
        sql = f"{_SUMMARY}{where} GROUP BY l.id ORDER BY l.archived, l.created_at DESC, l.id DESC"
        with self._log.connection() as db:
            return [_summary(row) for row in db.execute(sql).fetchall()]

    def summary(self, list_id: int) -> CallListSummary:
        """One list's name and progress; ``BadInput`` if it was deleted."""
        with self._log.connection() as db:
            row = db.execute(f"{_SUMMARY} WHERE l.id = ? GROUP BY l.id", (list_id,)).fetchone()
        if row is None:
            raise BadInput(MISSING_LIST, f"call list {list_id}")
        return _summary(row)

    def rename(self, list_id: int, name: str) -> None:
        name = _list_name(name)
        self._change_list("UPDATE call_lists SET name = ? WHERE id = ?", (name, list_id))

    def archive(self, list_id: int, archived: bool = True) -> None:
        """Hide a finished list from ``lists()`` (``archived=False`` brings it back)."""
        self._change_list(
            "UPDATE call_lists SET archived = ? WHERE id = ?", (int(archived), list_id)
        )

    def delete_list(self, list_id: int) -> None:
        """Remove a list and its entries; the calls already placed stay in the call log."""
        with self._log.transaction() as db:
            db.execute("DELETE FROM call_list_entries WHERE list_id = ?", (list_id,))
            if not db.execute("DELETE FROM call_lists WHERE id = ?", (list_id,)).rowcount:
                raise BadInput(MISSING_LIST, f"call list {list_id}")

    def _change_list(self, sql: str, params: tuple[object, ...]) -> None:
        with self._log.connection() as db:
            if not db.execute(sql, params).rowcount:
                raise BadInput(MISSING_LIST, f"call list {params[-1]}")

    # --- entries ----------------------------------------------------------------------------

    def entries(self, list_id: int) -> list[ListEntry]:
        """The list's entries in their order (an empty list for a deleted one)."""
        sql = (
            f"SELECT {_ENTRY_COLUMNS} FROM call_list_entries "  # noqa: S608 - constant columns
            "WHERE list_id = ? ORDER BY position"
        )
        with self._log.connection() as db:
            return [_entry(row) for row in db.execute(sql, (list_id,)).fetchall()]

    def entry(self, entry_id: int) -> ListEntry:
        """One entry as stored now; ``BadInput`` if it was deleted."""
        sql = f"SELECT {_ENTRY_COLUMNS} FROM call_list_entries WHERE id = ?"  # noqa: S608
        with self._log.connection() as db:
            row = db.execute(sql, (entry_id,)).fetchone()
        if row is None:
            raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")
        return _entry(row)

    def next_entry(self, list_id: int) -> ListEntry | None:
        """The first entry still to call, by position; ``None`` when the list is worked through."""
        sql = (
            f"SELECT {_ENTRY_COLUMNS} FROM call_list_entries "  # noqa: S608 - constant columns
            "WHERE list_id = ? AND state = 'todo' ORDER BY position LIMIT 1"
        )
        with self._log.connection() as db:
            row = db.execute(sql, (list_id,)).fetchone()
        return None if row is None else _entry(row)

    def mark_called(self, entry_id: int, call_uuid: str) -> None:
        """A call was placed for this entry: it is done, and remembers the call's id."""
        self._set_state(entry_id, "done", redact(call_uuid))

    def skip(self, entry_id: int) -> None:
        """Move on without calling; ``reset`` brings it back."""
        self._set_state(entry_id, "skipped", None)

    def reset(self, entry_id: int) -> None:
        """Back to "todo", due now (to call again); the id of the last call and the count of
        calls are kept."""
        with self._log.connection() as db:
            changed = db.execute(
                "UPDATE call_list_entries SET state = 'todo', due_at = NULL, result = '' "
                "WHERE id = ?",
                (entry_id,),
            ).rowcount
        if not changed:
            raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")

    def set_progress(self, entry_id: int, progress: Progress, call_uuid: str | None = None) -> None:
        """Store what a call (or the rep's outcome) did to an entry; ``call_uuid`` if a call
        was made for it."""
        due = None if progress.due_at is None else to_db_time(progress.due_at)
        with self._log.connection() as db:
            changed = db.execute(
                "UPDATE call_list_entries SET state = ?, attempts = ?, due_at = ?, result = ?, "
                "call_uuid = coalesce(?, call_uuid) WHERE id = ?",
                (
                    progress.state,
                    progress.attempts,
                    due,
                    redact(progress.result),
                    None if call_uuid is None else redact(call_uuid),
                    entry_id,
                ),
            ).rowcount
        if not changed:
            raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")

    def entry_for_call(self, call_uuid: str) -> ListEntry | None:
        """The entry whose last call is ``call_uuid``, if a list placed it."""
        if not call_uuid:
            return None
        sql = (
            f"SELECT {_ENTRY_COLUMNS} FROM call_list_entries "  # noqa: S608 - constant columns
            "WHERE call_uuid = ? ORDER BY id DESC LIMIT 1"
        )
        with self._log.connection() as db:
            row = db.execute(sql, (redact(call_uuid),)).fetchone()
        return None if row is None else _entry(row)

    def mark_do_not_call(self, entry_id: int) -> None:
        """The entry's number is on the do-not-call list: flag it so it is never called."""
        with self._log.connection() as db:
            if not db.execute(
                "UPDATE call_list_entries SET dnc = 1 WHERE id = ?", (entry_id,)
            ).rowcount:
                raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")

    def rules(self, list_id: int) -> ListRules:
        """A list's retry rules and auto-advance toggle; ``BadInput`` if it was deleted."""
        with self._log.connection() as db:
            row = db.execute(
                "SELECT retry_busy_minutes, retry_no_answer_minutes, max_attempts, auto_advance "
                "FROM call_lists WHERE id = ?",
                (list_id,),
            ).fetchone()
        if row is None:
            raise BadInput(MISSING_LIST, f"call list {list_id}")
        return ListRules(
            row["retry_busy_minutes"],
            row["retry_no_answer_minutes"],
            row["max_attempts"],
            bool(row["auto_advance"]),
        )

    def set_rules(self, list_id: int, rules: ListRules) -> None:
        """Store a list's retry rules (``None`` each: the Settings default) and auto-advance."""
        for value in (rules.busy_minutes, rules.no_answer_minutes, rules.max_attempts):
            if value is not None and value < 0:
                raise BadInput("Retry times and attempts cannot be negative.")
        self._change_list(
            "UPDATE call_lists SET retry_busy_minutes = ?, retry_no_answer_minutes = ?, "
            "max_attempts = ?, auto_advance = ? WHERE id = ?",
            (
                rules.busy_minutes,
                rules.no_answer_minutes,
                rules.max_attempts,
                int(rules.auto_advance),
                list_id,
            ),
        )

    def _set_state(self, entry_id: int, state: EntryState, call_uuid: str | None) -> None:
        with self._log.connection() as db:
            changed = db.execute(
                "UPDATE call_list_entries SET state = ?, call_uuid = coalesce(?, call_uuid) "
                "WHERE id = ?",
                (state, call_uuid, entry_id),
            ).rowcount
        if not changed:
            raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")

    def move(self, entry_id: int, new_position: int) -> int:
        """Put an entry at ``new_position`` (clamped to the list), shifting the ones between;
        return the position it got."""
        with self._log.transaction() as db:
            row = db.execute(
                "SELECT list_id, position FROM call_list_entries WHERE id = ?", (entry_id,)
            ).fetchone()
            if row is None:
                raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")
            list_id, old = row["list_id"], row["position"]
            count = db.execute(
                "SELECT count(*) FROM call_list_entries WHERE list_id = ?", (list_id,)
            ).fetchone()[0]
            new = max(0, min(new_position, count - 1))
            if new < old:
                db.execute(
                    "UPDATE call_list_entries SET position = position + 1 "
                    "WHERE list_id = ? AND position >= ? AND position < ?",
                    (list_id, new, old),
                )
            elif new > old:
                db.execute(
                    "UPDATE call_list_entries SET position = position - 1 "
                    "WHERE list_id = ? AND position > ? AND position <= ?",
                    (list_id, old, new),
                )
            db.execute("UPDATE call_list_entries SET position = ? WHERE id = ?", (new, entry_id))
        return int(new)

    # --- rows typed by the rep --------------------------------------------------------------

    def add_entry(self, list_id: int, entry: NewEntry) -> ListEntry:
        """Put a row the rep typed at the end of the list and return it as stored; it is
        flagged do-not-call when one of its numbers is on the do-not-call list."""
        entry, dnc = _redacted([entry])[0], entry.dnc or self._blocked(entry)
        with self._log.transaction() as db:
            if db.execute("SELECT 1 FROM call_lists WHERE id = ?", (list_id,)).fetchone() is None:
                raise BadInput(MISSING_LIST, f"call list {list_id}")
            position = db.execute(
                "SELECT count(*) FROM call_list_entries WHERE list_id = ?", (list_id,)
            ).fetchone()[0]
            entry_id = db.execute(
                "INSERT INTO call_list_entries (list_id, position, name, number, dial, display, "
                "company, notes, numbers, dnc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (list_id, position, entry.name, entry.number, entry.dial, entry.display,
                 entry.company, entry.notes, numbers_to_json(entry.numbers), int(dnc)),
            ).lastrowid  # fmt: skip
        assert entry_id is not None
        return self.entry(entry_id)

    def update_entry(self, entry_id: int, entry: NewEntry) -> ListEntry:
        """Replace a row's name, company, notes and numbers (its place, state and attempts stay)
        and return it as stored; the do-not-call flag follows its numbers as at ``add_entry``."""
        entry, dnc = _redacted([entry])[0], entry.dnc or self._blocked(entry)
        with self._log.connection() as db:
            changed = db.execute(
                "UPDATE call_list_entries SET name = ?, number = ?, dial = ?, display = ?, "
                "company = ?, notes = ?, numbers = ?, dnc = ? WHERE id = ?",
                (entry.name, entry.number, entry.dial, entry.display, entry.company, entry.notes,
                 numbers_to_json(entry.numbers), int(dnc), entry_id),
            ).rowcount  # fmt: skip
        if not changed:
            raise BadInput(MISSING_ENTRY, f"list entry {entry_id}")
        return self.entry(entry_id)

    def _blocked(self, entry: NewEntry) -> bool:
        """Whether any number of ``entry`` is on the do-not-call list (by its international
        digits, as the list keeps it, or as dialled)."""
        from a1dialer.core.do_not_call import DoNotCallList

        blocked = DoNotCallList(self._log)
        numbers = entry.numbers or (EntryNumber("", entry.number, entry.dial, entry.display),)
        return any(
            blocked.is_blocked(text) for n in numbers for text in (n.display, n.dial) if text
        )
