"""The call log as a rep reads it: one status sentence per call, and a CSV export for Excel.

The CSV holds the call's status (placed, or the failure sentence) and the rep's own outcome, note
and call-back time in separate columns. Its cells are safe to open in a spreadsheet: text that
would start a formula (a name such as ``=HYPERLINK(...)`` from an imported list) and phone numbers
that would turn into numbers (``12085551234`` shown as 1.21E+10, leading zeros lost) get a leading
apostrophe, which Excel, LibreOffice and Google Sheets read as "this is text".
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from a1dialer.core.calllog import CallLog, CallRecord, CallStatus
from a1dialer.core.settings import RINGBACK_TONES
from a1dialer.core.translation import _, pgettext

CSV_HEADER = (
    "Time",
    "Number",
    "Name",
    "Call status",
    "Outcome",
    "Note",
    "Call back at",
    "Recorded",
    "Ringback",
    "Auto-answer",
    "Call id",
)
_PAGE = 2000
# A cell starting with one of these is run as a formula by spreadsheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The encoding Excel needs to read accented names: UTF-8 with a byte order mark.
CSV_ENCODING = "utf-8-sig"


def text_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as typed: a formula-like start gets an apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def phone_cell(number: str) -> str:
    """A phone number a spreadsheet keeps as text (no formula, no 1.2E+10, no lost zeros)."""
    if number.startswith(_FORMULA_STARTS) or (number.isdigit() and number.isascii()):
        return f"'{number}"
    return number


def outcome_text(record: CallRecord) -> str:
    """ "placed", "pending", the failure sentence the rep saw, or "unknown: " and why."""
    if record.status == "placed":
        return pgettext("call status", "placed")
    if record.status == "pending":
        return pgettext("call status", "pending")
    if record.status == "unknown" and record.error:
        # Translators: {reason} is the sentence the rep saw when the call's fate was unknown.
        return _("unknown: {reason}").format(reason=record.error)
    if record.status == "unknown":
        return pgettext("call status", "unknown")
    return record.error or pgettext("call status", "failed")


def number_text(record: CallRecord) -> str:
    """The number as the rep saw it, with the extension to ask for: "+1 208-555-1234 ext. 55"."""
    if record.extension:
        # Translators: a phone number and the extension to ask for ("+1 208-555-1234 ext. 55").
        return _("{number} ext. {extension}").format(
            number=record.display_number, extension=record.extension
        )
    return record.display_number


def local_time(moment: datetime | None) -> str:
    """ "2026-11-28 14:05:00" in this computer's time zone, as spreadsheets read it; "" for none."""
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def ringback_label(tone: str) -> str:
    """ "United States ringback" for ``us-ring``; an unknown tone is shown as stored."""
    country = RINGBACK_TONES.get(tone)
    # Translators: {country} is a country's name, such as "United States".
    return _("{country} ringback").format(country=_(country)) if country else tone


def options_text(record: CallRecord) -> str:
    """The options the call was placed with: ``United States ringback, auto-answer``."""
    parts = [ringback_label(record.ringback)] if record.ringback else []
    if record.auto_answer:
        parts.append(_("auto-answer"))
    return ", ".join(parts)


def csv_row(record: CallRecord) -> tuple[str, ...]:
    """One call as the export's cells, each safe to open in a spreadsheet."""
    return (
        local_time(record.started_at),
        phone_cell(number_text(record)),
        text_cell(record.name),
        text_cell(outcome_text(record)),
        text_cell(record.outcome),
        text_cell(record.note),
        local_time(record.callback_at),
        "yes" if record.record else "no",
        text_cell(ringback_label(record.ringback)),
        "yes" if record.auto_answer else "no",
        text_cell(record.uuid),
    )


def _matching_calls(
    call_log: CallLog,
    text: str,
    status: CallStatus | None,
    recorded_only: bool,
    limit: int | None,
) -> Iterable[CallRecord]:
    """The calls the history shows for this search, newest first, read a page at a time."""
    offset = 0
    while limit is None or offset < limit:
        size = _PAGE if limit is None else min(_PAGE, limit - offset)
        page = call_log.search(
            text, limit=size, offset=offset, status=status, recorded_only=recorded_only
        )
        yield from page
        offset += len(page)
        if len(page) < size:
            break


def write_csv(
    call_log: CallLog,
    handle: TextIO,
    text: str = "",
    status: CallStatus | None = None,
    recorded_only: bool = False,
    limit: int | None = None,
) -> int:
    """Write the header and the matching calls (at most ``limit``) to ``handle``; return how many.

    ``handle`` is opened with ``CSV_ENCODING`` and ``newline=""`` (rows end in CRLF, as Excel
    writes them).
    """
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    written = 0
    for record in _matching_calls(call_log, text, status, recorded_only, limit):
        writer.writerow(csv_row(record))
        written += 1
    return written


def export_csv(
    call_log: CallLog,
    path: Path,
    text: str = "",
    status: CallStatus | None = None,
    recorded_only: bool = False,
) -> int:
    """Write the calls the history shows for this search to ``path``; return how many.

    Written to a temporary file and renamed, so a failed export never leaves half a file under
    the chosen name.
    """
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding=CSV_ENCODING, newline="") as handle:
            written = write_csv(call_log, handle, text, status, recorded_only)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written
