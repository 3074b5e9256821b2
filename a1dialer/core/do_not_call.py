"""The do-not-call list: numbers A1 Dialer refuses to dial, from every path, with a sentence why.

Stored in the call log's file (table created by its migrations). A number is kept under its
international digits ("12085551234", from the ``+1 208-555-1234`` display form), so changing the
number format setting does not unblock anyone; extensions and feature codes are kept as dialled.
``pbx.placing.place_call`` checks it before anything is logged or sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from a1dialer.core.calllog import CallLog, from_db_time, to_db_time
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import DialTarget, digits_only, parse_dial_input
from a1dialer.core.redaction import redact
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from a1dialer.core.csv_import import RejectedRow

MAX_REASON = 500
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class OnDoNotCallList(BadInput):
    """The number is on the do-not-call list; nothing was logged or sent.

    DESIGN.md's exit-code table has no slot of its own for this, so it is bad input (2).
    """


@dataclass(frozen=True)
class DoNotCallEntry:
    """One blocked number."""

    dial: str  # as it was dialled when added
    display: str  # "+1 208-555-1234"
    reason: str  # "" if none was given
    added_at: datetime  # aware, UTC

    @property
    def key(self) -> str:
        return _key(self.dial, self.display)


def _key(dial: str, display: str) -> str:
    """International digits for a phone number; an extension or feature code as dialled."""
    for text in (display.strip(), dial.strip()):
        if text.startswith("+"):
            return digits_only(text)
    return dial.strip()


def added_on(moment: datetime) -> str:
    """ "28 Nov 2026" in this computer's time zone, spelled the same in every locale."""
    local = moment.astimezone()
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def refusal_sentence(entry: DoNotCallEntry) -> str:
    """The sentence the rep sees when a blocked number is dialled."""
    number, added = entry.display or entry.dial, added_on(entry.added_at)
    if entry.reason:
        # Translators: {added} is a date such as "28 Nov 2026"; {reason} the team's own words.
        sentence = _(
            "{number} is on the do-not-call list (added {added}: {reason}). A1 Dialer will not "
            "dial it."
        )
    else:
        sentence = _(
            "{number} is on the do-not-call list (added {added}). A1 Dialer will not dial it."
        )
    return sentence.format(number=number, added=added, reason=entry.reason)


def _entry(row: sqlite3.Row) -> DoNotCallEntry:
    added = from_db_time(row["added_at"])
    assert added is not None
    return DoNotCallEntry(row["dial"], row["display"], row["reason"], added)


