"""The import dialog with several phone columns, do-not-call rows and Excel workbooks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.ui.list_import_dialog import ListImportDialog
from a1dialer.ui.tasks import TaskRunner

LEADS = (
    "Name,Phone,Mobile,Work,Company\n"
    "Ann,,208 555 0101,,Acme\n"
    "Bob,123,(208) 555-0102,208 555 0199,Globex\n"
    "Cy,208 555 0103,,,Initech\n"
    "Di,,,,Hooli\n"
)


@pytest.fixture
def dialog(qtbot: QtBot, call_log: CallLog) -> Iterator[ListImportDialog]:
    tasks = TaskRunner()
    opened = ListImportDialog(CallListStore(call_log), tasks, Settings())
    tasks.setParent(opened)
    qtbot.addWidget(opened)
    opened.show()
    yield opened
    opened.close()


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def header(table: QTableWidget, column: int) -> str:
    item = table.horizontalHeaderItem(column)
    assert item is not None
    return item.text()


def load(qtbot: QtBot, dialog: ListImportDialog, path: Path) -> None:
    dialog.load(path)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)


def import_now(qtbot: QtBot, dialog: ListImportDialog) -> int:
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    return int(imported.args[0])


def ticked(dialog: ListImportDialog) -> list[str]:
    order = dialog.phone_order
    return [header(dialog.preview, index + 1).split(" [")[0] for index in order.order()]


def test_a_row_without_a_phone_is_dialled_on_its_mobile(
    qtbot: QtBot, dialog: ListImportDialog, tmp_path: Path, call_log: CallLog
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    load(qtbot, dialog, path)
    assert ticked(dialog) == ["Phone", "Mobile", "Work"]
    assert [header(dialog.preview, c) for c in range(4)] == [
        "Will dial", "Name", "Phone [1]", "Mobile [2]",
    ]  # fmt: skip
    assert [cell(dialog.preview, r, 0) for r in range(4)] == [
        "Mobile: +1 208-555-0101",
        "Mobile: +1 208-555-0102",
        "Phone: +1 208-555-0103",
        "Not imported: Every phone column is empty in this row.",
    ]
    list_id = import_now(qtbot, dialog)
    assert dialog.message.text() == "Imported 3 numbers. 1 row could not be used."
    ann, bob, cy = CallListStore(call_log).entries(list_id)
    assert (ann.dial, bob.dial, cy.dial) == ("12085550101", "12085550102", "12085550103")
    assert [(n.label, n.display) for n in bob.numbers] == [
        ("Mobile", "+1 208-555-0102"), ("Work", "+1 208-555-0199"),
    ]  # fmt: skip


def test_changing_the_order_changes_the_number_dialled(
    qtbot: QtBot, dialog: ListImportDialog, tmp_path: Path, call_log: CallLog
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    load(qtbot, dialog, path)
    order = dialog.phone_order
    order.list.setCurrentRow(2)  # Work
    qtbot.mouseClick(order.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(order.up_button, Qt.MouseButton.LeftButton)
    assert not order.up_button.isEnabled()  # at the top
    assert ticked(dialog) == ["Work", "Phone", "Mobile"]
    assert cell(dialog.preview, 1, 0) == "Work: +1 208-555-0199"
    # Unticking Mobile (Space on it) leaves Ann without a number to dial.
    order.list.setCurrentRow(2)
    qtbot.keyClick(order.list, Qt.Key.Key_Space)
    assert ticked(dialog) == ["Work", "Phone"]
    assert cell(dialog.preview, 0, 0).startswith("Not imported: ")
    # Ctrl+Down in the list moves the current column too.
    order.list.setCurrentRow(0)
    qtbot.keyClick(order.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert ticked(dialog) == ["Phone", "Work"]
    order.list.setCurrentRow(1)
    qtbot.keyClick(order.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert ticked(dialog) == ["Work", "Phone"]
    list_id = import_now(qtbot, dialog)
    assert dialog.message.text() == "Imported 2 numbers. 2 rows could not be used."
    bob, cy = CallListStore(call_log).entries(list_id)
    assert (bob.name, bob.number, bob.dial) == ("Bob", "208 555 0199", "12085550199")
    assert [n.label for n in bob.numbers] == []  # Phone's 123 is not a number; Mobile unticked
    assert cy.dial == "12085550103"


def test_unticking_every_phone_column_disables_import(
    qtbot: QtBot, dialog: ListImportDialog, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    load(qtbot, dialog, path)
    for row in range(3):
        dialog.phone_order.list.setCurrentRow(row)
        qtbot.keyClick(dialog.phone_order.list, Qt.Key.Key_Space)
    assert not dialog.import_button.isEnabled()
    assert "Tick the column" in dialog.message.text()


def test_do_not_call_rows_are_shown_imported_flagged_and_counted(
    qtbot: QtBot, dialog: ListImportDialog, tmp_path: Path, call_log: CallLog
) -> None:
    dnc = DoNotCallList(call_log)
    dnc.add("12085550103", "+1 208-555-0103")
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    load(qtbot, dialog, path)
    assert cell(dialog.preview, 2, 0) == ("Never, on the do-not-call list: +1 208-555-0103")
    dnc.add("12085550101", "+1 208-555-0101")  # blocked after the file was opened: still seen
    list_id = import_now(qtbot, dialog)
    assert dialog.message.text() == (
        "Imported 3 numbers. 1 row could not be used. 2 imported numbers are on the "
        "do-not-call list; they will never be dialled."
    )
    entries = CallListStore(call_log).entries(list_id)
    assert [(e.name, e.dnc) for e in entries] == [("Ann", True), ("Bob", False), ("Cy", True)]


def test_a_workbook_sheet_is_chosen_in_the_dialog(
    qtbot: QtBot, dialog: ListImportDialog, tmp_path: Path, call_log: CallLog
) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["Name", "Comment"])
    first.append(["Nobody", "no numbers here"])
    leads = book.create_sheet("Leads")
    leads.append(["Nom", "Téléphone", "Portable", "Société"])
    leads.append(["Zoë", None, 2085550111, "Café Ü"])
    leads.append(["Émile", 12085550112.0, "+33 6 12 34 56 78", "Ñandú"])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.sheet_combo.count() == 2, timeout=10_000)
    assert dialog.sheet_combo.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()  # the first sheet has no phone column
    dialog.sheet_combo.setCurrentIndex(1)
    dialog.sheet_combo.activated.emit(1)
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=10_000)
    assert "sheet Leads" in dialog.detected_label.text()
    assert ticked(dialog) == ["Téléphone", "Portable"]
    assert cell(dialog.preview, 0, 0) == "Portable: +1 208-555-0111"
    list_id = import_now(qtbot, dialog)
    zoe, emile = CallListStore(call_log).entries(list_id)
    assert (zoe.name, zoe.dial, zoe.company) == ("Zoë", "12085550111", "Café Ü")
    assert (emile.number, emile.display) == ("12085550112", "+1 208-555-0112")
    assert [n.display for n in emile.numbers] == ["+1 208-555-0112", "+33 6 12 34 56 78"]
