"""Call lists in the window, against the simulator: import, Dial next, outcomes, resume, DNC."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore
from a1dialer.core.calllog import CallLog
from a1dialer.core.csv_columns import guess_columns
from a1dialer.core.csv_import import convert, read_table
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.call_list_dock import CallListDock
from a1dialer.ui.list_import_dialog import PREVIEW_ROWS, PROGRESS_STEPS, ListImportDialog
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.services import Services

CALL_TIMEOUT_MS = 15_000
MESSY_CSV = (
    "\ufeffName;Phone;Company;Notes\r\n"
    '"Whitfield, Dana";(208) 555-1234;"Acme; Inc";"wants the ""price list"""\r\n'
    "José García;+34 912 345 678;Ñandú SA;\r\n"
    "Short Number;12;Nobody;too short\r\n"
    "No Number;;Blank Co;\r\n"
    "Lee Park;208-555-0142;;call after 3pm\r\n"
)
THREE = (
    "Name,Phone,Company\nAda,(208) 555-0171,Acme\nBo,(208) 555-0172,Acme\n"
    "Cy,(208) 555-0173,Initech\n"
)


def make_list(store: CallListStore, tmp_path: Path, text: str, name: str = "Leads") -> int:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    table = read_table(path)
    result = convert(
        table, guess_columns(table.headers), "US", "e164", lambda *_: None, lambda: False
    )
    return store.create_list(name, result.entries)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def dock_of(window: MainWindow) -> CallListDock:
    return window.follow_up.dock


def open_dock(qtbot: QtBot, window: MainWindow) -> CallListDock:
    dock = dock_of(window)
    if not dock.isVisible():
        window.follow_up.dock_action.trigger()
    qtbot.waitUntil(lambda: dock.model.rowCount() > 0, timeout=5000)
    return dock


def key(
    qtbot: QtBot,
    widget: QWidget,
    k: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(widget, k, modifier)


def press_enter(widget: QWidget, *, auto_repeat: bool = False) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(
            kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", auto_repeat
        )
        QApplication.sendEvent(widget, event)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.placer.busy, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)


# --- import ---------------------------------------------------------------------------------------


