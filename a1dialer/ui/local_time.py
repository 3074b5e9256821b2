"""Dates and times as the rep's locale writes them ("05.12.26 14:30", "12/5/26 2:30 PM")."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale


def _local(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def short_date_time(moment: datetime) -> str:
    """The locale's short date and time, for table cells."""
    return QLocale().toString(_local(moment), QLocale.FormatType.ShortFormat)


def long_date_time(moment: datetime) -> str:
    """The locale's long date with weekday and the time, for details panes."""
    locale = QLocale()
    local = _local(moment)
    date = locale.toString(local.date(), QLocale.FormatType.LongFormat)
    time = locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    return f"{date} {time}"


def day_and_time(moment: datetime) -> str:
    """The weekday and time when it is this week ("Tue 10:00"), else the short date and time:
    how a call-back time is said in a list's State column."""
    locale = QLocale()
    local = _local(moment)
    today = QDateTime.currentDateTime().date()
    time = locale.toString(local.time(), QLocale.FormatType.ShortFormat)
    if 0 <= today.daysTo(local.date()) < 7:
        day = locale.dayName(local.date().dayOfWeek(), QLocale.FormatType.ShortFormat)
        return f"{day} {time}"
    return short_date_time(moment)


def time_of_day(moment: datetime) -> str:
    """The locale's short time ("14:30", "2:30 PM")."""
    return QLocale().toString(_local(moment).time(), QLocale.FormatType.ShortFormat)


def date_time_edit_format() -> str:
    """A QDateTimeEdit display format in the locale's order, with the weekday and a four-digit
    year ("ddd dd.MM.yyyy HH:mm", "ddd M/d/yyyy h:mm AP"): a two-digit year typed in an editor
    would land in the 1900s."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return "ddd yyyy-MM-dd HH:mm"  # no locale set ("C"): ISO rather than Qt's "d MM yyyy"
    date = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in date:
        date = date.replace("yy", "yyyy")
    return f"ddd {date} {locale.timeFormat(QLocale.FormatType.ShortFormat)}"
