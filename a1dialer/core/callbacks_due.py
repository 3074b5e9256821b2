"""Call-backs due: calls the rep promised to call back by the end of today and has not yet.

Across the history and every call list: a call whose outcome carries a call-back time before
the end of today (overdue ones from earlier days included) until the rep marks it done. The
call list a call was made from is shown when a list entry still points at that call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from a1dialer.core.calllog import CallLog, from_db_time, to_db_time
from a1dialer.core.errors import BadInput
from a1dialer.core.redaction import redact
from a1dialer.core.today_counts import next_midnight
from a1dialer.core.translation import _

MAX_SHOWN = 500
_COLUMNS = "uuid, number, display_number, name, callback_at, note, outcome"


@dataclass(frozen=True)
class DueCallback:
    """One promised call-back."""

    uuid: str  # the call the promise was made on
    number: str  # as dialled
    display_number: str
    name: str
    callback_at: datetime  # aware, UTC
    note: str
    list_name: str  # "" when the call was not made from a list (or the list is gone)


def due_callbacks(call_log: CallLog, now: datetime | None = None) -> list[DueCallback]:
    """Open call-backs due before the end of ``now``'s day, the most overdue first."""
    until = to_db_time(next_midnight(now).astimezone(UTC))
    with call_log.connection() as db:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM calls "  # noqa: S608 - constant columns
            "WHERE callback_at IS NOT NULL AND callback_done_at IS NULL AND callback_at < ? "
            "ORDER BY callback_at, id LIMIT ?",
            (until, MAX_SHOWN),
        ).fetchall()
        uuids = [row["uuid"] for row in rows]
        lists: dict[str, str] = {}
        if uuids:
            marks = ", ".join("?" * len(uuids))
            for uuid, name in db.execute(
                "SELECT e.call_uuid, l.name FROM call_list_entries e "  # noqa: S608
                f"JOIN call_lists l ON l.id = e.list_id WHERE e.call_uuid IN ({marks})",
                uuids,
            ):
                lists[uuid] = name
    found = []
    for row in rows:
        when = from_db_time(row["callback_at"])
        assert when is not None
        found.append(
            DueCallback(
                uuid=row["uuid"],
                number=row["number"],
                display_number=row["display_number"] or row["number"],
                name=row["name"],
                callback_at=when,
                note=row["note"],
                list_name=lists.get(row["uuid"], ""),
            )
        )
    return found


def mark_callback_done(call_log: CallLog, uuid: str) -> None:
    """The rep kept (or dropped) this promise: it leaves the call-backs due for good.

    Saving a new call-back time for the call in the outcome panel opens it again.
    """
    with call_log.connection() as db:
        changed = db.execute(
            "UPDATE calls SET callback_done_at = ? WHERE uuid = ? AND callback_at IS NOT NULL",
            (to_db_time(datetime.now(UTC)), redact(uuid)),
        ).rowcount
    if not changed:
        raise BadInput(
            _("That call-back is no longer in the call log; it may have been deleted."),
            f"call id {uuid}",
        )
