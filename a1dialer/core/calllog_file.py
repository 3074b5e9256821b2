"""The call log's SQLite file: one connection under a lock, and the schema's migrations.

The schema is versioned with ``PRAGMA user_version``: each entry of ``MIGRATIONS`` takes the file
one version further, so a new column is one function appended to that list. A file from a newer
app is refused untouched; one that cannot be written opens read-only, and one SQLite finds damaged
is left alone from then on. The stores that share the file (calls, call lists, the do-not-call
list) use its one connection through ``connection`` and ``transaction``.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from a1dialer.core.errors import LocalProblem

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
_CACHE_KB = 32_000
_BULK_CACHE_KB = 4_000
NEWER_SENTENCE = "The call log was written by a newer A1 Dialer; update the app."


def _v1_create_calls(db: sqlite3.Connection) -> None:
    # Times are UTC microseconds since the epoch: exact, and ordered as numbers.
    db.execute(
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            number TEXT NOT NULL,
            display_number TEXT NOT NULL,
            name TEXT NOT NULL,
            ringback TEXT NOT NULL,
            auto_answer INTEGER NOT NULL,
            recorded INTEGER NOT NULL,
            status TEXT NOT NULL,
            error TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '',
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            digits TEXT NOT NULL,
            name_key TEXT NOT NULL,
            recording_path TEXT
        )"""
    )
    # Covering index for search and count: newest first, and every column a filter reads.
    db.execute(
        "CREATE INDEX calls_search ON calls (started_at, id, digits, name_key, status, recorded)"
    )


def _v2_add_outcomes(db: sqlite3.Connection) -> None:
    # The rep's outcome and note. outcome_key holds both folded for search, inside the covering
    # index; it is '' for calls without them, so the index grows only by what reps write.
    # callback_reminded_at makes a call-back reminder fire once, even across restarts.
    for column in (
        "outcome TEXT NOT NULL DEFAULT ''",
        "note TEXT NOT NULL DEFAULT ''",
        "callback_at INTEGER",
        "callback_reminded_at INTEGER",
        "outcome_key TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE calls ADD COLUMN {column}")
    db.execute("DROP INDEX calls_search")
    db.execute(
        "CREATE INDEX calls_search "
        "ON calls (started_at, id, digits, name_key, outcome_key, status, recorded)"
    )
    # Only call-backs still waiting for their reminder: the periodic check reads a tiny index.
    db.execute(
        "CREATE INDEX calls_callbacks_due ON calls (callback_at) "
        "WHERE callback_at IS NOT NULL AND callback_reminded_at IS NULL"
    )


def _v3_create_call_lists(db: sqlite3.Connection) -> None:
    # Call lists live next to the calls so one file holds a rep's whole day (see call_lists).
    db.execute(
        """CREATE TABLE call_lists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            archived INTEGER NOT NULL DEFAULT 0
        )"""
    )
    # position runs 0..n-1 within a list; state is todo, done or skipped.
    db.execute(
        """CREATE TABLE call_list_entries (
            id INTEGER PRIMARY KEY,
            list_id INTEGER NOT NULL REFERENCES call_lists (id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            number TEXT NOT NULL,
            dial TEXT NOT NULL,
            display TEXT NOT NULL,
            company TEXT NOT NULL,
            notes TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'todo',
            call_uuid TEXT NOT NULL DEFAULT ''
        )"""
    )
    # "Next todo by position" and the done/left counts read only this index.
    db.execute(
        "CREATE INDEX call_list_entries_by_state ON call_list_entries (list_id, state, position)"
    )
    db.execute(
        "CREATE INDEX call_list_entries_by_position ON call_list_entries (list_id, position)"
    )


def _v4_create_do_not_call(db: sqlite3.Connection) -> None:
    # key: the number's international digits ("12085551234"), or an extension as dialled, so a
    # change of the number format setting does not unblock anyone (see do_not_call).
    db.execute(
        """CREATE TABLE do_not_call (
            key TEXT PRIMARY KEY,
            dial TEXT NOT NULL,
            display TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            added_at INTEGER NOT NULL
        )"""
    )
    db.execute("CREATE INDEX do_not_call_by_dial ON do_not_call (dial)")


def _v5_recorded_truth_and_extension(db: sqlite3.Connection) -> None:
    # "recorded" held the rep's wish, so failed calls showed as recorded; it now means the PBX
    # accepted a call placed with recording on, and the wish moves to record_requested.
    # extension: the extension to ask for once connected ("x55"), searchable in the index.
    db.execute("ALTER TABLE calls ADD COLUMN record_requested INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE calls ADD COLUMN extension TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE calls SET record_requested = recorded")
    db.execute("UPDATE calls SET recorded = 0 WHERE status != 'placed' AND recorded != 0")
    db.execute("DROP INDEX calls_search")
    db.execute(
        "CREATE INDEX calls_search "
        "ON calls (started_at, id, digits, name_key, outcome_key, status, recorded, extension)"
    )


