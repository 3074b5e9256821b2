"""Every table's context menu acts on its row: the Menu key and Shift+F10 on the current row,
a right-click on the row under the pointer (history, call list, do-not-call list)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.do_not_call_dialog import DoNotCallDialog
from a1dialer.ui.history_view import HistoryView
from a1dialer.ui.list_import_dialog import ListImportDialog
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.tables import RowMenu
from a1dialer.ui.tasks import TaskRunner
from tests.gui.test_call_list_dock import make_list, open_dock, wait_idle

# The offscreen platform cannot grab the keyboard for a popup menu (a real desktop does).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
# Newest first in the history: the rows are Cy, Bo, Ada, then older calls.
CALLS = [
    ("ada", "+1 208-555-0171", "Ada"),
    ("bo", "+1 208-555-0172", "Bo"),
    ("cy", "+1 208-555-0173", "Cy"),
]
FIVE = (
    "Name,Phone\nAda,(208) 555-0171\nBo,(208) 555-0172\nCy,(208) 555-0173\n"
    "Di,(208) 555-0174\nEd,(208) 555-0175\n"
)


def set_current_row(view: QAbstractItemView, row: int) -> None:
    """The keyboard on ``row``, as arrow keys leave it (current and selected)."""
    view.setFocus()
    view.selectionModel().setCurrentIndex(
        view.model().index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def menu_key(view: QAbstractItemView) -> None:
    """What the platform sends for the Menu key: a keyboard context-menu event to the focused
    view, at the cursor rectangle it reports (Qt's own computation, in the view's coordinates)."""
    pos = view.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle).center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, pos, view.mapToGlobal(pos))
    QApplication.sendEvent(view, event)


def shift_f10(qtbot: QtBot, view: QAbstractItemView) -> None:
    qtbot.keyClick(view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)


def right_click(view: QAbstractItemView, row: int) -> None:
    """A right-click in the middle of ``row`` (a mouse context-menu event to the viewport)."""
    pos = view.visualRect(view.model().index(row, 0)).center()
    viewport = view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)


def open_menu(qtbot: QtBot, row_menu: RowMenu, how: Callable[[], None], row: int) -> QMenu:
    """Open the menu ``how``; check it is for ``row`` and shown at that row."""
    with qtbot.waitSignal(row_menu.opened) as opened:
        how()
    menu, menu_row = opened.args
    assert menu_row == row
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    return menu


def shown_at_row(view: QAbstractItemView, menu: QMenu, row: int) -> bool:
    rect = view.visualRect(view.model().index(row, 0))
    top = view.viewport().mapToGlobal(rect.topLeft()).y()
    bottom = view.viewport().mapToGlobal(rect.bottomLeft()).y()
    return top <= menu.geometry().top() <= bottom + 1


def choose(qtbot: QtBot, menu: QMenu, mnemonic: Qt.Key) -> None:
    """Pick an item of the open menu by its underlined letter, as a rep would."""
    qtbot.keyClick(menu, mnemonic)
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=3000)


def add_calls(call_log: CallLog) -> None:
    for minutes, (uuid, display, name) in enumerate(CALLS):
        call_log.add_pending(
            uuid=uuid, number="1" + display[3:].replace("-", ""), display_number=display,
            name=name, ringback="us-ring", auto_answer=False, record=False,
            started_at=T0 + timedelta(minutes=minutes),
        )  # fmt: skip
        call_log.mark_placed(uuid)


# --- the history --------------------------------------------------------------------------------


@pytest.fixture
def history(qtbot: QtBot, call_log: CallLog) -> HistoryView:
    add_calls(call_log)
    view = HistoryView(call_log, search_delay_ms=0)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    return view


@pytest.mark.parametrize("row", [0, 1, 2])
def test_menu_key_in_the_history_copies_the_current_row(
    qtbot: QtBot, history: HistoryView, row: int
) -> None:
    set_current_row(history.table, row)
    expected = history.model.record_at(row).display_number
    menu = open_menu(qtbot, history.row_menu, lambda: menu_key(history.table), row)
    assert shown_at_row(history.table, menu, row)
    choose(qtbot, menu, Qt.Key.Key_C)
    assert QApplication.clipboard().text() == expected
    assert history.selected_record() == history.model.record_at(row)


def test_shift_f10_and_right_click_in_the_history(qtbot: QtBot, history: HistoryView) -> None:
    set_current_row(history.table, 0)
    menu = open_menu(qtbot, history.row_menu, lambda: shift_f10(qtbot, history.table), 0)
    with qtbot.waitSignal(history.redialRequested) as redial:
        choose(qtbot, menu, Qt.Key.Key_R)
    assert redial.args[0] == "+1 208-555-0173"

    menu = open_menu(qtbot, history.row_menu, lambda: right_click(history.table, 2), 2)
    assert history.selected_record() == history.model.record_at(2)
    with qtbot.waitSignal(history.redialRequested) as redial:
        choose(qtbot, menu, Qt.Key.Key_R)
    assert redial.args[0] == "+1 208-555-0171"


def test_the_keyboard_menu_follows_a_scrolled_table(qtbot: QtBot, call_log: CallLog) -> None:
    for minute in range(60):
        call_log.add_pending(
            uuid=f"call-{minute}", number=f"120855501{minute:02d}",
            display_number=f"+1 208-555-01{minute:02d}", name="", ringback="us-ring",
            auto_answer=False, record=False, started_at=T0 + timedelta(minutes=minute),
        )  # fmt: skip
    view = HistoryView(call_log, search_delay_ms=0)
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.show()
    qtbot.waitExposed(view)
    set_current_row(view.table, 45)
    view.table.scrollToBottom()
    menu = open_menu(qtbot, view.row_menu, lambda: menu_key(view.table), 45)
    assert shown_at_row(view.table, menu, 45)
    choose(qtbot, menu, Qt.Key.Key_C)
    assert QApplication.clipboard().text() == view.model.record_at(45).display_number


def test_no_menu_without_a_row(qtbot: QtBot, call_log: CallLog) -> None:
    view = HistoryView(call_log, search_delay_ms=0)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    with qtbot.assertNotEmitted(view.row_menu.opened):
        menu_key(view.table)
        shift_f10(qtbot, view.table)
        right_click(view.table, 0)
    assert QApplication.activePopupWidget() is None


def test_redial_from_the_history_menu_puts_that_row_in_the_dialer(
    qtbot: QtBot, window: MainWindow, call_log: CallLog
) -> None:
    add_calls(call_log)
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    shown = window.history
    assert shown is not None
    window.history_dock.show()
    shown.refresh()
    qtbot.waitUntil(lambda: shown.model.rowCount() == 3, timeout=5000)
    set_current_row(shown.table, 1)
    menu = open_menu(qtbot, shown.row_menu, lambda: menu_key(shown.table), 1)
    choose(qtbot, menu, Qt.Key.Key_R)
    assert window.number_edit.text() == "+1 208-555-0172"
    assert window.name_edit.text() == "Bo"


# --- the call list ------------------------------------------------------------------------------


def test_call_this_number_from_the_list_menu_dials_the_current_row(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, tmp_path: Path
) -> None:
    make_list(window.follow_up.store, tmp_path, FIVE)
    dock = open_dock(qtbot, window)
    set_current_row(dock.table, 2)
    menu = open_menu(qtbot, dock.row_menu, lambda: menu_key(dock.table), 2)
    assert shown_at_row(dock.table, menu, 2)
    choose(qtbot, menu, Qt.Key.Key_C)
    wait_idle(qtbot, window)
    assert len(pbx.originates) == 1
    assert pbx.originates[0]["dest"] == "12085550173"
    assert pbx.originates[0]["src_cid_name"] == "Cy"

    # Skip by Shift+F10 on row 3, then by right-click on row 4: each skips its own row.
    set_current_row(dock.table, 3)
    menu = open_menu(qtbot, dock.row_menu, lambda: shift_f10(qtbot, dock.table), 3)
    choose(qtbot, menu, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: dock.model.entry_at(3).state == "skipped", timeout=5000)
    menu = open_menu(qtbot, dock.row_menu, lambda: right_click(dock.table, 4), 4)
    choose(qtbot, menu, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: dock.model.entry_at(4).state == "skipped", timeout=5000)
    states = [dock.model.entry_at(row).state for row in range(5)]
    assert states[:2] == ["todo", "todo"]
    assert len(pbx.originates) == 1


def test_a_row_that_could_not_be_imported_can_be_copied_from_its_menu(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "Name,Phone\nAda,(208) 555-0171\nShort,12\nBlank,\nBo,(208) 555-0172\n", encoding="utf-8"
    )
    dialog = ListImportDialog(window.follow_up.store, window.tasks, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.start_import()
    table = dialog.rejected_table
    assert table.rowCount() == 2
    shown = [item.text() for r in range(2) if (item := table.item(r, 1)) is not None]
    assert any("Short" in text for text in shown)
    copied = []
    for row, how in ((1, lambda: menu_key(table)), (0, lambda: right_click(table, 0))):
        set_current_row(table, 1)
        menu = open_menu(qtbot, dialog.rejected_menu, how, row)
        choose(qtbot, menu, Qt.Key.Key_C)
        copied.append(QApplication.clipboard().text())
    assert copied == [shown[1], shown[0]]


# --- the do-not-call list -----------------------------------------------------------------------


@pytest.fixture
def dnc_dialog(
    qtbot: QtBot, call_log: CallLog, settings_for: Callable[..., Settings], pbx: PbxSimulator
) -> DoNotCallDialog:
    dnc = DoNotCallList(call_log)
    for last in range(71, 76):
        dnc.add(f"120855501{last}", f"+1 208-555-01{last}", f"reason {last}")
    dialog = DoNotCallDialog(dnc, TaskRunner(), settings_for(pbx))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 5, timeout=5000)
    return dialog


def test_do_not_call_menu_acts_on_the_current_row(
    qtbot: QtBot, dnc_dialog: DoNotCallDialog
) -> None:
    table = dnc_dialog.table
    numbers = dnc_dialog.numbers()
    set_current_row(table, 3)
    menu = open_menu(qtbot, dnc_dialog.row_menu, lambda: menu_key(table), 3)
    assert shown_at_row(table, menu, 3)
    choose(qtbot, menu, Qt.Key.Key_C)
    assert QApplication.clipboard().text() == numbers[3]

    set_current_row(table, 1)
    menu = open_menu(qtbot, dnc_dialog.row_menu, lambda: shift_f10(qtbot, table), 1)
    with qtbot.waitSignal(dnc_dialog.changed):
        choose(qtbot, menu, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: table.rowCount() == 4, timeout=5000)
    assert dnc_dialog.numbers() == [n for n in numbers if n != numbers[1]]


def test_right_click_in_a_selection_of_several_keeps_it(
    qtbot: QtBot, dnc_dialog: DoNotCallDialog
) -> None:
    table = dnc_dialog.table
    numbers = dnc_dialog.numbers()
    table.setFocus()
    selection = table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.select(table.model().index(0, 0), flags)
    selection.select(table.model().index(2, 0), flags)
    menu = open_menu(qtbot, dnc_dialog.row_menu, lambda: right_click(table, 2), 2)
    with qtbot.waitSignal(dnc_dialog.changed):
        choose(qtbot, menu, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: table.rowCount() == 3, timeout=5000)
    assert dnc_dialog.numbers() == [numbers[1], numbers[3], numbers[4]]
    # A right-click outside the selection selects only that row.
    selection.clearSelection()
    selection.select(table.model().index(0, 0), flags)
    menu = open_menu(qtbot, dnc_dialog.row_menu, lambda: right_click(table, 2), 2)
    assert [index.row() for index in selection.selectedRows()] == [2]
    menu.close()
