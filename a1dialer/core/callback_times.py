"""When to call back: the next working day at 10:00, and the quick picks, all from a given now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# "Call me back" without a time: the morning, after the first round of emails.
CALL_BACK_HOUR = 10
AFTERNOON_HOUR = 14


@dataclass(frozen=True)
class WorkWeek:
    """Which days are working days (ISO: 1 = Monday ... 7 = Sunday) and which day a week starts.

    The desktop takes both from the locale (QLocale.weekdays, QLocale.firstDayOfWeek).
    """

    working_days: frozenset[int] = frozenset(range(1, 6))
    first_day: int = 1

    def is_working_day(self, day: date) -> bool:
        # A locale that names no working day at all would leave no day to call back on.
        return not self.working_days or day.isoweekday() in self.working_days


@dataclass(frozen=True)
class QuickPicks:
    """The call-back times offered as one-click choices; ``this_afternoon`` is None once past."""

    in_one_hour: datetime
    this_afternoon: datetime | None
    tomorrow_morning: datetime
    next_week: datetime


def _wall_clock(now: datetime) -> datetime:
    """``now`` as a local wall-clock time without a zone, to the minute.

    Every time here is what the rep reads on the clock, so a daylight-saving change between
    today and the call-back does not move 10:00 to 9:00 or 11:00.
    """
    if now.tzinfo is not None:
        now = now.astimezone().replace(tzinfo=None)
    return now.replace(second=0, microsecond=0)


def next_working_day(after: date, week: WorkWeek) -> date:
    """The first working day after ``after`` (never the same day)."""
    day = after + timedelta(days=1)
    while not week.is_working_day(day):
        day += timedelta(days=1)
    return day


def default_callback_time(now: datetime, week: WorkWeek = WorkWeek()) -> datetime:
    """The next working day at 10:00: a Friday's call-back lands on Monday, never a weekend."""
    return datetime.combine(next_working_day(_wall_clock(now).date(), week), time(CALL_BACK_HOUR))


def start_of_next_week(now: datetime, week: WorkWeek = WorkWeek()) -> datetime:
    """The first working day of next week (Monday in most countries) at 10:00."""
    today = _wall_clock(now).date()
    days_ahead = (week.first_day - today.isoweekday()) % 7 or 7
    day = today + timedelta(days=days_ahead)
    if not week.is_working_day(day):
        day = next_working_day(day, week)
    return datetime.combine(day, time(CALL_BACK_HOUR))


def quick_picks(now: datetime, week: WorkWeek = WorkWeek()) -> QuickPicks:
    """In an hour (rounded up to five minutes), this afternoon, tomorrow morning, next week."""
    clock = _wall_clock(now)
    in_an_hour = clock + timedelta(hours=1)
    in_an_hour += timedelta(minutes=-in_an_hour.minute % 5)
    today = clock.date()
    afternoon = datetime.combine(today, time(AFTERNOON_HOUR))
    return QuickPicks(
        in_one_hour=in_an_hour,
        this_afternoon=afternoon if clock < afternoon else None,
        tomorrow_morning=datetime.combine(today + timedelta(days=1), time(CALL_BACK_HOUR)),
        next_week=start_of_next_week(clock, week),
    )
