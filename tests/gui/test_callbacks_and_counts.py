"""The call-backs due window and today's counts in the status bar, against the simulator."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore, NewEntry
from a1dialer.core.callbacks_due import due_callbacks
from a1dialer.core.calllog import CallLog
from a1dialer.core.today_counts import next_midnight
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.callbacks_due import DUE, LIST, NAME, NOTE, NUMBER, CallbacksDueDialog
from a1dialer.ui.main_window import MainWindow

CALL_TIMEOUT_MS = 15_000


def promise(
    log: CallLog, uuid: str, number: str, display: str, name: str, when: datetime, note: str
) -> None:
    log.add_pending(
        uuid=uuid, number=number, display_number=display, name=name, ringback="default",
        auto_answer=False, record=False, started_at=when - timedelta(days=1),
    )  # fmt: skip
    log.mark_placed(uuid)
    log.set_outcome(uuid, "Call back", note, when)


def seed(call_log: CallLog) -> None:
    now = datetime.now().astimezone()
    tonight = next_midnight(now)
    promise(call_log, "late", "12085550171", "+1 208-555-0171", "Ada Lovelace",
            now - timedelta(days=1), "Wants the price list")  # fmt: skip
    promise(call_log, "today", "442079460123", "+44 20 7946 0123", "Mia Müller",
            tonight - timedelta(seconds=30), "Decides today")  # fmt: skip
    promise(call_log, "tomorrow", "12085550173", "+1 208-555-0173", "Cy Cole",
            tonight + timedelta(hours=10), "")  # fmt: skip
    store = CallListStore(call_log)
    list_id = store.create_list(
        "Spring leads", [NewEntry("Ada Lovelace", "208-555-0171", "12085550171", "+1 208-555-0171")]
    )
    store.mark_called(store.entries(list_id)[0].id, "late")


def cell(dialog: CallbacksDueDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def open_view(qtbot: QtBot, window: MainWindow) -> CallbacksDueDialog:
    window.follow_up.callbacks_action.trigger()
    dialog = window.findChild(CallbacksDueDialog, "callbacksDueDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0 or "No call-backs" in dialog.summary.text(),
                    timeout=5000)  # fmt: skip
    return dialog


def test_the_view_lists_calls_and_marks_call_backs_done(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    seed(call_log)
    view = next(a for a in window.menuBar().actions() if a.text() == "&View")
    assert window.follow_up.callbacks_action in view.menu().actions()  # type: ignore[attr-defined]
    assert window.follow_up.callbacks_action.shortcut().toString() == "Ctrl+Shift+B"
    dialog = open_view(qtbot, window)
    assert dialog.isVisible()
    assert dialog.table.rowCount() == 2  # tomorrow's is not due today
    assert dialog.summary.text() == "2 call-backs due by tonight, 1 overdue."
    assert [cell(dialog, 0, c) for c in (NAME, NUMBER, LIST, NOTE)] == [
        "Ada Lovelace", "+1 208-555-0171", "Spring leads", "Wants the price list",
    ]  # fmt: skip
    assert [cell(dialog, 1, c) for c in (NAME, NUMBER, LIST)] == [
        "Mia Müller", "+44 20 7946 0123", "",
    ]  # fmt: skip
    assert ":" in cell(dialog, 1, DUE)

    # Enter calls the selected one through the dialer: the PBX gets that number.
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(window.dialer.placed, timeout=CALL_TIMEOUT_MS):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert [o["dest"] for o in pbx.originates] == ["442079460123"]
    assert window.name_edit.text() == "Mia Müller"
    qtbot.waitUntil(lambda: "mark it done" in dialog.message.text(), timeout=3000)
    # Saving the new call's outcome in the window does not touch the promise...
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    panel.skip()
    assert [c.uuid for c in due_callbacks(call_log)] == ["late", "today"]
    # ...Del marks it done; it leaves the view and stays gone.
    dialog.table.setFocus()
    dialog.table.selectRow(1)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    assert cell(dialog, 0, NAME) == "Ada Lovelace"
    assert [c.uuid for c in due_callbacks(call_log)] == ["late"]
    assert len(pbx.originates) == 1


def test_a_do_not_call_number_is_refused_from_the_view(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    from a1dialer.core.do_not_call import DoNotCallList

    seed(call_log)
    DoNotCallList(call_log).add("12085550171", "+1 208-555-0171", "asked us")
    window.follow_up.reload_do_not_call()
    dialog = open_view(qtbot, window)
    dialog.table.selectRow(0)
    assert dialog.call_selected() is False
    assert "do-not-call list" in dialog.message.text()
    assert dialog.call_button.isEnabled()  # nothing is stuck waiting for a call
    assert pbx.originates == []


def test_the_tray_notice_and_the_status_button_open_the_view_on_that_call(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    seed(call_log)
    record = call_log.get("today")
    assert record is not None
    window.follow_up.fill_callback(record)  # what a click on the notice or the button does
    dialog = window.findChild(CallbacksDueDialog, "callbacksDueDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=5000)
    selected = dialog.selected()
    assert selected is not None
    assert selected.uuid == "today"
    assert window.number_edit.text() == "+44 20 7946 0123"


def test_no_call_backs_is_said_plainly(qtbot: QtBot, window: MainWindow, pbx: PbxSimulator) -> None:
    dialog = open_view(qtbot, window)
    assert dialog.summary.text() == "No call-backs due today."
    assert not dialog.call_button.isEnabled()
    assert not dialog.done_button.isEnabled()


def test_todays_counts_follow_calls_and_outcomes(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    label = window.follow_up.today
    qtbot.waitUntil(lambda: label.text() == "Today: 0 calls · 0 connected · 0 talks", timeout=5000)
    assert label.isVisible()
    window.dialer.set_number("(208) 555-0171")
    with qtbot.waitSignal(window.dialer.placed, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial()
    qtbot.waitUntil(lambda: label.text() == "Today: 1 call · 0 connected · 0 talks", timeout=5000)
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    qtbot.keyClick(focused(), Qt.Key.Key_1)  # Connected
    assert panel.outcome == "Connected"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: label.text() == "Today: 1 call · 1 connected · 1 talk", timeout=5000)

    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    with qtbot.waitSignal(window.dialer.placed, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial("(208) 555-0172")
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    voicemail = 1 + [b.property("outcome") for b in panel.buttons].index("Voicemail")
    qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0 + voicemail))
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: label.text() == "Today: 2 calls · 1 connected · 1 talk", timeout=5000)
    assert "talk outcomes" in label.toolTip()
