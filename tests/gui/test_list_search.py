"""Searching and filtering a call list in the dock; Dial next still works through all of it."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore, NewEntry
from a1dialer.core.calllog import CallLog, to_db_time
from a1dialer.core.list_entry_input import NumberRules, entry_from_input
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.call_list_dock import CallListDock
from a1dialer.ui.list_filter import ALL, DNC, DONE, DUE, TODO, CallListFilter
from a1dialer.ui.main_window import MainWindow

US = NumberRules()


def seed(store: CallListStore, call_log: CallLog) -> int:
    rows = [
        entry_from_input("Ada Lovelace", "Acme Inc", "", [("Phone", "(208) 555-0171")], US),
        entry_from_input(
            "Bo Berg", "Initech", "sent the price list", [("Phone", "2085550172")], US
        ),
        entry_from_input("Cy Cole", "Acme Inc", "", [("Phone", "208-555-0173")], US),
        entry_from_input("José García", "Ñandú SA", "", [("Mobile", "+34 912 345 678")], US),
        entry_from_input("Di Dunn", "Globex", "", [("Phone", "208 555 0175")], US),
    ]
    blocked = NewEntry("Ed Eno", "208-555-0176", "12085550176", "+1 208-555-0176", dnc=True)
    list_id = store.create_list("Leads", [*rows, blocked])
    entries = store.entries(list_id)
    store.mark_called(entries[1].id, "call-1")
    store.skip(entries[2].id)
    later = to_db_time(datetime.now(UTC) + timedelta(hours=2))
    with call_log.connection() as db:  # Di waits for a retry two hours from now
        db.execute("UPDATE call_list_entries SET due_at = ? WHERE id = ?", (later, entries[4].id))
    return list_id


def open_dock(qtbot: QtBot, window: MainWindow) -> CallListDock:
    dock = window.follow_up.dock
    if not dock.isVisible():
        window.follow_up.dock_action.trigger()
    qtbot.waitUntil(lambda: dock.model.rowCount() > 0, timeout=5000)
    return dock


def shown_names(dock: CallListDock) -> list[str]:
    proxy = dock.filter
    return [str(proxy.index(row, 1).data()) for row in range(proxy.rowCount())]


def search(qtbot: QtBot, dock: CallListDock, text: str) -> None:
    edit = dock.search_bar.search_edit
    edit.clear()
    with qtbot.waitSignal(dock.filter.filtered, timeout=3000):
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:  # QTest types ASCII only
            edit.setText(text)


def test_searching_names_companies_notes_and_number_digits(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    seed(window.follow_up.store, call_log)
    dock = open_dock(qtbot, window)
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert dock.search_bar.search_edit.hasFocus()
    search(qtbot, dock, "acme")
    assert shown_names(dock) == ["Ada Lovelace", "Cy Cole"]
    assert dock.search_bar.count_label.text() == "2 of 6"
    search(qtbot, dock, "PRICE list")
    assert shown_names(dock) == ["Bo Berg"]
    search(qtbot, dock, "jose")  # not folded for accents: "José" needs its é
    assert shown_names(dock) == []
    search(qtbot, dock, "josé ñandú")
    assert shown_names(dock) == ["José García"]
    search(qtbot, dock, "(208) 555-0173")
    assert shown_names(dock) == ["Cy Cole"]
    search(qtbot, dock, "912 345")
    assert shown_names(dock) == ["José García"]
    search(qtbot, dock, "555 01")
    assert len(shown_names(dock)) == 5
    # Moving rows only makes sense in the whole list.
    dock.table.setFocus()
    dock.table.selectRow(1)
    assert not dock.up_button.isEnabled()
    # Esc clears the search, Down goes to the numbers.
    edit = dock.search_bar.search_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Escape)
    assert edit.text() == ""
    assert len(shown_names(dock)) == 6
    assert dock.search_bar.count_label.text() == ""
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert dock.table.hasFocus()


def test_each_view_of_the_list(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    seed(window.follow_up.store, call_log)
    dock = open_dock(qtbot, window)
    expected = {
        ALL: ["Ada Lovelace", "Bo Berg", "Cy Cole", "José García", "Di Dunn", "Ed Eno"],
        TODO: ["Ada Lovelace", "José García", "Di Dunn"],
        DUE: ["Ada Lovelace", "José García"],
        DONE: ["Bo Berg", "Cy Cole"],
        DNC: ["Ed Eno"],
    }
    combo = dock.search_bar.view_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All", "To do", "Due now", "Done", "Do not call",
    ]  # fmt: skip
    for view, names in expected.items():
        combo.setCurrentIndex(combo.findData(view))
        assert shown_names(dock) == names, view
    # A view and a search together.
    combo.setCurrentIndex(combo.findData(TODO))
    search(qtbot, dock, "acme")
    assert shown_names(dock) == ["Ada Lovelace"]


def test_dial_next_goes_by_the_whole_list_whatever_is_shown(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    seed(window.follow_up.store, call_log)
    dock = open_dock(qtbot, window)
    dock.search_bar.set_view(DONE)
    assert "Ada Lovelace" not in shown_names(dock)
    assert dock.dial_next()
    qtbot.waitUntil(lambda: len(pbx.originates) == 1, timeout=10_000)
    assert pbx.originates[0]["dest"] == "12085550171"
    qtbot.waitUntil(lambda: "Ada Lovelace" in shown_names(dock), timeout=10_000)  # now done


def test_the_due_view_follows_the_clock(qtbot: QtBot, call_log: CallLog) -> None:
    from a1dialer.ui.call_list_model import CallListModel

    store = CallListStore(call_log)
    list_id = seed(store, call_log)
    model = CallListModel()
    model.set_entries(store.entries(list_id))
    now = [datetime.now(UTC)]
    proxy = CallListFilter(model, clock=lambda: now[0])
    proxy.set_view(DUE)
    assert proxy.rowCount() == 2
    now[0] += timedelta(hours=3)
    proxy.set_view(DUE)
    assert proxy.rowCount() == 3


def test_fifty_thousand_rows_filter_in_a_blink(qtbot: QtBot) -> None:
    from a1dialer.core.call_lists import ListEntry
    from a1dialer.ui.call_list_model import CallListModel

    entries = [
        ListEntry(
            i,
            1,
            i,
            f"Customer {i}",
            f"(208) 5{i:06d}",
            f"1208{5000000 + i}",
            f"+1 208-{5000000 + i}",
            "Acme" if i % 2 else "Initech",
            f"note {i}",
            "todo" if i % 3 else "done",
            "",
        )
        for i in range(50_000)
    ]
    model = CallListModel()
    model.set_entries(entries)
    proxy = CallListFilter(model)
    timings = []
    for step in ("customer 4999", "initech", "5012345", "", "zzz"):
        started = time.perf_counter()
        proxy.set_search(step)
        timings.append(time.perf_counter() - started)
    assert proxy.rowCount() == 0
    for view in (TODO, DUE, DONE, DNC, ALL):
        started = time.perf_counter()
        proxy.set_view(view)
        timings.append(time.perf_counter() - started)
    assert proxy.rowCount() == 0  # "zzz" still holds
    proxy.set_search("")
    assert proxy.rowCount() == 50_000
    # Well under a frame budget on a quiet machine (about 40 ms); generous for a busy one.
    assert max(timings[1:]) < 0.5, timings


def test_the_selection_stays_on_its_row_when_others_leave_the_view(
    qtbot: QtBot, call_log: CallLog
) -> None:
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QWidget

    from a1dialer.ui.call_list_model import CallListModel
    from a1dialer.ui.tables import row_table

    store = CallListStore(call_log)
    model = CallListModel()
    model.set_entries(store.entries(seed(store, call_log)))
    proxy = CallListFilter(model)
    host = QWidget()
    qtbot.addWidget(host)
    table = row_table(host, proxy, "t", "t")
    proxy.set_view(TODO)
    names = [str(proxy.index(r, 1).data()) for r in range(proxy.rowCount())]
    assert names == ["Ada Lovelace", "José García", "Di Dunn"]
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(proxy.index(2, 0), flags)
    ada = model.entry_at(0)
    model.set_state(ada.id, "done")  # Ada was called: she leaves "To do"
    assert proxy.rowCount() == 2
    current = table.selectionModel().currentIndex()
    assert current.row() == 1
    assert current.siblingAtColumn(1).data() == "Di Dunn"
    assert table.selectionModel().isRowSelected(1)
    model.set_state(ada.id, "todo")  # and back
    assert table.selectionModel().currentIndex().siblingAtColumn(1).data() == "Di Dunn"
    assert proxy.rowCount() == 3
    # A row's text changing (its notes) is shown without a new layout.
    with qtbot.waitSignal(proxy.dataChanged, timeout=1000):
        model.put_entry(replace(model.entry_at(3), notes="new note"))
    assert proxy.index(1, 4).data() == "new note"
