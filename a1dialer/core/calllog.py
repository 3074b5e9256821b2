"""The call log: every call in a SQLite file in the profile, written before the PBX is asked.

A call is stored as "pending" before the originate request leaves and updated with the outcome
afterwards, so a crash while the PBX holds the request still leaves a trace. The file itself (its
connection, lock and versioned schema) is ``calllog_file``. The same file holds the rep's outcome
and note for each call, the call lists (``call_lists``) and the do-not-call list (``do_not_call``);
those stores share this log's connection and lock.

Once the PBX has the request, nothing local may turn the call into a failure: an outcome write
waits for a busy file (another A1 Dialer, a backup tool) up to ``outcome_wait_s``, and if it still
cannot be written it is queued in a small journal beside the file (JSON lines, redacted like
every row) that is replayed when the log is next opened.

Search keeps 100,000 calls instant without FTS5 (not built into every Python): the columns a search
reads (time, digits, folded name, status, recorded) live in one covering index, so even a query that
matches nothing scans only that narrow index, never the wide rows with their details.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, cast

from a1dialer.core import paths
from a1dialer.core.calllog_file import BUSY_TIMEOUT_MS, CallLogFile
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.outcomes import MAX_OUTCOME_LENGTH
from a1dialer.core.redaction import redact

log = logging.getLogger(__name__)

CallStatus = Literal["pending", "placed", "failed", "unknown"]
CALL_STATES: tuple[CallStatus, ...] = ("pending", "placed", "failed", "unknown")
STALE_SENTENCE = "The app closed before the PBX answered; check your phone's call list."
UNKNOWN_SENTENCE = "The PBX may be calling: check your phone before calling again."
# A pending row older than this belongs to no live call: the originate wait (90 s), the outcome
# write's wait and a generous margin. Younger rows may be another app's call still ringing.
STALE_PENDING_S = 300.0
# How long an outcome write waits for a call log another program holds, before it is queued.
OUTCOME_WAIT_S = 10.0
# Each try holds our own lock this long at most, so the window's reads never wait for long.
_OUTCOME_TRY_MS = 200
JOURNAL_SUFFIX = ".outcomes.jsonl"
# Details hold redacted reply excerpts; a whole HTML error page does not belong in every row.
_MAX_DETAILS = 10_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
MAX_NOTE_LENGTH = 10_000


@dataclass(frozen=True)
class CallRecord:
    """One call as the rep placed it, and what became of it."""

    id: int
    uuid: str
    number: str  # what was dialled (the PBX destination)
    display_number: str  # as shown to the rep, "+1 208-555-1234"
    name: str  # contact name, "" if none
    ringback: str
    auto_answer: bool
    record: bool  # recorded: the PBX accepted a call placed with recording on
    status: CallStatus
    error: str  # failure sentence, "" unless failed or unknown
    details: str  # redacted technical details
    started_at: datetime  # aware, UTC
    finished_at: datetime | None
    recording_path: Path | None = None  # the cached recording, once downloaded
    outcome: str = ""  # what the rep said became of it: "Voicemail", "Call back", ...
    note: str = ""  # the rep's note about the call
    callback_at: datetime | None = None  # aware, UTC; when "Call back" was chosen
    extension: str = ""  # the extension to ask for once connected ("55" from "x55"), "" if none
    record_requested: bool = False  # recording was asked for; ``record`` is only for placed calls
    cid_number: str = ""  # the caller ID number the customer was shown, as sent
    cid_name: str = ""  # the caller ID name sent with it
    ring_me_at: str = ""  # the phone that rang first when not the rep's extension, as sent


# --- statements ---------------------------------------------------------------------------------


_COLUMNS = (
    "id, uuid, number, display_number, name, ringback, auto_answer, recorded, status, error, "
    "details, started_at, finished_at, recording_path, outcome, note, callback_at, extension, "
    "record_requested, cid_number, cid_name, ring_me_at"
)
INSERT_CALL = (
    "INSERT INTO calls (uuid, number, display_number, name, ringback, auto_answer, recorded, "
    "status, error, details, started_at, finished_at, digits, name_key, extension, "
    "record_requested, cid_number, cid_name, ring_me_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# An outcome: recorded only when the PBX accepted a call placed with recording on.
_FINISH = (
    "UPDATE calls SET status = ?, error = ?, details = ?, finished_at = ?, "
    "recorded = CASE WHEN ? = 'placed' THEN record_requested ELSE 0 END WHERE uuid = ?"
)
# A queued outcome never overwrites a later one (only a pending or swept-to-unknown row).
_REPLAY = _FINISH + " AND status IN ('pending', 'unknown')"
# "ext. 55", "ext 55", "x55", ";ext=55", "extension 55" in a search: the call's extension.
_EXTENSION_TERM = re.compile(r"(?i)(?:;\s*ext=|\b(?:extension|ext\.?|x)\s*)(\d+)\b")


# --- search text ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Text as names are compared: case and accents ignored ("José" matches "jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _digits(text: str) -> str:
    """The decimal digits of ``text`` in ASCII: "+1 (208) 555-1234" gives "12085551234"."""
    return "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())


def _search_terms(text: str) -> list[tuple[Literal["digits", "name", "extension"], str]]:
    """Split a query into terms that must all match.

    "ext. 55" (or "x55", ";ext=55") matches the call's extension. A token with a letter matches
    the name. Neighbouring tokens without letters are one number typed with spaces
    ("208 555 1234"), matched by its digits.
    """
    terms: list[tuple[Literal["digits", "name", "extension"], str]] = [
        ("extension", _digits(found)) for found in _EXTENSION_TERM.findall(text)
    ]
    text = _EXTENSION_TERM.sub(" ", text)
    run = ""
    for token in text.split():
        if any(ch.isalpha() for ch in token):
            if run:
                terms.append(("digits", run))
                run = ""
            terms.append(("name", _fold(token)))
        else:
            run += _digits(token)
    if run:
        terms.append(("digits", run))
    return terms


def _where(text: str, status: str | None, recorded_only: bool) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for kind, value in _search_terms(text):
        if kind == "extension":
            clauses.append("extension = ?")
            params.append(value)
            continue
        # Each term may also be in the rep's outcome or note ("voicemail", "PO 4471").
        column = "digits" if kind == "digits" else "name_key"
        clauses.append(f"(instr({column}, ?) > 0 OR instr(outcome_key, ?) > 0)")
        params.extend((value, value))
    if status is not None:
        if status not in CALL_STATES:
            raise ValueError(f"unknown call state {status!r}")
        clauses.append("status = ?")
        params.append(status)
    if recorded_only:
        clauses.append("recorded = 1")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _outcome_reason(code: str) -> str:
    """Why an outcome could not be written, as words that fit "could not be updated (...)"."""
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another program holds it"
    if code == "SQLITE_FULL":
        return "the disk is full"
    if code.startswith("SQLITE_READONLY"):
        return "it is read-only"
    return "it cannot be written"


# --- conversions ------------------------------------------------------------------------------


def to_db_time(moment: datetime) -> int:
    """An aware time as stored: UTC microseconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError("call times must be timezone-aware")
    return (moment - _EPOCH) // _MICROSECOND


