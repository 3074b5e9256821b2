"""The entries of an import, staged in a private temporary SQLite file in file order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from a1dialer.core.call_lists import NewEntry, numbers_from_json, numbers_to_json
from a1dialer.core.errors import LocalProblem
from a1dialer.core.translation import _


class StagedEntries:
    """The entries of an import in file order, kept in a private temporary SQLite file.

    A million rows would be half a gigabyte as Python objects; here they cost a few megabytes of
    page cache, and a number already seen earlier in the file is found by an index. The file is
    deleted when ``close`` is called or the object is dropped.
    """

    def __init__(self) -> None:
        try:
            # "" is SQLite's private temporary file: on disk, never in the profile.
            self._db = sqlite3.connect("", check_same_thread=False, isolation_level=None)
            self._db.execute(
                "CREATE TABLE staged (position INTEGER PRIMARY KEY, line INTEGER, text TEXT, "
                "name TEXT, number TEXT, dial TEXT, display TEXT, company TEXT, notes TEXT, "
                "numbers TEXT, dnc INTEGER)"
            )
            self._db.execute("BEGIN")
        except sqlite3.Error as exc:
            raise _no_room(exc) from exc
        self._count = 0

    def add_many(self, rows: Iterable[tuple[int, str, NewEntry]]) -> None:
        """Append ``(line, row text, entry)`` rows in file order."""
        values = [
            (line, text, e.name, e.number, e.dial, e.display, e.company, e.notes,
             numbers_to_json(e.numbers) if e.numbers else None, 1 if e.dnc else None)
            for line, text, e in rows
        ]  # fmt: skip
        try:
            self._db.executemany(
                "INSERT INTO staged (line, text, name, number, dial, display, company, notes, "
                "numbers, dnc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        except sqlite3.Error as exc:
            raise _no_room(exc) from exc
        self._count += len(values)

    def drop_repeats(self) -> Iterator[tuple[int, str, str, int]]:
        """Remove every entry whose number came earlier in the file; yield each removed one as
        ``(line, row text, display, first line)`` in file order."""
        try:
            self._db.execute("CREATE INDEX staged_by_dial ON staged (dial, position)")
            repeats = self._db.execute(
                "WITH firsts AS (SELECT dial, min(position) AS first FROM staged GROUP BY dial "
                "HAVING count(*) > 1) "
                "SELECT s.position, s.line, s.text, s.display, f.line FROM staged s "
                "JOIN firsts ON s.dial = firsts.dial AND s.position > firsts.first "
                "JOIN staged f ON f.position = firsts.first ORDER BY s.position"
            ).fetchall()
            self._db.executemany(
                "DELETE FROM staged WHERE position = ?", ((row[0],) for row in repeats)
            )
        except sqlite3.Error as exc:
            raise _no_room(exc) from exc
        self._count -= len(repeats)
        for _position, line, text, display, first in repeats:
            yield line, text, display, first

    def dnc_count(self) -> int:
        """How many entries are flagged do-not-call (after ``drop_repeats``)."""
        try:
            return int(self._db.execute("SELECT count(*) FROM staged WHERE dnc").fetchone()[0])
        except sqlite3.Error as exc:
            raise _no_room(exc) from exc

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[NewEntry]:
        cursor = self._db.execute(f"SELECT {_COLUMNS} FROM staged ORDER BY position")  # noqa: S608
        while batch := cursor.fetchmany(1000):
            for row in batch:
                yield _entry(row)

    def __getitem__(self, index: int) -> NewEntry:
        if not 0 <= index < self._count:
            raise IndexError(index)
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM staged ORDER BY position LIMIT 1 OFFSET ?",  # noqa: S608
            (index,),
        ).fetchone()
        return _entry(row)

    def close(self) -> None:
        self._db.close()


_COLUMNS = "name, number, dial, display, company, notes, numbers, dnc"


def _entry(row: tuple[str, str, str, str, str, str, str | None, int | None]) -> NewEntry:
    numbers = numbers_from_json(row[6]) if row[6] else ()
    return NewEntry(row[0], row[1], row[2], row[3], row[4], row[5], numbers, bool(row[7]))


def _no_room(exc: sqlite3.Error) -> LocalProblem:
    return LocalProblem(
        _(
            "There is no room for the import's temporary file; free some disk space and "
            "import again."
        ),
        f"{type(exc).__name__}: {exc}",
    )