def _v6_list_loop_and_identity(db: sqlite3.Connection) -> None:
    # Power dialing (call lists): every number a row had (JSON list of {"label", "number",
    # "dial", "display"}, '[]' when the row had only its main number), the do-not-call flag set
    # at import, how often the row was tried, when it is next due (UTC microseconds, NULL = now)
    # and the last result shown in the list's State column ("busy", "no_answer", "unknown" or
    # the rep's outcome).
    for column in (
        "numbers TEXT NOT NULL DEFAULT '[]'",
        "dnc INTEGER NOT NULL DEFAULT 0",
        "attempts INTEGER NOT NULL DEFAULT 0",
        "due_at INTEGER",
        "result TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE call_list_entries ADD COLUMN {column}")
    # Retry rules per list; NULL means "the default from Settings".
    for column in (
        "retry_busy_minutes INTEGER",
        "retry_no_answer_minutes INTEGER",
        "max_attempts INTEGER",
        "auto_advance INTEGER NOT NULL DEFAULT 0",
    ):
        db.execute(f"ALTER TABLE call_lists ADD COLUMN {column}")
    # Calling identity: the caller ID the customer saw and the phone that rang first when it
    # was not the rep's extension ('' = the extension).
    for column in (
        "cid_number TEXT NOT NULL DEFAULT ''",
        "cid_name TEXT NOT NULL DEFAULT ''",
        "ring_me_at TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(f"ALTER TABLE calls ADD COLUMN {column}")
    # The "Call-backs due" view: when the rep marked a call-back done (NULL = still open); the
    # partial index holds only the open ones, so the view reads a tiny index.
    db.execute("ALTER TABLE calls ADD COLUMN callback_done_at INTEGER")
    db.execute(
        "CREATE INDEX calls_callbacks_open ON calls (callback_at) "
        "WHERE callback_at IS NOT NULL AND callback_done_at IS NULL"
    )


# Append one function per schema version; never edit or reorder the ones already shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_create_calls,
    _v2_add_outcomes,
    _v3_create_call_lists,
    _v4_create_do_not_call,
    _v5_recorded_truth_and_extension,
    _v6_list_loop_and_identity,
]
SCHEMA_VERSION = len(MIGRATIONS)