def from_db_time(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + value * _MICROSECOND


def _record(row: sqlite3.Row) -> CallRecord:
    return CallRecord(
        id=row["id"],
        uuid=row["uuid"],
        number=row["number"],
        display_number=row["display_number"],
        name=row["name"],
        ringback=row["ringback"],
        auto_answer=bool(row["auto_answer"]),
        record=bool(row["recorded"]),
        status=cast(CallStatus, row["status"]),
        error=row["error"],
        details=row["details"],
        started_at=_EPOCH + row["started_at"] * _MICROSECOND,
        finished_at=from_db_time(row["finished_at"]),
        recording_path=Path(row["recording_path"]) if row["recording_path"] else None,
        outcome=row["outcome"],
        note=row["note"],
        callback_at=from_db_time(row["callback_at"]),
        extension=row["extension"],
        record_requested=bool(row["record_requested"]),
        cid_number=row["cid_number"],
        cid_name=row["cid_name"],
        ring_me_at=row["ring_me_at"],
    )


def call_row(record: CallRecord) -> tuple[object, ...]:
    """The stored row for ``record``: every text redacted, search columns derived."""
    number, display = redact(record.number), redact(record.display_number)
    name = redact(record.name)
    digits = _digits(number)
    shown = _digits(display)
    if shown and shown not in digits:  # dialled with a prefix the display hides, or vice versa
        digits += " " + shown
    extension = _digits(record.extension)
    if extension:  # a bare "55" finds the call too
        digits += " " + extension
    finished = None if record.finished_at is None else to_db_time(record.finished_at)
    recorded = record.record and record.status == "placed"
    return (
        redact(record.uuid), number, display, name, redact(record.ringback),
        int(record.auto_answer), int(recorded), record.status, redact(record.error),
        redact(record.details)[:_MAX_DETAILS], to_db_time(record.started_at), finished,
        digits, _fold(name), extension, int(record.record or record.record_requested),
        redact(record.cid_number), redact(record.cid_name), redact(record.ring_me_at),
    )  # fmt: skip


# --- the log ----------------------------------------------------------------------------------


class CallLog(CallLogFile):
    """The call log file, safe to share between the GUI thread and the worker placing a call.

    One connection guarded by a lock: every operation is a short statement or transaction, and
    the network wait of a call happens between ``add_pending`` and ``mark_*``, outside the lock.
    WAL mode lets another process (``a1dialer dial`` next to the open window) read while we write.
    """

    def __init__(self, path: Path | None = None, *, outcome_wait_s: float = OUTCOME_WAIT_S) -> None:
        path = path if path is not None else paths.call_log_file()
        # Outcomes that could not be written yet (see the module docstring).
        self.journal = path.with_name(path.stem + JOURNAL_SUFFIX)
        self.outcome_wait_s = outcome_wait_s
        super().__init__(path)

    def _opened(self, db: sqlite3.Connection) -> None:
        self._replay_outcomes(db)

    # --- writing ----------------------------------------------------------------------------

    def add_pending(
        self,
        *,
        uuid: str,
        number: str,
        display_number: str,
        name: str,
        ringback: str,
        auto_answer: bool,
        record: bool,
        started_at: datetime | None = None,
        extension: str = "",
        cid_number: str = "",
        cid_name: str = "",
        ring_me_at: str = "",
    ) -> CallRecord:
        """Store a call about to be placed; ``BadInput`` if this call id is already logged.

        ``record`` is the rep's wish: the call counts as recorded once the PBX accepts it.
        ``cid_number``/``cid_name`` are the caller ID sent; ``ring_me_at`` the phone that rings
        first when it is not the extension ("" when it is).
        """
        pending = CallRecord(
            id=0, uuid=uuid, number=number, display_number=display_number, name=name,
            ringback=ringback, auto_answer=auto_answer, record=False, status="pending",
            error="", details="", started_at=started_at or datetime.now(UTC), finished_at=None,
            extension=extension, record_requested=record, cid_number=cid_number,
            cid_name=cid_name, ring_me_at=ring_me_at,
        )  # fmt: skip
        values = call_row(pending)
        try:
            with self.connection() as db:
                row_id = db.execute(INSERT_CALL, values).lastrowid
        except sqlite3.IntegrityError as exc:
            raise BadInput(
                "This call is already in the call log, so it was not placed again.",
                f"call id {uuid}: {exc}",
            ) from exc
        assert row_id is not None
        stored = self.get(uuid)
        assert stored is not None
        return stored

    def mark_placed(self, uuid: str) -> str:
        """The PBX accepted the call. See ``_finish`` for what the result means."""
        return self._finish(uuid, "placed", "", "")

    def mark_failed(self, uuid: str, error: str, details: str = "") -> str:
        """The call was not placed; ``error`` is the sentence the rep saw."""
        return self._finish(uuid, "failed", error, details)

    def mark_unknown(self, uuid: str, error: str = UNKNOWN_SENTENCE, details: str = "") -> str:
        """The request may have reached the PBX without a definite answer: it may be calling."""
        return self._finish(uuid, "unknown", error, details)

    def _finish(self, uuid: str, status: CallStatus, error: str, details: str) -> str:
        """Write a call's outcome; "" if written, else why it was queued in the journal.

        A busy file is waited for up to ``outcome_wait_s``; any other failure, or a wait that
        runs out, queues the outcome. ``LocalProblem`` (a sentence for the rep) only if it cannot
        even be queued: the outcome is then lost, and the row stays pending until swept to
        unknown, never failed.
        """
        values = (status, redact(error), redact(details)[:_MAX_DETAILS],
                  to_db_time(datetime.now(UTC)), status, redact(uuid))  # fmt: skip
        try:
            changed = self._write_outcome(values)
        except LocalProblem as problem:
            self._queue_outcome(values, problem)
            log.warning("Call %s: outcome %s queued: %s", uuid, status, problem.details)
            return problem.sentence
        if not changed:  # deleted by the rep while the PBX was ringing: nothing left to update
            log.warning("Call %s is no longer in the call log; outcome %s not stored", uuid, status)
        if self.journal.is_file():  # the file is free again: earlier queued outcomes go in too
            with self.connection() as db:
                self._replay_outcomes(db)
        return ""

    def _write_outcome(self, values: tuple[object, ...]) -> int:
        """Run ``_FINISH``, retrying while another program holds the file; rows changed."""
        deadline = time.monotonic() + self.outcome_wait_s
        while True:
            with self._lock:
                db = self._db
                if db is None:
                    raise LocalProblem("it was already closed", str(self.path))
                try:
                    # Short tries, our lock released between them: the window's reads go on.
                    db.execute(f"PRAGMA busy_timeout = {_OUTCOME_TRY_MS:d}")
                    try:
                        return db.execute(_FINISH, values).rowcount
                    finally:
                        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
                except sqlite3.Error as exc:
                    code = getattr(exc, "sqlite_errorname", "")
                    busy = code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
                    if not busy or time.monotonic() >= deadline:
                        details = f"{self.path}: {type(exc).__name__}: {exc} {code}".rstrip()
                        raise LocalProblem(_outcome_reason(code), details) from exc
            time.sleep(0.01)

    def _queue_outcome(self, values: tuple[object, ...], problem: LocalProblem) -> None:
        """Append an outcome to the journal; ``LocalProblem`` saying why if it cannot be."""
        status, error, details, finished, _, uuid = values
        line = json.dumps(
            {"uuid": uuid, "status": status, "error": error, "details": details,
             "finished_at": finished},
            ensure_ascii=False,
        )  # fmt: skip
        try:
            with self.journal.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise LocalProblem(
                f"The call log could not be updated ({problem.sentence}), so this call is "
                "missing from the history: note its call id.",
                f"{problem.details}; queuing in {self.journal} failed too: {exc}",
            ) from exc

    def _replay_outcomes(self, db: sqlite3.Connection) -> None:
        """Write the queued outcomes; those the file still refuses stay queued."""
        replaying = self.journal.with_name(self.journal.name + ".replaying")
        try:
            if self.journal.is_file():
                # Taken aside first, so an outcome queued meanwhile starts a new journal.
                if replaying.is_file():  # left by a replay that was cut short
                    with self.journal.open("r", encoding="utf-8") as handle:
                        more = handle.read()
                    with replaying.open("a", encoding="utf-8") as handle:
                        handle.write(more)
                    self.journal.unlink()
                else:
                    os.replace(self.journal, replaying)
            if not replaying.is_file():
                return
            lines = replaying.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            log.warning("Cannot read the queued call outcomes in %s: %s", self.journal, exc)
            return
        left: list[str] = []
        for number, line in enumerate(lines):
            try:
                item = json.loads(line)
                values = (item["status"], item["error"], item["details"], item["finished_at"],
                          item["status"], item["uuid"])  # fmt: skip
            except (ValueError, KeyError, TypeError):
                log.warning("Skipping a damaged line of %s", self.journal)
                continue
            if item["status"] not in ("placed", "failed", "unknown"):
                continue
            try:
                db.execute(_REPLAY, values)
            except sqlite3.Error as exc:
                # Still held (or failing): keep this and the rest for later, without waiting
                # out the busy timeout once per line.
                log.warning("Queued call outcomes not written yet: %s", exc)
                left.extend(lines[number:])
                break
        try:
            if left:
                with self.journal.open("a", encoding="utf-8") as handle:
                    handle.write("".join(line + "\n" for line in left))
            replaying.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("Cannot tidy the queued call outcomes in %s: %s", self.journal, exc)

    def mark_abandoned(self, uuid: str) -> None:
        """The app quits while the PBX still holds this call: pending becomes "unknown" (an
        outcome that still comes in, even queued, wins over it)."""
        with self.connection() as db:
            db.execute(
                "UPDATE calls SET status = 'unknown', error = ? "
                "WHERE uuid = ? AND status = 'pending'",
                (STALE_SENTENCE, redact(uuid)),
            )

    def mark_stale_pending(self, older_than_s: float = STALE_PENDING_S) -> int:
        """Turn calls left pending by a process that died into "unknown"; return how many.

        A chore repeated while the app runs: if another program holds the file it gives up at
        once (``LocalProblem``) rather than hold up the window's reads of the log.
        """
        cutoff = datetime.now(UTC) - timedelta(seconds=older_than_s)
        with self.connection() as db:
            db.execute(f"PRAGMA busy_timeout = {_OUTCOME_TRY_MS:d}")
            try:
                return db.execute(
                    "UPDATE calls SET status = 'unknown', error = ? "
                    "WHERE status = 'pending' AND started_at < ?",
                    (STALE_SENTENCE, to_db_time(cutoff)),
                ).rowcount
            finally:
                db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")

    def recent_call_to(self, dial: str, within_s: float) -> CallRecord | None:
        """The newest call to ``dial`` of the last ``within_s`` seconds that the PBX took or may
        have taken (placed, unknown, or still pending), or ``None``."""
        cutoff = to_db_time(datetime.now(UTC) - timedelta(seconds=within_s))
        sql = (
            f"SELECT {_COLUMNS} FROM calls "  # noqa: S608 - constant columns
            "WHERE started_at >= ? AND status IN ('placed', 'unknown', 'pending') "
            "ORDER BY started_at DESC, id DESC"
        )
        wanted = _digits(dial).lstrip("0")
        with self.connection() as db:
            rows = db.execute(sql, (cutoff,)).fetchall()
        for row in rows:
            digits = _digits(row["number"]).lstrip("0")
            # The same number in another format setting: "12085551234" and "2085551234".
            shorter, longer = sorted((digits, wanted), key=len)
            if shorter == longer or (len(shorter) >= 7 and longer.endswith(shorter)):
                return _record(row)
        return None

    def set_recording_path(self, uuid: str, path: Path | None) -> None:
        """Remember where the call's recording was saved (``None`` forgets it)."""
        with self.connection() as db:
            db.execute(
                "UPDATE calls SET recording_path = ? WHERE uuid = ?",
                (None if path is None else redact(str(path)), redact(uuid)),
            )

    def set_outcome(
        self, uuid: str, outcome: str, note: str = "", callback_at: datetime | None = None
    ) -> CallRecord:
        """Store what became of a call and the rep's note; return the updated call.

        Saving again replaces both. A ``callback_at`` (timezone-aware) schedules a reminder;
        a new time is reminded of again (and is open again among the call-backs due), ``None``
        cancels it. ``BadInput`` if the call is gone.
        """
        outcome, note = redact(outcome.strip()), redact(note.strip())
        if len(outcome) > MAX_OUTCOME_LENGTH:
            raise BadInput(f"An outcome can be at most {MAX_OUTCOME_LENGTH} characters long.")
        if len(note) > MAX_NOTE_LENGTH:
            raise BadInput(
                f"The note is {len(note):,} characters long; at most {MAX_NOTE_LENGTH:,} fit."
            )
        when = None if callback_at is None else to_db_time(callback_at)
        key = _fold(f"{outcome}\n{note}") if outcome or note else ""
        with self.connection() as db:
            changed = db.execute(
                "UPDATE calls SET outcome = ?, note = ?, outcome_key = ?, "
                "callback_reminded_at = CASE WHEN callback_at IS ? THEN callback_reminded_at END, "
                "callback_done_at = CASE WHEN callback_at IS ? THEN callback_done_at END, "
                "callback_at = ? WHERE uuid = ?",
                (outcome, note, key, when, when, when, redact(uuid)),
            ).rowcount
        if not changed:
            raise BadInput(
                "That call is no longer in the call log, so its outcome was not saved.",
                f"call id {uuid}",
            )
        stored = self.get(uuid)
        assert stored is not None
        return stored

    def due_callbacks(self, now: datetime) -> list[CallRecord]:
        """Calls whose call-back time has come (``callback_at <= now``) and that were not
        reminded of yet, oldest first."""
        sql = (
            f"SELECT {_COLUMNS} FROM calls "  # noqa: S608 - constant columns
            "WHERE callback_at IS NOT NULL AND callback_reminded_at IS NULL AND callback_at <= ? "
            "ORDER BY callback_at, id"
        )
        with self.connection() as db:
            rows = db.execute(sql, (to_db_time(now),)).fetchall()
        return [_record(row) for row in rows]

    def mark_callback_reminded(self, uuid: str) -> None:
        """The rep was reminded of this call-back; ``due_callbacks`` leaves it out from now on."""
        with self.connection() as db:
            db.execute(
                "UPDATE calls SET callback_reminded_at = ? WHERE uuid = ?",
                (to_db_time(datetime.now(UTC)), redact(uuid)),
            )

    def delete(self, uuid: str) -> bool:
        """Remove one call; ``False`` if it was not there."""
        with self.connection() as db:
            return db.execute("DELETE FROM calls WHERE uuid = ?", (redact(uuid),)).rowcount > 0

    # --- reading ----------------------------------------------------------------------------

    def get(self, uuid: str) -> CallRecord | None:
        with self.connection() as db:
            sql = f"SELECT {_COLUMNS} FROM calls WHERE uuid = ?"  # noqa: S608 - constant columns
            found = db.execute(sql, (redact(uuid),)).fetchone()
        return None if found is None else _record(found)

    def search(
        self,
        text: str = "",
        *,
        limit: int = 200,
        offset: int = 0,
        status: CallStatus | None = None,
        recorded_only: bool = False,
    ) -> list[CallRecord]:
        """Calls matching ``text`` (digits of the number, words of the name, "ext. 55"), newest
        first; ``status`` keeps the calls in that state only."""
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must not be negative")
        where, params = _where(text, status, recorded_only)
        order = "ORDER BY started_at DESC, id DESC"
        # The inner select reads only the covering index; whole rows are fetched for one page.
        # Only constant SQL is formatted in; every value the rep typed is a bound parameter.
        sql = (
            f"SELECT {_COLUMNS} FROM calls WHERE id IN "  # noqa: S608
            f"(SELECT id FROM calls{where} {order} LIMIT ? OFFSET ?) {order}"
        )
        with self.connection() as db:
            rows = db.execute(sql, [*params, limit, offset]).fetchall()
        return [_record(row) for row in rows]

    def count(
        self, text: str = "", *, status: CallStatus | None = None, recorded_only: bool = False
    ) -> int:
        """How many calls ``search`` would find without a limit."""
        where, params = _where(text, status, recorded_only)
        sql = f"SELECT count(*) FROM calls{where}"  # noqa: S608 - values are bound parameters
        with self.connection() as db:
            return int(db.execute(sql, params).fetchone()[0])

    def recent_numbers(self, limit: int = 10) -> list[tuple[str, str, str]]:
        """Distinct ``(number, display_number, name)`` of the latest calls, newest first."""
        found: dict[tuple[str, str, str], None] = {}
        if limit <= 0:
            return []
        with self.connection() as db:
            # Walk back from the newest call; stops as soon as enough distinct ones are seen.
            cursor = db.execute(
                "SELECT number, display_number, name FROM calls ORDER BY started_at DESC, id DESC"
            )
            while len(found) < limit and (rows := cursor.fetchmany(64)):
                for row in rows:
                    found.setdefault((row[0], row[1], row[2]), None)
                    if len(found) == limit:
                        break
            cursor.close()
        return list(found)
