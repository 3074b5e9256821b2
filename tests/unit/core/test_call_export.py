"""The history as a rep reads it: outcome sentences, CSV export, and an old call log file opened."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from a1dialer.core import calllog_file
from a1dialer.core.call_export import CSV_HEADER, export_csv, options_text
from a1dialer.core.calllog import CallLog
from a1dialer.core.calllog_file import SCHEMA_VERSION

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def fill(call_log: CallLog) -> None:
    call_log.add_pending(
        uuid="c1", number="12085551234", display_number="+1 208-555-1234", name='Ana "AJ" Silva',
        ringback="uk-ring", auto_answer=True, record=True, started_at=T0,
    )  # fmt: skip
    call_log.mark_placed("c1")
    call_log.add_pending(
        uuid="c2", number="4930123456", display_number="+49 30 123456", name="Jörg Müller, GmbH",
        ringback="us-ring", auto_answer=False, record=False, started_at=T0 + timedelta(minutes=1),
    )  # fmt: skip
    call_log.mark_failed("c2", "The line was busy; try again later.")
    call_log.set_outcome(
        "c1", "Call back", 'Wants the "Pro" plan,\nsend PDF & price', T0 + timedelta(days=1)
    )


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_writes_a_header_and_one_row_per_call_newest_first(tmp_path: Path) -> None:
    with CallLog(tmp_path / "calls.sqlite3") as call_log:
        fill(call_log)
        assert export_csv(call_log, tmp_path / "out.csv") == 2
    rows = read_csv(tmp_path / "out.csv")
    assert rows[0] == list(CSV_HEADER)
    newest, oldest = rows[1], rows[2]
    assert newest[1:] == [
        "'+49 30 123456", "Jörg Müller, GmbH", "The line was busy; try again later.", "", "", "",
        "no", "United States ringback", "no", "c2",
    ]  # fmt: skip
    assert oldest[1:] == [
        "'+1 208-555-1234", 'Ana "AJ" Silva', "placed", "Call back",
        'Wants the "Pro" plan,\nsend PDF & price',
        (T0 + timedelta(days=1)).astimezone().strftime("%Y-%m-%d %H:%M:%S"),
        "yes", "United Kingdom ringback", "yes", "c1",
    ]  # fmt: skip
    assert newest[0] == (T0 + timedelta(minutes=1)).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    # Commas and quotes in names are quoted, not split into columns.
    assert b'"Ana ""AJ"" Silva"' in (tmp_path / "out.csv").read_bytes()


def test_export_follows_the_search_and_filters(tmp_path: Path) -> None:
    with CallLog(tmp_path / "calls.sqlite3") as call_log:
        fill(call_log)
        assert export_csv(call_log, tmp_path / "failed.csv", status="failed") == 1
        assert export_csv(call_log, tmp_path / "rec.csv", recorded_only=True) == 1
        assert export_csv(call_log, tmp_path / "digits.csv", "208 5551234") == 1
        assert export_csv(call_log, tmp_path / "note.csv", "pdf PRO") == 1
    assert read_csv(tmp_path / "failed.csv")[1][-1] == "c2"
    assert read_csv(tmp_path / "rec.csv")[1][-1] == "c1"
    assert read_csv(tmp_path / "digits.csv")[1][-1] == "c1"
    assert read_csv(tmp_path / "note.csv")[1][-1] == "c1"
    assert not list(tmp_path.glob("*.part"))


def test_options_name_the_ringback_country_and_auto_answer(tmp_path: Path) -> None:
    with CallLog(tmp_path / "calls.sqlite3") as call_log:
        fill(call_log)
        record = call_log.get("c1")
    assert record is not None
    assert options_text(record) == "United Kingdom ringback, auto-answer"


def test_a_call_log_from_the_first_version_opens_with_its_calls_kept(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    # Build the file exactly as version 1 shipped it, without the current CallLog code.
    with closing(sqlite3.connect(path)) as db:
        calllog_file.MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO calls (uuid, number, display_number, name, ringback, auto_answer, "
            "recorded, status, error, details, started_at, finished_at, digits, name_key) "
            "VALUES ('old-1', '12085551234', '+1 208-555-1234', 'Ana', 'us-ring', 0, 1, "
            "'placed', '', '', 1709283600000000, NULL, '12085551234', 'ana')"
        )
        db.commit()
    with CallLog(path) as call_log:
        assert call_log.schema_version == SCHEMA_VERSION
        [record] = call_log.search("555 1234")
        assert (record.uuid, record.name, record.record) == ("old-1", "Ana", True)
        assert record.started_at == T0
        assert (record.outcome, record.note, record.callback_at) == ("", "", None)
        call_log.set_outcome("old-1", "Voicemail", "left a message")
        [found] = call_log.search("message")
        assert (found.uuid, found.outcome) == ("old-1", "Voicemail")
        call_log.set_recording_path("old-1", tmp_path / "old-1.wav")
        assert call_log.get("old-1") is not None