class DoNotCallList:
    """The blocked numbers in the call log's file; safe from any thread, like the call log."""

    def __init__(self, call_log: CallLog) -> None:
        self._log = call_log

    def add(self, dial: str, display: str, reason: str = "") -> bool:
        """Block a number; ``False`` if it was already blocked (its date and reason are kept)."""
        reason = " ".join(redact(reason).split())
        if len(reason) > MAX_REASON:
            raise BadInput(
                _("The reason can be at most {most} characters long.").format(most=MAX_REASON)
            )
        if not dial.strip():
            raise BadInput(_("Type or paste a phone number to block."))
        with self._log.connection() as db:
            return bool(
                db.execute(
                    "INSERT OR IGNORE INTO do_not_call (key, dial, display, reason, added_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (_key(dial, display), dial.strip(), display.strip(), reason,
                     to_db_time(datetime.now(UTC))),
                ).rowcount
            )  # fmt: skip

    def remove(self, dial: str | DialTarget) -> bool:
        """Unblock a number (as dialled, or its international digits); ``False`` if it was not
        blocked."""
        keys = self._keys(dial)
        with self._log.connection() as db:
            return bool(
                db.execute(
                    "DELETE FROM do_not_call WHERE key IN (?, ?) OR dial IN (?, ?)", (*keys, *keys)
                ).rowcount
            )

    def contains(self, dial: str | DialTarget) -> DoNotCallEntry | None:
        """The entry blocking this number, or ``None``. One indexed lookup: cheap enough for
        every keystroke of the live preview."""
        keys = self._keys(dial)
        with self._log.connection() as db:
            row = db.execute(
                "SELECT dial, display, reason, added_at FROM do_not_call "
                "WHERE key IN (?, ?) OR dial IN (?, ?) LIMIT 1",
                (*keys, *keys),
            ).fetchone()
        return None if row is None else _entry(row)

    def is_blocked(self, dial: str | DialTarget) -> bool:
        return self.contains(dial) is not None

    def check(self, target: DialTarget) -> None:
        """Raise ``OnDoNotCallList`` with the refusal sentence if ``target`` is blocked."""
        entry = self.contains(target)
        if entry is not None:
            raise OnDoNotCallList(refusal_sentence(entry), f"do-not-call key {entry.key}")

    def keys(self) -> frozenset[str]:
        """Every blocked number's key (international digits, or an extension as dialled): one
        read, so a list import checks 50,000 rows against it with set lookups."""
        with self._log.connection() as db:
            return frozenset(row[0] for row in db.execute("SELECT key FROM do_not_call"))

    def entries(self) -> list[DoNotCallEntry]:
        """Every blocked number, newest first."""
        with self._log.connection() as db:
            rows = db.execute(
                "SELECT dial, display, reason, added_at FROM do_not_call "
                "ORDER BY added_at DESC, key"
            ).fetchall()
        return [_entry(row) for row in rows]

    def import_numbers(
        self,
        lines_or_csv_path: Iterable[str] | Path,
        default_country: str,
        number_format: str,
        reason: str = "",
        *,
        extension_digits: str = "2-5",
    ) -> tuple[int, list[RejectedRow], int]:
        """Block every number of a CSV file (its phone columns) or of some lines of text.

        Returns how many were newly blocked, the rows that held no usable number (the first
        ``MAX_REJECTED_KEPT``) and how many rows that was in all. A file is read one row at a
        time and staged on disk, so its length does not show in memory.
        """
        # Loaded here: every call checks this list, only an import needs the CSV reader.
        from a1dialer.core.csv_columns import guess_columns
        from a1dialer.core.csv_import import RejectedRow, convert, read_table

        reason = " ".join(redact(reason).split())[:MAX_REASON]
        if not isinstance(lines_or_csv_path, Path):
            targets, rejected = [], []
            for line, text in enumerate(lines_or_csv_path, start=1):
                if not text.strip():
                    continue
                try:
                    target = parse_dial_input(
                        text.strip(),
                        default_country,
                        number_format,
                        extension_digits=extension_digits,
                    )
                except BadInput as exc:
                    rejected.append(RejectedRow(line, text.strip()[:200], exc.sentence))
                    continue
                targets.append((target.dial, target.display))
            return self._block(targets, reason), rejected, len(rejected)
        table = read_table(lines_or_csv_path)
        mapping = guess_columns(table.headers)
        if mapping.phone is None:
            raise BadInput(
                _(
                    "{file} has no column named Phone, Mobile or Number; name the column of "
                    "numbers and import again."
                ).format(file=lines_or_csv_path.name)
            )
        result = convert(
            table,
            mapping,
            default_country,
            number_format,
            reject_duplicates=False,
            extension_digits=extension_digits,
        )
        try:
            # Every number of a row with several phone columns (Phone, Mobile) is blocked.
            added = self._block(
                (
                    (number.dial, number.display)
                    for entry in result.entries
                    for number in (entry.numbers or (entry,))
                ),
                reason,
            )
        finally:
            result.entries.close()
        return added, result.rejected, result.rejected_count

    def _block(self, targets: Iterable[tuple[str, str]], reason: str) -> int:
        """Add ``(dial, display)`` pairs in one transaction; how many were new."""
        now = to_db_time(datetime.now(UTC))
        with self._log.bulk_transaction() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO do_not_call (key, dial, display, reason, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                ((_key(dial, display), dial, display, reason, now) for dial, display in targets),
            )
            return db.total_changes - before

    @staticmethod
    def _keys(dial: str | DialTarget) -> tuple[str, str]:
        """The keys a number may be stored under: from a target, its international digits; from
        text, the text as dialled and its digits (e164 "12085551234", plus-e164 "+1...")."""
        if isinstance(dial, DialTarget):
            return _key(dial.dial, dial.display), dial.dial
        text = dial.strip()
        return digits_only(text) if not text.startswith("*") else text, text
