"""The call log: written before the PBX is asked, found by digits or name, shared across threads."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from a1dialer.core import calllog, calllog_file, paths
from a1dialer.core.calllog import STALE_SENTENCE, CallLog
from a1dialer.core.calllog_file import NEWER_SENTENCE, SCHEMA_VERSION
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.redaction import MASK, register_secret
from tests.conftest import SmallDisk

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def add(
    log: CallLog,
    uuid: str,
    number: str = "12085551234",
    display: str = "+1 208-555-1234",
    name: str = "",
    *,
    minutes: float = 0,
    record: bool = False,
) -> None:
    log.add_pending(
        uuid=uuid, number=number, display_number=display, name=name, ringback="us-ring",
        auto_answer=False, record=record, started_at=T0 + timedelta(minutes=minutes),
    )  # fmt: skip


def uuids(records: list[calllog.CallRecord]) -> list[str]:
    return [record.uuid for record in records]


# --- a call's life ------------------------------------------------------------------------------


def test_a_call_is_pending_until_the_pbx_accepts_it(call_log: CallLog) -> None:
    pending = call_log.add_pending(
        uuid="c1", number="12085551234", display_number="+1 208-555-1234", name="Ana Silva",
        ringback="uk-ring", auto_answer=True, record=True,
    )  # fmt: skip
    assert pending.status == "pending"
    assert (pending.name, pending.ringback, pending.auto_answer, pending.record_requested) == (
        "Ana Silva", "uk-ring", True, True,
    )  # fmt: skip
    assert not pending.record  # recorded only once the PBX has accepted it
    assert pending.started_at.tzinfo is not None
    assert abs(datetime.now(UTC) - pending.started_at) < timedelta(minutes=1)
    assert pending.finished_at is None
    assert call_log.get("c1") == pending

    call_log.mark_placed("c1")
    placed = call_log.get("c1")
    assert placed is not None
    assert placed.status == "placed"
    assert placed.error == ""
    assert placed.finished_at is not None
    assert placed.finished_at >= placed.started_at


def test_a_refused_call_keeps_the_sentence_and_details(call_log: CallLog) -> None:
    add(call_log, "c1")
    call_log.mark_failed("c1", "The line was busy; try again later.", "HTTP 200: -ERR USER_BUSY")
    failed = call_log.get("c1")
    assert failed is not None
    assert (failed.status, failed.error, failed.details) == (
        "failed", "The line was busy; try again later.", "HTTP 200: -ERR USER_BUSY",
    )  # fmt: skip
    assert failed.finished_at is not None


def test_the_same_call_cannot_be_logged_twice(call_log: CallLog) -> None:
    add(call_log, "c1", name="First")
    with pytest.raises(BadInput, match="already in the call log"):
        add(call_log, "c1", name="Second")
    assert call_log.count() == 1
    first = call_log.get("c1")
    assert first is not None
    assert first.name == "First"


def test_an_outcome_for_a_call_deleted_meanwhile_is_dropped(call_log: CallLog) -> None:
    add(call_log, "c1")
    assert call_log.delete("c1")
    call_log.mark_placed("c1")
    call_log.mark_failed("c1", "Too late.")
    assert call_log.get("c1") is None
    assert not call_log.delete("c1")
    assert call_log.count() == 0


def test_times_must_say_their_time_zone(call_log: CallLog) -> None:
    with pytest.raises(ValueError, match="timezone"):
        call_log.add_pending(
            uuid="c1", number="1", display_number="1", name="", ringback="us-ring",
            auto_answer=False, record=False, started_at=datetime(2024, 1, 1),
        )  # fmt: skip


def test_a_recording_path_is_remembered(call_log: CallLog, tmp_path: Path) -> None:
    add(call_log, "c1", record=True)
    call_log.set_recording_path("c1", tmp_path / "c1.wav")
    stored = call_log.get("c1")
    assert stored is not None
    assert stored.recording_path == tmp_path / "c1.wav"
    call_log.set_recording_path("c1", None)
    forgotten = call_log.get("c1")
    assert forgotten is not None
    assert forgotten.recording_path is None


# --- crashes ------------------------------------------------------------------------------------


def test_a_pending_call_is_visible_to_another_reader_before_the_outcome(log_path: Path) -> None:
    with CallLog(log_path) as placing, CallLog(log_path) as reading:
        add(placing, "c1", name="Ana Silva")
        seen = reading.get("c1")
        assert seen is not None
        assert seen.status == "pending"
        placing.mark_placed("c1")
        seen = reading.get("c1")
        assert seen is not None
        assert seen.status == "placed"


def test_a_call_survives_the_app_dying_while_the_pbx_rings(log_path: Path) -> None:
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from a1dialer.core.calllog import CallLog\n"
        "log = CallLog(Path(sys.argv[1]))\n"
        "log.add_pending(uuid='crash', number='12085551234', display_number='+1 208-555-1234',\n"
        "                name='Ana', ringback='us-ring', auto_answer=False, record=True)\n"
        "os._exit(9)\n"
    )
    died = subprocess.run([sys.executable, "-c", script, str(log_path)], check=False)
    assert died.returncode == 9
    with CallLog(log_path) as reopened:
        survivor = reopened.get("crash")
    assert survivor is not None
    assert (survivor.status, survivor.name, survivor.record_requested) == ("pending", "Ana", True)


def test_old_pending_calls_stay_pending_until_the_app_marks_them_unknown(log_path: Path) -> None:
    now = datetime.now(UTC)
    with CallLog(log_path) as first_run:
        for uuid, age in (("old", 20), ("fresh", 1), ("done", 30)):
            first_run.add_pending(
                uuid=uuid, number="12085551234", display_number="+1 208-555-1234", name="",
                ringback="us-ring", auto_answer=False, record=False,
                started_at=now - timedelta(minutes=age),
            )  # fmt: skip
        first_run.mark_placed("done")
    with CallLog(log_path) as second_run:
        statuses = {r.uuid: r.status for r in second_run.search()}
        assert statuses == {"old": "pending", "fresh": "pending", "done": "placed"}
        assert second_run.mark_stale_pending(600) == 1
        old = second_run.get("old")
        assert old is not None
        assert (old.status, old.error) == ("unknown", STALE_SENTENCE)
        statuses = {r.uuid: r.status for r in second_run.search()}
        assert statuses == {"old": "unknown", "fresh": "pending", "done": "placed"}
        assert second_run.mark_stale_pending(600) == 0


# --- search -------------------------------------------------------------------------------------


@pytest.fixture
def book(call_log: CallLog) -> CallLog:
    """Five calls, oldest first."""
    add(call_log, "ana", "12085551234", "+1 (208) 555-1234", "Ana Silva", minutes=0, record=True)
    add(call_log, "jose", "12085559876", "+1 208-555-9876", "José García", minutes=1)
    add(call_log, "zoe", "442079460000", "+44 20 7946 0000", "Zoë Müller", minutes=2, record=True)
    add(call_log, "anon", "14155550100", "+1 415-555-0100", "", minutes=3)
    add(call_log, "acme", "12125550199", "+1 212-555-0199", "Acme Sales", minutes=4)
    call_log.mark_failed("jose", "The line was busy; try again later.")
    call_log.mark_failed("zoe", "Nobody answered.")
    for uuid in ("ana", "anon", "acme"):
        call_log.mark_placed(uuid)
    return call_log


@pytest.mark.parametrize(
    "text",
    ["5551234", "555-1234", "(208) 555-1234", "208 555 1234", "+1 208 5551234", "2085551234"],
)
def test_a_number_is_found_however_it_is_typed(book: CallLog, text: str) -> None:
    assert uuids(book.search(text)) == ["ana"]


def test_a_number_is_found_as_dialled_and_as_shown(call_log: CallLog) -> None:
    add(call_log, "uk", "442079460000", "020 7946 0000", "London office")
    assert uuids(call_log.search("+44 20 7946")) == ["uk"]
    assert uuids(call_log.search("020 7946 0000")) == ["uk"]
    assert call_log.search("00 020") == []  # never across the two spellings


def test_digits_match_anywhere_in_the_number(book: CallLog) -> None:
    assert uuids(book.search("555")) == ["acme", "anon", "jose", "ana"]
    assert uuids(book.search("208")) == ["jose", "ana"]
    assert book.search("5551235") == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ana", ["ana"]),
        ("SILVA", ["ana"]),
        ("jose", ["jose"]),
        ("JOSÉ", ["jose"]),
        ("garcia", ["jose"]),
        ("zoe", ["zoe"]),
        ("müller", ["zoe"]),
        ("MULLER", ["zoe"]),
        ("a", ["acme", "jose", "ana"]),
        ("nobody", []),
    ],
)
def test_names_are_found_ignoring_case_and_accents(
    book: CallLog, text: str, found: list[str]
) -> None:
    assert uuids(book.search(text)) == found


def test_every_word_must_match(book: CallLog) -> None:
    assert uuids(book.search("ana silva")) == ["ana"]
    assert uuids(book.search("silva ana")) == ["ana"]
    assert book.search("ana garcia") == []
    assert uuids(book.search("jose 208")) == ["jose"]
    assert book.search("jose 415") == []
    assert uuids(book.search("Acme (212) 555")) == ["acme"]


def test_punctuation_alone_finds_everything(book: CallLog) -> None:
    assert len(book.search("  + - ( ) ")) == 5


def test_filters_by_call_state_and_recording(book: CallLog) -> None:
    add(book, "lost", minutes=5, record=True)
    book.mark_stale_pending(0)
    # Unknown is a state of its own: not a failure, and not recorded either.
    assert uuids(book.search(status="failed")) == ["zoe", "jose"]
    assert uuids(book.search(status="unknown")) == ["lost"]
    assert uuids(book.search(status="placed")) == ["acme", "anon", "ana"]
    # Zoë's call asked for a recording but failed: "recorded" means the PBX took it so.
    assert uuids(book.search(recorded_only=True)) == ["ana"]
    assert book.search(status="failed", recorded_only=True) == []
    assert uuids(book.search("208", status="unknown")) == ["lost"]
    assert book.count(status="failed") == 2
    assert book.count("208", recorded_only=True) == 1
    with pytest.raises(ValueError, match="call state"):
        book.search(status="lost")  # type: ignore[arg-type]


def test_newest_first_in_pages_with_a_count(book: CallLog) -> None:
    everything = book.search()
    assert uuids(everything) == ["acme", "anon", "zoe", "jose", "ana"]
    assert [r.started_at for r in everything] == sorted(
        (r.started_at for r in everything), reverse=True
    )
    assert uuids(book.search(limit=2)) == ["acme", "anon"]
    assert uuids(book.search(limit=2, offset=2)) == ["zoe", "jose"]
    assert uuids(book.search(limit=2, offset=4)) == ["ana"]
    assert book.search(limit=2, offset=10) == []
    assert book.search(limit=0) == []
    assert book.count() == 5
    assert book.count("555") == 4
    assert book.count("nobody") == 0
    with pytest.raises(ValueError, match="negative"):
        book.search(limit=-1)


def test_calls_at_the_same_moment_keep_the_order_they_were_placed(call_log: CallLog) -> None:
    for uuid in ("first", "second", "third"):
        add(call_log, uuid, minutes=0)
    assert uuids(call_log.search()) == ["third", "second", "first"]


def test_recent_numbers_are_distinct_and_newest_first(book: CallLog) -> None:
    add(book, "again", "12085551234", "+1 (208) 555-1234", "Ana Silva", minutes=10)
    assert book.recent_numbers() == [
        ("12085551234", "+1 (208) 555-1234", "Ana Silva"),
        ("12125550199", "+1 212-555-0199", "Acme Sales"),
        ("14155550100", "+1 415-555-0100", ""),
        ("442079460000", "+44 20 7946 0000", "Zoë Müller"),
        ("12085559876", "+1 208-555-9876", "José García"),
    ]
    assert book.recent_numbers(2) == book.recent_numbers()[:2]
    assert book.recent_numbers(0) == []


# --- the key ------------------------------------------------------------------------------------


def test_the_api_key_never_reaches_the_file(log_path: Path) -> None:
    secret = "calllog-Sekr1t-kEy-9f8e7d"
    register_secret(secret)
    with CallLog(log_path) as log:
        log.add_pending(
            uuid="c1", number="12085551234", display_number="+1 208-555-1234",
            name=f"pasted {secret}", ringback="us-ring", auto_answer=False, record=False,
        )  # fmt: skip
        log.mark_failed(
            "c1",
            f"The PBX refused key {secret}.",
            f"GET https://pbx.example.com/app?key={secret}&src=1007\nkey={secret}",
        )
        stored = log.get("c1")
        assert stored is not None
        assert MASK in stored.error
        assert secret not in stored.error + stored.details + stored.name
        stored_bytes = b"".join(p.read_bytes() for p in log_path.parent.iterdir())
        assert secret.encode() not in stored_bytes
    stored_bytes = b"".join(p.read_bytes() for p in log_path.parent.iterdir())
    assert secret.encode() not in stored_bytes
    assert b"The PBX refused key" in stored_bytes


# --- the file -----------------------------------------------------------------------------------


def test_the_default_file_is_in_the_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    with CallLog() as log:
        add(log, "c1")
    assert paths.call_log_file().is_file()
    with CallLog(paths.call_log_file()) as log:
        assert log.get("c1") is not None


def test_a_new_file_has_the_current_schema_in_wal_mode(call_log: CallLog, log_path: Path) -> None:
    assert call_log.schema_version == SCHEMA_VERSION == len(calllog_file.MIGRATIONS)
    with closing(sqlite3.connect(log_path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_changes_nothing(log_path: Path) -> None:
    with CallLog(log_path) as log:
        add(log, "c1", name="Ana")
        log.mark_placed("c1")
        before = log.get("c1")
    for _ in range(3):
        with CallLog(log_path) as log:
            assert log.schema_version == SCHEMA_VERSION
            assert log.search() == [before]


def test_an_appended_migration_upgrades_an_old_file_and_keeps_its_calls(
    log_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with CallLog(log_path) as log:
        add(log, "c1", name="Ana")

    def add_tag(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE calls ADD COLUMN tag TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(calllog_file, "MIGRATIONS", [*calllog_file.MIGRATIONS, add_tag])
    with CallLog(log_path) as log:
        assert log.schema_version == SCHEMA_VERSION + 1
        assert uuids(log.search("ana")) == ["c1"]
        add(log, "c2")
    with closing(sqlite3.connect(log_path)) as db:
        assert db.execute("SELECT uuid, tag FROM calls ORDER BY id").fetchall() == [
            ("c1", ""), ("c2", ""),
        ]  # fmt: skip


def test_a_file_from_a_newer_app_is_refused_untouched(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(log_path)) as db:
        db.execute("CREATE TABLE calls (id INTEGER PRIMARY KEY, future TEXT)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.commit()
    before = log_path.read_bytes()
    with pytest.raises(LocalProblem) as refused:
        CallLog(log_path)
    assert refused.value.sentence == NEWER_SENTENCE
    assert log_path.read_bytes() == before
    assert sorted(p.name for p in log_path.parent.iterdir()) == [log_path.name]


def test_a_damaged_file_is_named_and_kept(log_path: Path) -> None:
    log_path.parent.mkdir(parents=True)
    garbage = b"this is not a call log, just some bytes\n" * 200
    log_path.write_bytes(garbage)
    with pytest.raises(LocalProblem) as refused:
        CallLog(log_path)
    assert str(log_path) in refused.value.sentence
    assert "Move" in refused.value.sentence
    assert refused.value.details
    assert log_path.read_bytes() == garbage


def test_damage_found_after_opening_is_named_too(log_path: Path) -> None:
    with CallLog(log_path) as log:
        for index in range(500):
            add(log, f"c{index}", name=f"Customer number {index} with a longer name")
    data = bytearray(log_path.read_bytes())
    for page in range(4096 * 2, len(data), 4096):
        data[page : page + 64] = b"\xff" * 64
    log_path.write_bytes(bytes(data))
    with pytest.raises(LocalProblem, match="damaged") as refused, CallLog(log_path) as log:
        log.search("zzz")
    assert str(log_path) in refused.value.sentence


def test_damage_found_later_is_latched_told_once_and_the_file_left_alone(
    log_path: Path,
) -> None:
    with CallLog(log_path) as log:
        for index in range(500):
            add(log, f"c{index}", name=f"Customer number {index} with a longer name")
    log = CallLog(log_path)
    heard: list[LocalProblem] = []
    log.on_damaged(heard.append)
    data = bytearray(log_path.read_bytes())
    for page in range(4096 * 2, len(data), 4096):
        data[page : page + 64] = b"\xff" * 64
    log_path.write_bytes(bytes(data))
    with pytest.raises(LocalProblem, match="damaged"):
        log.search("zzz")
    assert log.damaged is not None
    # Every later use says the same without touching the file: no read, no write.
    for action in (lambda: log.search(), lambda: add(log, "c-new"), lambda: log.get("c1")):
        with pytest.raises(LocalProblem, match="damaged"):
            action()
    assert len(heard) == 1
    log.close()
    assert log_path.read_bytes() == bytes(data)


def test_a_log_on_a_read_only_disk_is_read_and_every_write_refused(
    tmp_path: Path, small_disk: Callable[[int], SmallDisk]
) -> None:
    disk = small_disk(1024)
    path = disk.path / "calls.sqlite3"
    with CallLog(path) as log:
        add(log, "c1", name="Ann")
    disk.make_read_only()
    with CallLog(path) as log:
        assert log.read_only
        assert [record.name for record in log.search("Ann")] == ["Ann"]
        with pytest.raises(LocalProblem, match="read-only"):
            add(log, "c2")


def test_a_read_only_log_of_an_older_version_asks_for_a_writable_folder(
    tmp_path: Path, small_disk: Callable[[int], SmallDisk]
) -> None:
    disk = small_disk(1024)
    path = disk.path / "calls.sqlite3"
    with CallLog(path) as log:
        add(log, "c1")
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        db.commit()
    disk.make_read_only()
    with pytest.raises(LocalProblem, match="make its folder writable"):
        CallLog(path)


def test_a_closed_log_says_so(log_path: Path) -> None:
    log = CallLog(log_path)
    log.close()
    log.close()
    with pytest.raises(LocalProblem, match="closed"):
        log.search()
    with CallLog(log_path) as log:
        pass
    with pytest.raises(LocalProblem, match="closed"):
        add(log, "c1")


# --- threads ------------------------------------------------------------------------------------


def test_a_worker_writes_while_the_gui_thread_reads(call_log: CallLog) -> None:
    calls = 300
    errors: list[BaseException] = []

    def place_calls() -> None:
        try:
            for index in range(calls):
                uuid = f"w{index}"
                add(call_log, uuid, f"1208555{index:04d}", name=f"Worker {index}", minutes=index)
                if index % 3:
                    call_log.mark_placed(uuid)
                else:
                    call_log.mark_failed(uuid, "Nobody answered.")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=place_calls)
    worker.start()
    seen = 0
    while worker.is_alive():
        found = call_log.search("worker", limit=20)
        seen = max(seen, call_log.count("1208555"))
        assert all(record.name.startswith("Worker") for record in found)
        call_log.recent_numbers()
    worker.join()
    assert errors == []
    assert call_log.count() == calls
    assert call_log.count(status="failed") == calls // 3
    assert call_log.search(limit=1)[0].uuid == f"w{calls - 1}"
    assert call_log.count("pending") == 0
    assert {r.status for r in call_log.search(limit=calls)} == {"placed", "failed"}
