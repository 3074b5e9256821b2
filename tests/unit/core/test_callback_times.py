"""Call-back times: the next working day at 10:00 and the quick picks, for a given now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from a1dialer.core.callback_times import (
    WorkWeek,
    default_callback_time,
    quick_picks,
    start_of_next_week,
)

# Friday 4 December 2026 and the days around it.
THURSDAY, FRIDAY, SATURDAY, SUNDAY, MONDAY = (datetime(2026, 12, day) for day in (3, 4, 5, 6, 7))
# Friday and Saturday off, the week starting on Sunday (as in Israel or Egypt).
SUN_TO_THU = WorkWeek(frozenset({7, 1, 2, 3, 4}), first_day=7)


@pytest.mark.parametrize(
    ("now", "expected_day"),
    [
        (THURSDAY.replace(hour=9), FRIDAY),
        (FRIDAY.replace(hour=18, minute=30), MONDAY),  # never a weekend
        (SATURDAY.replace(hour=11), MONDAY),
        (SUNDAY.replace(hour=23, minute=59), MONDAY),
        (MONDAY.replace(hour=0, minute=1), MONDAY.replace(day=8)),
    ],
)
def test_the_default_is_the_next_working_day_at_ten(now: datetime, expected_day: datetime) -> None:
    assert default_callback_time(now) == expected_day.replace(hour=10)


def test_the_locale_decides_which_days_are_the_weekend() -> None:
    assert default_callback_time(THURSDAY.replace(hour=15), SUN_TO_THU) == SUNDAY.replace(hour=10)
    assert start_of_next_week(FRIDAY, SUN_TO_THU) == SUNDAY.replace(hour=10)


def test_a_week_starting_on_a_day_off_starts_at_its_first_working_day() -> None:
    us_week = WorkWeek(frozenset(range(1, 6)), first_day=7)  # the US calendar starts on Sunday
    assert start_of_next_week(FRIDAY, us_week) == MONDAY.replace(hour=10)


def test_next_week_from_a_monday_is_a_week_later() -> None:
    assert start_of_next_week(MONDAY.replace(hour=8)) == MONDAY.replace(day=14, hour=10)


def test_quick_picks_in_the_morning() -> None:
    picks = quick_picks(FRIDAY.replace(hour=9, minute=41, second=30))
    assert picks.in_one_hour == FRIDAY.replace(hour=10, minute=45)  # rounded up to 5 minutes
    assert picks.this_afternoon == FRIDAY.replace(hour=14)
    assert picks.tomorrow_morning == SATURDAY.replace(hour=10)  # the rep asked for tomorrow
    assert picks.next_week == MONDAY.replace(hour=10)


def test_this_afternoon_is_not_offered_once_it_has_begun() -> None:
    picks = quick_picks(FRIDAY.replace(hour=14))
    assert picks.this_afternoon is None
    assert picks.in_one_hour == FRIDAY.replace(hour=15)


def test_an_hour_from_late_evening_is_tomorrow() -> None:
    assert quick_picks(FRIDAY.replace(hour=23, minute=58)).in_one_hour == SATURDAY.replace(
        hour=1, minute=0
    )


def test_an_aware_now_is_read_as_the_local_wall_clock() -> None:
    aware = FRIDAY.replace(hour=18).astimezone(UTC)
    assert default_callback_time(aware) == MONDAY.replace(hour=10)


def test_a_locale_with_no_working_days_still_offers_tomorrow() -> None:
    assert default_callback_time(FRIDAY, WorkWeek(frozenset())) == SATURDAY.replace(hour=10)
