"""Today's calls in three numbers for the status bar: calls placed, connected, talk outcomes.

A *talk outcome* is an outcome saying the rep spoke with someone they meant to reach:
"Connected", "Call back" and every custom outcome (a team adds ones like "Meeting booked" or
"Not interested"). "Voicemail", "No answer", "Busy" and "Wrong number" are not. Outcomes are
stored as their English names whatever the interface language, and times as UTC, so the counts
do not change with the locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from a1dialer.core.calllog import CallLog, to_db_time

CONNECTED = "Connected"
NOT_TALKED = ("Voicemail", "No answer", "Busy", "Wrong number")


@dataclass(frozen=True)
class TodayCounts:
    """What the rep did today."""

    calls: int  # calls the PBX placed
    connected: int  # saved as "Connected"
    talks: int  # talk outcomes (see the module docstring)


def start_of_day(now: datetime | None = None) -> datetime:
    """Midnight of ``now``'s day in this computer's time zone (aware)."""
    local = (now or datetime.now().astimezone()).astimezone()
    return datetime.combine(local.date(), time(0), local.tzinfo)


def next_midnight(now: datetime | None = None) -> datetime:
    """When "today" next changes, in this computer's time zone (aware)."""
    return start_of_day((now or datetime.now().astimezone()) + timedelta(days=1))


def today_counts(call_log: CallLog, now: datetime | None = None) -> TodayCounts:
    """The counts of ``now``'s day (this computer's), in one query over the start-time index."""
    not_talked = ", ".join("?" * len(NOT_TALKED))
    sql = (
        "SELECT coalesce(sum(status = 'placed'), 0), coalesce(sum(outcome = ?), 0), "  # noqa: S608
        f"coalesce(sum(outcome != '' AND outcome NOT IN ({not_talked})), 0) "
        "FROM calls WHERE started_at >= ? AND started_at < ?"
    )
    day = start_of_day(now)
    bounds = (to_db_time(day), to_db_time(next_midnight(day)))
    with call_log.connection() as db:
        calls, connected, talks = db.execute(sql, (CONNECTED, *NOT_TALKED, *bounds)).fetchone()
    return TodayCounts(int(calls), int(connected), int(talks))