def test_importing_a_messy_csv_through_the_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Spring leads.csv"
    path.write_bytes(MESSY_CSV.encode("utf-8"))
    monkeypatch.setattr(ListImportDialog, "ask_file", classmethod(lambda cls, parent: str(path)))
    dock = dock_of(window)
    dock.import_action.trigger()
    dialog = window.findChild(ListImportDialog, "listImportDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    assert "semicolon" in dialog.detected_label.text()
    assert dialog.preview.columnCount() == 5  # "Will dial", then the file's four
    assert dialog.preview.rowCount() == 5
    assert cell_text(dialog.preview, 0, 0) == "Phone: +1 208-555-1234"
    assert cell_text(dialog.preview, 0, 1) == "Whitfield, Dana"
    header = dialog.preview.horizontalHeaderItem(1)
    assert header is not None
    assert header.text() == "Name"  # the BOM is not in it
    assert dialog.column_map().phones == (1,)
    assert dialog.column_combos["name"].currentText() == "Name"
    assert dialog.column_combos["company"].currentText() == "Company"
    assert dialog.name_edit.text() == "Spring leads"

    with qtbot.waitSignal(dialog.imported, timeout=10_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Imported 3 numbers. 2 rows could not be used."
    table = dialog.rejected_table
    assert table.rowCount() == 2
    lines = {cell_text(table, r, 0) for r in range(2)}
    assert lines == {"4", "5"}
    assert all(cell_text(table, r, 2) for r in range(2))
    assert any("12" in cell_text(table, r, 1) for r in range(2))
    dialog.copy_rejected()
    copied = QApplication.clipboard().text()
    assert copied.startswith("Line,Row,Reason")
    assert "Short Number" in copied
    assert "No Number" in copied

    qtbot.waitUntil(lambda: dock.model.rowCount() == 3, timeout=5000)
    assert dock.isVisible()
    assert dock.list_id == imported.args[0]
    assert dock.list_combo.currentText() == "Spring leads"
    assert dock.model.entry_at(0).name == "Whitfield, Dana"
    assert dock.model.index(0, 2).data() == "+1 208-555-1234"
    assert dock.model.entry_at(1).display.startswith("+34")
    qtbot.waitUntil(lambda: dock.progress_label.text() == "0 done · 3 left", timeout=5000)
    dialog.close()


def big_import(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> ListImportDialog:
    """The import dialog shown on a 20,000-row file, its preview read, ready to import."""
    rows = "\n".join(f"Lead {i},(208) 555-{i % 10000:04d}" for i in range(20_000))
    path = tmp_path / "big.csv"
    path.write_text("Name,Phone\n" + rows, encoding="utf-8")
    dialog = ListImportDialog(dock_of(window).store, window.tasks, window.settings, window)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    return dialog


def test_cancelling_an_import_stores_no_list(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, call_log: CallLog
) -> None:
    dialog = big_import(qtbot, window, tmp_path)
    dialog.start_import()
    assert dialog.running
    assert dialog.progress_bar.isVisible()
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert dialog.done_result is None
    assert "cancelled" in dialog.message.text()
    assert CallListStore(call_log).lists() == []
    dialog.close()


def test_a_streamed_import_moves_the_progress_bar(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, call_log: CallLog
) -> None:
    dialog = big_import(qtbot, window, tmp_path)
    assert dialog.preview.rowCount() == PREVIEW_ROWS  # a preview, not the whole file
    steps: list[int] = []
    dialog.progress_bar.valueChanged.connect(steps.append)
    with qtbot.waitSignal(dialog.imported, timeout=30_000):
        dialog.start_import()
    assert len(set(steps)) > 3  # it moved along the file, not from 0 straight to the end
    assert steps == sorted(steps)
    assert dialog.progress_bar.value() == PROGRESS_STEPS
    assert dialog.message.text() == "Imported 10,000 numbers. 10,000 rows could not be used."
    assert dialog.rejected_table.rowCount() == 10_000
    [summary] = CallListStore(call_log).lists()
    assert summary.total == 10_000
    dialog.close()


def test_a_file_mixing_utf8_and_windows_1252_is_read_line_by_line_and_said(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "pasted.csv"
    path.write_bytes(
        "Name,Phone\nJosé Núñez,208 555 1234\n".encode()
        + "Jörg Müller,208 555 1235\n".encode("cp1252")
    )
    dialog = ListImportDialog(dock_of(window).store, window.tasks, window.settings, window)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    assert "UTF-8 and Windows-1252, line by line" in dialog.detected_label.text()
    assert "Check the names in the preview" in dialog.detected_label.text()
    assert [cell_text(dialog.preview, r, 1) for r in range(2)] == ["José Núñez", "Jörg Müller"]
    dialog.close()


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"),
         "picture.csv is not a text file; export the list as CSV and import that."),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200),
         "picture.csv cannot be read as an Excel workbook; open it in Excel, save it again as "
         ".xlsx (or CSV) and import that."),
    ],
)  # fmt: skip
def test_a_picture_or_workbook_renamed_csv_is_one_sentence(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    content: bytes,
    sentence: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "picture.csv"
    path.write_bytes(content)
    dialog = ListImportDialog(dock_of(window).store, window.tasks, window.settings, window)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=5000)
    assert dialog.message.text() == sentence
    assert not dialog.import_button.isEnabled()
    assert "Traceback" not in capfd.readouterr().err
    dialog.close()


def test_a_cell_over_the_field_limit_is_a_rejected_row_in_the_dialog(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        f"Name,Phone\nAnn,208 555 1234\n{'x' * 140_000},208 555 1235\n", encoding="utf-8"
    )
    dialog = ListImportDialog(dock_of(window).store, window.tasks, window.settings, window)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert dialog.message.text() == "Imported 1 number. 1 row could not be used."
    assert cell_text(dialog.rejected_table, 0, 0) == "3"
    assert "longer than 131,072 characters" in cell_text(dialog.rejected_table, 0, 2)
    dialog.close()


# --- dialling through a list ---------------------------------------------------------------------


