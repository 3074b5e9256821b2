"""The call log as a rep reads it: one status sentence per call, and a CSV export for Excel.

The CSV holds the call's status (placed, or the failure sentence) and the rep's own outcome, note
and call-back time in separate columns.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from a1dialer.core.calllog import CallLog, CallRecord, CallStatus
from a1dialer.core.settings import RINGBACK_TONES

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


def outcome_text(record: CallRecord) -> str:
    """ "placed", "pending", the failure sentence the rep saw, or "unknown: " and why."""
    if record.status in ("placed", "pending"):
        return record.status
    if record.status == "unknown":
        return f"unknown: {record.error}" if record.error else "unknown"
    return record.error or record.status


def number_text(record: CallRecord) -> str:
    """The number as the rep saw it, with the extension to ask for: "+1 208-555-1234 ext. 55"."""
    if record.extension:
        return f"{record.display_number} ext. {record.extension}"
    return record.display_number


def local_time(moment: datetime | None) -> str:
    """ "2026-11-28 14:05:00" in this computer's time zone, as spreadsheets read it; "" for none."""
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def ringback_label(tone: str) -> str:
    """ "United States ringback" for ``us-ring``; an unknown tone is shown as stored."""
    country = RINGBACK_TONES.get(tone)
    return f"{country} ringback" if country else tone


def options_text(record: CallRecord) -> str:
    """The options the call was placed with: ``United States ringback, auto-answer``."""
    parts = [ringback_label(record.ringback)] if record.ringback else []
    if record.auto_answer:
        parts.append("auto-answer")
    return ", ".join(parts)


def export_csv(
    call_log: CallLog,
    path: Path,
    text: str = "",
    status: CallStatus | None = None,
    recorded_only: bool = False,
) -> int:
    """Write the calls the history shows for this search to ``path``; return how many.

    UTF-8 with a byte order mark so Excel reads accented names; written to a temporary file and
    renamed, so a failed export never leaves half a file under the chosen name.
    """
    tmp = path.with_name(path.name + ".part")
    written = 0
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_HEADER)
            while True:
                page = call_log.search(
                    text,
                    limit=_PAGE,
                    offset=written,
                    status=status,
                    recorded_only=recorded_only,
                )
                for record in page:
                    writer.writerow(
                        (
                            local_time(record.started_at),
                            number_text(record),
                            record.name,
                            outcome_text(record),
                            record.outcome,
                            record.note,
                            local_time(record.callback_at),
                            "yes" if record.record else "no",
                            ringback_label(record.ringback),
                            "yes" if record.auto_answer else "no",
                            record.uuid,
                        )
                    )
                written += len(page)
                if len(page) < _PAGE:
                    break
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return written
