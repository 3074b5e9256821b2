"""A call log damaged while the window runs, or on a read-only disk: said, never a traceback."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import INSERT_CALL, CallLog, CallRecord, call_row
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import READ_ONLY_SENTENCE, MainWindow
from a1dialer.ui.services import Services
from tests.conftest import SmallDisk
from tests.gui.test_main_window import CALL_TIMEOUT_MS, press_enter

DAMAGED = "is damaged. Move that file somewhere else and start A1 Dialer again"


def store_calls(call_log: CallLog, records: list[CallRecord]) -> None:
    """Store finished calls in one transaction, as the app stores each call."""
    with call_log.transaction() as db:
        db.executemany(INSERT_CALL, (call_row(record) for record in records))


def old_calls(count: int) -> list[CallRecord]:
    start = datetime.now(UTC) - timedelta(days=400)
    calls = []
    for n in range(count):
        at = start + timedelta(minutes=n)
        calls.append(
            CallRecord(
                id=0,
                uuid=f"00000000-0000-4000-8000-{n:012d}",
                number=f"1208555{n % 10000:04d}",
                display_number=f"+1 208-555-{n % 10000:04d}",
                name=f"Customer {n}",
                ringback="",
                auto_answer=False,
                record=False,
                status="placed",
                error="",
                details="",
                started_at=at,
                finished_at=at,
            )
        )
    return calls


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_call_log_damaged_after_the_first_paint_is_said_once_and_left_alone(
    qtbot: QtBot,
    tmp_path: Path,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "calls.sqlite3"
    with CallLog(path) as filling:
        store_calls(filling, old_calls(20_000))
    call_log = CallLog(path)
    window = MainWindow(Services.create(settings_for(pbx), call_log))
    qtbot.addWidget(window)
    damaged: list[object] = []
    window.callLogDamaged.connect(damaged.append)
    window.show()
    qtbot.waitExposed(window)
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    assert window.history is not None
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() > 0, timeout=5000)

    # Another program scribbles over most of the file while the window runs: the pages the
    # first screen of history read are cached, the rest are garbage now.
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(8192)
        handle.write(b"\xa5" * (size - 16384))
    scribbled = digest(path)

    # Whichever read meets the damage first (this search, the call-back check) says so.
    history.search_edit.setText("Customer 17")
    qtbot.waitUntil(lambda: DAMAGED in window.status_label.text(), timeout=5000)
    assert window.status.kind == "error"

    # More searches and a call: refused with the same sentence, the PBX hears nothing, the
    # file is not touched, and the damage was announced once.
    history.search_edit.setText("208 555")
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS):
        press_enter(window.number_edit)
    assert DAMAGED in window.status_label.text()
    assert pbx.originates == []
    qtbot.waitUntil(lambda: not history.model.searching, timeout=5000)
    assert len(damaged) == 1
    call_log.close()
    assert digest(path) == scribbled
    assert not path.with_name(path.name + "-wal").exists() or (
        path.with_name(path.name + "-wal").stat().st_size == 0
    )
    assert "Traceback" not in capfd.readouterr().err


def test_a_read_only_call_log_opens_the_window_read_only(
    qtbot: QtBot,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    small_disk: Callable[[int], SmallDisk],
    capfd: pytest.CaptureFixture[str],
) -> None:
    disk = small_disk(1024)
    path = disk.path / "calls.sqlite3"
    with CallLog(path) as filling:
        store_calls(filling, old_calls(30))
    disk.make_read_only()
    call_log = CallLog(path)
    assert call_log.read_only
    window = MainWindow(Services.create(settings_for(pbx), call_log))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.status_label.text() == READ_ONLY_SENTENCE, timeout=5000)
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    assert window.history is not None
    history = window.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 30, timeout=5000)
    with qtbot.waitSignal(history.model.searchApplied, timeout=5000):
        history.search_edit.setText("Customer 7")
    names = {history.model.record_at(row).name for row in range(history.model.rowCount())}
    assert names == {"Customer 7", "Customer 17", "Customer 27"}

    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS):
        press_enter(window.number_edit)
    assert "no call was made" in window.status_label.text()
    assert pbx.originates == []
    call_log.close()
    assert "Traceback" not in capfd.readouterr().err