@pytest.mark.slow
def test_dial_next_works_through_the_list_with_keyboard_outcomes(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog, tmp_path: Path
) -> None:
    store = window.follow_up.store
    list_id = make_list(store, tmp_path, THREE)
    dock = open_dock(qtbot, window)
    assert dock.list_id == list_id
    panel = window.follow_up.panel

    # First number: Ctrl+N dials it; the panel asks; "1" picks Connected, a note, Enter saves.
    key(qtbot, focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert len(pbx.originates) == 1
    assert pbx.originates[0]["dest"] == "12085550171"
    assert window.name_edit.text() == "Ada"
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert panel.isAncestorOf(focused())
    uuid = panel.call.uuid if panel.call else ""
    key(qtbot, focused(), Qt.Key.Key_1)
    assert panel.outcome == "Connected"
    assert focused() is panel.note_edit
    qtbot.keyClicks(panel.note_edit, "Sent brochure")
    key(qtbot, panel.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    record = call_log.get(uuid)
    assert record is not None
    assert (record.outcome, record.note) == ("Connected", "Sent brochure")
    # Ready for the next call: focus on Dial next, whose Enter dials (never the number field).
    assert focused() is dock.dial_next_button
    qtbot.waitUntil(lambda: dock.progress_label.text() == "1 done · 2 left", timeout=5000)
    assert dock.model.entry_at(0).state == "done"
    assert dock.model.entry_at(0).call_uuid == uuid

    # Second: Enter on Dial next; "Call back" with a time; Esc would skip, Enter saves.
    key(qtbot, dock.dial_next_button, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert [o["dest"] for o in pbx.originates] == ["12085550171", "12085550172"]
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    second = panel.call.uuid if panel.call else ""
    call_back = 1 + [b.property("outcome") for b in panel.buttons].index("Call back")
    key(qtbot, focused(), Qt.Key(Qt.Key.Key_0 + call_back))
    assert panel.callback_row.isVisible()
    key(qtbot, focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    saved = call_log.get(second)
    assert saved is not None
    assert saved.outcome == "Call back"
    assert saved.callback_at is not None

    # Third: Esc on the panel skips it; the call keeps no outcome.
    key(qtbot, focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    third = panel.call.uuid if panel.call else ""
    key(qtbot, focused(), Qt.Key.Key_Escape)
    assert not panel.isVisible()
    assert window.number_edit.text()  # Esc in the panel did not clear the dialer
    record = call_log.get(third)
    assert record is not None
    assert record.outcome == ""

    # The call-back waits for its time (tomorrow); Dial next says when it is due.
    qtbot.waitUntil(lambda: dock.progress_label.text() == "2 done · 1 left", timeout=5000)
    assert dock.model.index(1, 5).data().startswith("Call back ")
    assert dock.model.index(2, 5).data() == "Called"
    assert dock.dial_next() is False
    assert "Nothing is due now: the next number is due at " in dock.message.text()
    assert len(pbx.originates) == 3


@pytest.mark.slow
def test_one_originate_per_dial_next_press(
    qtbot: QtBot,
    start_simulator: Callable[..., PbxSimulator],
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    tmp_path: Path,
) -> None:
    slow = start_simulator(answer_delay=0.8)
    window = open_window(settings_for(slow))
    make_list(window.follow_up.store, tmp_path, THREE + "Di,(208) 555-0174,\nEd,(208) 555-0175,\n")
    dock = open_dock(qtbot, window)
    target = focused()
    key(qtbot, target, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.placer.busy, timeout=3000)
    assert not dock.dial_next_button.isEnabled()
    for _ in range(3):  # pressed again while the PBX rings the rep's phone
        key(qtbot, focused(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        dock.dial_next_button.click()
    wait_idle(qtbot, window)
    assert len(slow.originates) == 1
    qtbot.waitUntil(lambda: dock.progress_label.text() == "1 done · 4 left", timeout=5000)

    # Enter held on the button: one call (the number field, focused meanwhile, ignores repeats).
    window.follow_up.panel.skip()
    dock.dial_next_button.setFocus()
    press_enter(dock.dial_next_button)
    qtbot.waitUntil(lambda: window.placer.busy, timeout=3000)
    for _ in range(5):
        press_enter(focused(), auto_repeat=True)
    wait_idle(qtbot, window)
    assert len(slow.originates) == 2
    # Enter held on Skip skips one number, not the rest of the list.
    window.follow_up.panel.skip()
    dock.skip_button.setFocus()
    press_enter(dock.skip_button)
    for _ in range(5):
        press_enter(dock.skip_button, auto_repeat=True)
    assert [e.state for e in dock.model.entries] == ["done", "done", "skipped", "todo", "todo"]


def test_a_call_that_did_not_go_out_comes_after_the_others(
    qtbot: QtBot,
    start_simulator: Callable[..., PbxSimulator],
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    tmp_path: Path,
) -> None:
    pbx = start_simulator()
    window = open_window(settings_for(pbx))
    make_list(
        window.follow_up.store,
        tmp_path,
        "Name,Phone\nRejected,(208) 555-0103\nAda,(208) 555-0171\n",
    )
    dock = open_dock(qtbot, window)
    dock.dial_next_button.setFocus()
    key(qtbot, dock.dial_next_button, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    entry = dock.model.entry_at(0)
    assert (entry.state, entry.result, entry.attempts) == ("todo", "failed", 0)
    assert "rejected" in dock.message.text()
    assert "after the others" in dock.message.text()
    assert focused() is dock.dial_next_button  # Enter goes on with the list
    assert dock.model.index(0, 5).data() == "Failed — tried again after the others"
    assert "rejected" in dock.model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole)
    assert not window.follow_up.panel.isVisible()
    key(qtbot, dock.dial_next_button, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert [o["dest"] for o in pbx.originates] == ["12085550103", "12085550171"]
    window.follow_up.panel.skip()
    dock.skip()  # Skip takes the failed row off
    assert dock.model.entry_at(0).state == "skipped"
    qtbot.waitUntil(
        lambda: dock.progress_label.text() == "1 done · 1 skipped · 0 left", timeout=5000
    )


def test_reordering_and_resuming_after_a_restart(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    tmp_path: Path,
) -> None:
    list_id = make_list(window.follow_up.store, tmp_path, THREE)
    make_list(window.follow_up.store, tmp_path, "Name,Phone\nZed,(208) 555-0199\n", "Other")
    dock = open_dock(qtbot, window)
    dock.list_combo.setCurrentIndex(dock.list_combo.findData(list_id))
    qtbot.waitUntil(lambda: dock.model.rowCount() == 3, timeout=5000)
    # Cy moves to the top with Ctrl+Up twice.
    dock._select_row(2)
    dock.table.setFocus()
    key(qtbot, dock.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, dock.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [e.name for e in dock.model.entries] == ["Cy", "Ada", "Bo"]
    assert dock.dial_next()
    wait_idle(qtbot, window)
    assert pbx.originates[0]["dest"] == "12085550173"
    qtbot.waitUntil(lambda: dock.progress_label.text() == "1 done · 2 left", timeout=5000)
    qtbot.waitUntil(lambda: window.tasks.in_flight == 0, timeout=5000)
    window.close()

    again = MainWindow(Services.create(window.settings, call_log))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    resumed = again.follow_up.dock
    assert resumed.isVisible()
    qtbot.waitUntil(lambda: resumed.model.rowCount() == 3, timeout=5000)
    assert resumed.list_id == list_id
    assert [e.name for e in resumed.model.entries] == ["Cy", "Ada", "Bo"]
    assert [e.state for e in resumed.model.entries] == ["done", "todo", "todo"]
    qtbot.waitUntil(lambda: resumed.progress_label.text() == "1 done · 2 left", timeout=5000)
    assert resumed.dial_next()
    wait_idle(qtbot, again)
    assert pbx.originates[-1]["dest"] == "12085550171"


def test_archiving_renaming_and_deleting_lists(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.follow_up.store
    first = make_list(store, tmp_path, THREE, "March")
    make_list(store, tmp_path, THREE, "April")
    dock = open_dock(qtbot, window)
    dock.list_combo.setCurrentIndex(dock.list_combo.findData(first))
    qtbot.waitUntil(lambda: dock.summary is not None and dock.summary.id == first, timeout=5000)
    dock.archive_action.trigger()
    qtbot.waitUntil(lambda: dock.list_combo.findData(first) < 0, timeout=5000)
    assert dock.list_combo.count() == 1
    dock.archived_check.setChecked(True)
    qtbot.waitUntil(lambda: dock.list_combo.count() == 2, timeout=5000)
    assert "March (archived)" in [dock.list_combo.itemText(i) for i in range(2)]

    monkeypatch.setattr(CallListDock, "ask_text", classmethod(lambda cls, *a: "April calls"))
    dock.list_combo.setCurrentIndex(dock.list_combo.findText("April"))
    qtbot.waitUntil(lambda: dock.summary is not None and dock.summary.name == "April", timeout=5000)
    dock.rename_action.trigger()
    qtbot.waitUntil(lambda: dock.list_combo.findText("April calls") >= 0, timeout=5000)

    monkeypatch.setattr(CallListDock, "ask", classmethod(lambda cls, *a: True))
    dock.delete_action.trigger()
    qtbot.waitUntil(lambda: dock.list_combo.findText("April calls") < 0, timeout=5000)
    assert [s.name for s in store.lists(include_archived=True)] == ["March"]


# --- do not call ----------------------------------------------------------------------------------


def test_a_do_not_call_number_is_refused_from_the_window(
    qtbot: QtBot,
    start_simulator: Callable[..., PbxSimulator],
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    call_log: CallLog,
    tmp_path: Path,
) -> None:
    pbx = start_simulator()
    DoNotCallList(call_log).add("12085550199", "+1 208-555-0199", "asked not to be called")
    window = open_window(settings_for(pbx))
    qtbot.keyClicks(window.number_edit, "(208) 555-0199")
    qtbot.waitUntil(lambda: "do-not-call" in window.preview_label.text(), timeout=5000)
    assert "A1 Dialer will not dial it" in window.preview_label.text()
    assert window.preview_label.kind == "error"
    assert not window.call_button.isEnabled()
    key(qtbot, window.number_edit, Qt.Key.Key_Return)
    assert window.dialer.dial() is False
    assert not window.placer.busy

    make_list(window.follow_up.store, tmp_path, "Name,Phone\nNope,(208) 555-0199\n")
    dock = open_dock(qtbot, window)
    assert dock.dial_next() is False
    assert "do-not-call" in dock.message.text()
    assert dock.model.entry_at(0).state == "todo"

    window.number_edit.setText("(208) 555-0171")
    assert window.call_button.isEnabled()
    assert pbx.originates == []


def test_adding_a_number_to_do_not_call_from_the_history(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from a1dialer.ui.do_not_call_dialog import DoNotCallDialog

    window.dialer.set_number("(208) 555-0142")
    window.dialer.dial()
    wait_idle(qtbot, window)
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    history = window.history
    assert history is not None
    history.refresh()
    history._reselect(history.model.record_at(0).uuid)
    monkeypatch.setattr(
        DoNotCallDialog, "ask_reason", classmethod(lambda cls, p, n: "Said stop & don't")
    )
    menu = history.context_menu()
    action = next(a for a in menu.actions() if "do-not-call" in a.text().replace("&", ""))
    action.trigger()
    dnc = DoNotCallList(call_log)
    qtbot.waitUntil(lambda: dnc.contains("12085550142") is not None, timeout=5000)
    qtbot.waitUntil(lambda: "do-not-call" in window.preview_label.text(), timeout=5000)
    assert not window.call_button.isEnabled()
    assert len(pbx.originates) == 1


# --- outcomes outside lists, history, reminders ---------------------------------------------------


def test_an_outcome_for_a_manual_call_shows_in_the_history_and_its_search(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    from a1dialer.ui.history_model import NOTE, OUTCOME

    panel = window.follow_up.panel
    window.dialer.set_number("(208) 555-0142")
    key(qtbot, window.number_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert "+1 208-555-0142" in panel.title.text()
    key(qtbot, focused(), Qt.Key.Key_Return)  # nothing picked yet: it says so, nothing saved
    assert "Pick an outcome" in panel.message.text()
    assert panel.isVisible()
    key(qtbot, focused(), Qt.Key.Key_2)
    assert panel.outcome == "Voicemail"
    qtbot.keyClicks(focused(), "Left msg re: renewal")
    key(qtbot, focused(), Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    assert window.number_edit.hasFocus()  # no list in use: ready for the next number
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    history = window.history
    assert history is not None
    qtbot.waitUntil(
        lambda: (
            history.model.rowCount() == 1 and history.model.index(0, OUTCOME).data() == "Voicemail"
        ),
        timeout=5000,
    )
    assert history.model.index(0, NOTE).data() == "Left msg re: renewal"

    def rows_found(text: str) -> int:
        history.search_edit.setText(text)
        with qtbot.waitSignal(history.model.searchApplied, timeout=5000):
            history.apply_search()  # the search runs on a worker
        return history.model.rowCount()

    assert rows_found("renewal") == 1
    assert rows_found("voicemail") == 1
    assert rows_found("brochure") == 0


def test_a_due_call_back_is_reminded_once_and_fills_the_dialer(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    from datetime import UTC, datetime, timedelta

    window.dialer.set_number("+44 20 7946 0123")
    window.name_edit.setText("Mia Müller")
    window.dialer.dial()
    wait_idle(qtbot, window)
    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    uuid = panel.call.uuid if panel.call else ""
    panel.skip()
    call_log.set_outcome(
        uuid, "Call back", "Decides today", datetime.now(UTC) - timedelta(minutes=1)
    )
    reminders = window.follow_up.reminders
    with qtbot.waitSignal(reminders.due, timeout=5000) as due:
        reminders.check()
    assert due.args[0].uuid == uuid
    button = window.follow_up.callback_button
    assert button.isVisible()
    assert button.text() == "Call back Mia Müller"
    assert "Decides today" in window.statusBar().currentMessage()
    with qtbot.assertNotEmitted(reminders.due, wait=300):
        reminders.check()  # once per call-back
    window.dialer.clear_all()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "+44 20 7946 0123"
    assert window.name_edit.text() == "Mia Müller"
    assert not button.isVisible()
    assert len(pbx.originates) == 1  # filled in, not dialled


# --- CRM hooks ------------------------------------------------------------------------------------

ARGV_TO_FILE = """\
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sys.argv[2:], out)
"""


def test_hooks_get_the_note_with_ampersand_quotes_and_spaces_as_one_argument(
    qtbot: QtBot,
    pbx: PbxSimulator,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    tmp_path: Path,
) -> None:
    import json
    import shlex
    import sys

    script = tmp_path / "argv_to_file.py"
    script.write_text(ARGV_TO_FILE, encoding="utf-8")
    placed_out, saved_out = tmp_path / "placed.json", tmp_path / "saved.json"
    python = shlex.quote(sys.executable)

    def command(out: Path, placeholders: str) -> str:
        return f"{python} {shlex.quote(str(script))} {shlex.quote(str(out))} {placeholders}"

    settings = settings_for(
        pbx,
        hook_call_placed_command=command(placed_out, "{number} {name} {uuid}"),
        hook_outcome_command=command(saved_out, "{uuid} {outcome} {note} --name={name}"),
    )
    window = open_window(settings)
    window.dialer.set_number("(208) 555-0142")
    window.name_edit.setText("O'Brien & Sons")
    key(qtbot, window.number_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    uuid = pbx.originates[0]["origination_uuid"]
    qtbot.waitUntil(placed_out.exists, timeout=10_000)
    qtbot.waitUntil(lambda: placed_out.read_text(encoding="utf-8").endswith("]"), timeout=5000)
    assert json.loads(placed_out.read_text(encoding="utf-8")) == [
        "+12085550142",
        "O'Brien & Sons",
        uuid,
    ]

    panel = window.follow_up.panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    key(qtbot, focused(), Qt.Key.Key_1)
    key(qtbot, focused(), Qt.Key.Key_Tab)
    note = 'Said "call me Monday" & wants 10% off; ask for Mo\'s boss'
    qtbot.keyClicks(panel.note_edit, note)
    key(qtbot, panel.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(saved_out.exists, timeout=10_000)
    qtbot.waitUntil(lambda: saved_out.read_text(encoding="utf-8").endswith("]"), timeout=5000)
    assert json.loads(saved_out.read_text(encoding="utf-8")) == [
        uuid,
        "Connected",
        note,
        "--name=O'Brien & Sons",
    ]
    assert "CRM" not in window.statusBar().currentMessage()


def test_a_failing_hook_is_reported_in_the_status_bar_not_a_dialog(
    qtbot: QtBot,
    pbx: PbxSimulator,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
    api_key: str,
    tmp_path: Path,
) -> None:
    missing = tmp_path / "no-such-crm-tool"
    window = open_window(settings_for(pbx, hook_call_placed_command=f"{missing} {{uuid}}"))
    window.dialer.set_number("(208) 555-0142")
    window.dialer.dial()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "was not found" in window.statusBar().currentMessage(), timeout=5000)
    assert str(missing) in window.statusBar().currentMessage()
    assert window.follow_up.panel.isVisible()
    assert QApplication.activeModalWidget() is None


def test_the_do_not_call_dialog_adds_removes_and_imports(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from a1dialer.ui.do_not_call_dialog import DoNotCallDialog

    window.dialer.set_number("(208) 555-0177")
    assert window.call_button.isEnabled()
    window.follow_up.open_do_not_call()
    dialog = window.findChild(DoNotCallDialog, "doNotCallDialog")
    assert dialog is not None
    qtbot.keyClicks(dialog.number_edit, "208 555 0177")
    qtbot.keyClicks(dialog.reason_edit, "Asked twice")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    # The dialog's first reading of the list may come back after the add and show it first.
    qtbot.waitUntil(lambda: "will not be dialled" in dialog.message.text(), timeout=5000)
    qtbot.waitUntil(lambda: dialog.numbers() == ["+1 208-555-0177"], timeout=5000)
    assert not window.call_button.isEnabled()  # the dialer's number is checked again
    assert "do-not-call" in window.preview_label.text()

    qtbot.keyClicks(dialog.number_edit, "555123")
    qtbot.keyClick(dialog.number_edit, Qt.Key.Key_Return)
    assert dialog.message.kind == "error"
    assert "555123 is too short for a number in United States" in dialog.message.text()
    dialog.number_edit.clear()

    numbers = tmp_path / "dnc.csv"
    numbers.write_bytes("Telefon;Grund\r\n(208) 555-0181;Müller\r\nabc;x\r\n".encode("cp1252"))
    monkeypatch.setattr(DoNotCallDialog, "ask_file", classmethod(lambda cls, p: str(numbers)))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: len(dialog.numbers()) == 2, timeout=5000)
    assert "Added 1 number from dnc.csv" in dialog.message.text()
    assert "line 3" in dialog.message.text()

    dialog.table.selectRow(dialog.numbers().index("+1 208-555-0177"))
    dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus, timeout=3000)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: dialog.numbers() == ["+1 208-555-0181"], timeout=5000)
    assert window.call_button.isEnabled()
    assert DoNotCallList(call_log).contains("12085550177") is None
    dialog.close()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_rejected_rows_can_be_saved(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
) -> None:
    path = tmp_path / "Kunden.csv"
    text = 'Firma,Telefon,Name\n"Müller, GmbH",+49 30 901820,Jürgen\nAcme,n/a,Zoë\n'
    path.write_bytes(text.encode(encoding))
    dialog = ListImportDialog(dock_of(window).store, window.tasks, window.settings, window)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    assert dialog.column_map().phones == (1,)  # Telefon
    assert cell_text(dialog.preview, 0, 1) == "Müller, GmbH"
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert dialog.message.text() == "Imported 1 number. 1 row could not be used."
    out = tmp_path / "not-imported.csv"
    monkeypatch.setattr(ListImportDialog, "ask_save_path", classmethod(lambda c, p, s: str(out)))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved them to" in dialog.message.text(), timeout=5000)
    saved = out.read_text(encoding="utf-8-sig").splitlines()
    assert saved[0] == "Line,Row,Reason"
    assert saved[1].startswith('3,"Acme,n/a,Zoë",')
    dialog.close()


def test_a_do_not_call_number_from_the_tray_is_refused_too(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    from a1dialer.desktop.session import start_tray

    DoNotCallList(call_log).add("442079460123", "+44 20 7946 0123", "Wrong person")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        tray.callRequested.emit("tel:+44-20-7946-0123", "")
        assert "Wrong person" in window.preview_label.text()
        assert not window.call_button.isEnabled()
        key(qtbot, window.number_edit, Qt.Key.Key_Return)
        assert window.dialer.dial() is False
        assert pbx.originates == []
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()