def _is_damage(exc: BaseException) -> bool:
    """Whether SQLite says the file itself is damaged (not busy, full or read-only)."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


class CallLogFile:
    """The open SQLite file, safe to share between threads: one connection guarded by a lock.

    ``_opened(db)`` runs once the file is open and migrated, still before anyone else may use it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        # True when the file could only be opened for reading (a read-only folder or disk):
        # the history still reads, and every write says why it cannot be made.
        self.read_only = False
        # Set when SQLite finds the file damaged, at open or any time later: from then on the
        # file is left alone (nothing read, nothing written) and every use says so.
        self.damaged: LocalProblem | None = None
        self._damage_listeners: list[Callable[[LocalProblem], None]] = []
        try:
            self._db = self._connect(read_only=False)
        except LocalProblem as problem:
            if not self._cannot_write(problem) or not self.path.is_file():
                raise
            self._db = self._connect(read_only=True)
            self.read_only = True
            log.warning("The call log %s opened read-only: %s", self.path, problem.details)

    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        try:
            if read_only:
                # immutable: no -shm or -wal file can be made beside it, and none is needed to
                # read a log that was closed cleanly (the last close folds the -wal back in).
                uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
                db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except (OSError, sqlite3.Error) as exc:
            raise self._problem(exc) from exc
        try:
            db.row_factory = sqlite3.Row
            if read_only:
                self._check_readable(db)
            else:
                self._open(db)
        except BaseException as exc:
            db.close()
            if isinstance(exc, sqlite3.Error):
                raise self._problem(exc) from exc
            raise
        return db

    @staticmethod
    def _cannot_write(problem: LocalProblem) -> bool:
        """Whether opening failed only because nothing may be written where the file is."""
        cause = problem.__cause__
        if isinstance(cause, OSError):
            return cause.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC)
        code = getattr(cause, "sqlite_errorname", "")
        return code.startswith(
            ("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR")
        )

    def _check_readable(self, db: sqlite3.Connection) -> None:
        """A log opened read-only must already have this app's schema: it cannot be migrated."""
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found != len(MIGRATIONS):
            raise LocalProblem(
                NEWER_SENTENCE
                if found > len(MIGRATIONS)
                else f"The call log {self.path} cannot be written, and this version of "
                "A1 Dialer has to update it once; make its folder writable and start again.",
                f"{self.path} has schema version {found}; this app knows {len(MIGRATIONS)}.",
            )
        db.execute("SELECT count(*) FROM calls WHERE id < 0").fetchone()

    def _open(self, db: sqlite3.Connection) -> None:
        # Read the version before anything writes: a newer app's file must stay untouched.
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > len(MIGRATIONS):
            raise LocalProblem(
                NEWER_SENTENCE,
                f"{self.path} has schema version {found}; this app knows up to {len(MIGRATIONS)}.",
            )
        db.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL survives an app crash (the case that matters) without an fsync per call.
        db.execute("PRAGMA synchronous = NORMAL")
        # Up to 32 MB of page cache keeps the search index of 100,000 calls in memory.
        db.execute(f"PRAGMA cache_size = -{_CACHE_KB:d}")
        if found < len(MIGRATIONS):
            self._migrate(db)
        self._opened(db)

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                migration(db)
                db.execute(f"PRAGMA user_version = {number:d}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _problem(self, exc: OSError | sqlite3.Error) -> LocalProblem:
        """One sentence for a SQLite failure, naming the file when the rep has to act on it."""
        code = getattr(exc, "sqlite_errorname", "")  # e.g. SQLITE_CORRUPT, SQLITE_BUSY_SNAPSHOT
        details = f"{self.path}: {type(exc).__name__}: {exc} {code}".rstrip()
        if _is_damage(exc):
            return LocalProblem(
                f"The call log {self.path} is damaged. Move that file somewhere else and start "
                "A1 Dialer again; a new, empty call log will be created.",
                details,
            )
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return LocalProblem(
                "The call log is busy in another A1 Dialer program; try again in a moment.", details
            )
        if code == "SQLITE_FULL" or getattr(exc, "errno", None) == errno.ENOSPC:
            return LocalProblem(
                f"The disk holding the call log {self.path} is full; free some space.", details
            )
        if code.startswith("SQLITE_READONLY") or getattr(exc, "errno", None) == errno.EROFS:
            return LocalProblem(
                f"The call log {self.path} is read-only (its folder or disk cannot be written), "
                "so nothing can be added to it; make that folder writable and try again.",
                details,
            )
        return LocalProblem(
            f"The call log {self.path} could not be read or written; check that the folder exists "
            "and that you may write to it.",
            details,
        )

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The file's one connection, held under the lock; SQLite errors become ``LocalProblem``.

        Also used by the stores that share this file (call lists, the do-not-call list), so they
        are thread-safe in the same way and migrate with it.
        """
        with self._lock:
            if self.damaged is not None:
                raise LocalProblem(self.damaged.sentence, self.damaged.details)
            if self._db is None:
                raise LocalProblem("The call log is already closed; restart A1 Dialer.")
            try:
                yield self._db
            except sqlite3.IntegrityError:
                raise
            except sqlite3.Error as exc:
                problem = self._problem(exc)
                if _is_damage(exc):
                    self.damaged = problem
                    log.error("The call log is damaged: %s", problem.details)
                    for listener in self._damage_listeners:
                        listener(problem)
                raise problem from exc

    def on_damaged(self, listener: Callable[[LocalProblem], None]) -> None:
        """Call ``listener`` once, from whichever thread finds it, when the file turns out to be
        damaged after it was opened."""
        self._damage_listeners.append(listener)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``connection`` inside one write transaction, rolled back on any error."""
        with self.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def bulk_transaction(self) -> Iterator[sqlite3.Connection]:
        """``transaction`` for a million-row import: the page cache is kept small meanwhile
        (the rows are appended, so a big cache would only hold pages already written)."""
        with self.transaction() as db:
            db.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KB:d}")
            try:
                yield db
            finally:
                db.execute(f"PRAGMA cache_size = -{_CACHE_KB:d}")

    def _opened(self, db: sqlite3.Connection) -> None:
        """What a store does once the file is open and migrated; nothing here."""

    @property
    def schema_version(self) -> int:
        with self.connection() as db:
            return int(db.execute("PRAGMA user_version").fetchone()[0])

    # --- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file; later calls raise ``LocalProblem``. Closing twice is harmless."""
        with self._lock:
            db, self._db = self._db, None
            if db is not None:
                db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
