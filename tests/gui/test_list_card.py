"""The contact card and rows typed by hand, in the window against the simulator."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from a1dialer.core.call_lists import CallListStore
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.list_entry_input import NumberRules, entry_from_input
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.call_list_dock import CallListDock
from a1dialer.ui.contact_card import ContactCard
from a1dialer.ui.list_entry_dialog import ListEntryDialog
from a1dialer.ui.main_window import MainWindow

US = NumberRules()
CALL_TIMEOUT_MS = 15_000


def seed(store: CallListStore) -> int:
    return store.create_list(
        "Leads",
        [
            entry_from_input(
                "Dana Whitfield",
                "Acme Inc",
                "Wants the price list",
                [("Phone", "(208) 555-0171"), ("Mobile", "(208) 555-0199")],
                US,
            ),
            entry_from_input("Bo Berg", "Initech", "", [("Phone", "(208) 555-0172")], US),
        ],
    )


def open_dock(qtbot: QtBot, window: MainWindow) -> CallListDock:
    dock = window.follow_up.dock
    if not dock.isVisible():
        window.follow_up.dock_action.trigger()
    qtbot.waitUntil(lambda: dock.model.rowCount() > 0, timeout=5000)
    return dock


def card_of(window: MainWindow) -> ContactCard:
    card = window.findChild(ContactCard, "contactCard")
    assert card is not None
    return card


def number_texts(card: ContactCard) -> list[str]:
    return [card.numbers.item(row).text() for row in range(card.numbers.count())]


def wait_idle(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.placer.busy, timeout=CALL_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_the_card_shows_all_numbers_and_calls_the_one_switched_to(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    store = window.follow_up.store
    list_id = seed(store)
    dock = open_dock(qtbot, window)
    card = card_of(window)
    qtbot.waitUntil(card.isVisible, timeout=3000)  # the next row to call is selected
    assert card.name_label.text() == "Dana Whitfield"
    assert card.company_label.text() == "Acme Inc"
    assert card.notes_label.text() == "Wants the price list"
    assert number_texts(card) == [
        "Phone: +1 208-555-0171  ◀ to call",
        "Mobile: +1 208-555-0199",
    ]
    # Selecting another row shows it; a row with one number shows it as its phone.
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Down)
    assert card.name_label.text() == "Bo Berg"
    assert number_texts(card) == ["Phone: +1 208-555-0172  ◀ to call"]
    qtbot.keyClick(dock.table, Qt.Key.Key_Up)

    # Keyboard only: Tab to the numbers, Down to Mobile, Enter calls it.
    card.numbers.setFocus()
    qtbot.keyClick(card.numbers, Qt.Key.Key_Down)
    assert card.call_button.isEnabled()
    qtbot.keyClick(card.numbers, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert [o["dest"] for o in pbx.originates] == ["12085550199"]
    assert card.state_label.text() == "Called"
    assert "Mobile: +1 208-555-0199  ◀ called" in number_texts(card)
    # The row now dials its mobile, is marked called with that call, and says so after a restart.
    uuid = window.follow_up.panel.call.uuid if window.follow_up.panel.call else ""

    def stored_right() -> bool:
        first = store.entries(list_id)[0]
        return (first.dial, first.state, first.call_uuid) == ("12085550199", "done", uuid)

    qtbot.waitUntil(stored_right, timeout=5000)
    assert [n.label for n in store.entries(list_id)[0].numbers] == ["Phone", "Mobile"]
    record = call_log.get(uuid)
    assert record is not None
    assert record.number == "12085550199"
    # Esc on the outcome panel ends the call's turn: the card follows the selection again.
    qtbot.waitUntil(window.follow_up.panel.isVisible, timeout=3000)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert card.state_label.text() == ""  # the selected row, no longer the call
    assert card.isVisible()


def test_switching_to_a_do_not_call_number_is_refused_by_the_dialer(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    DoNotCallList(call_log).add("12085550199", "+1 208-555-0199", "asked us")
    window.follow_up.reload_do_not_call()
    seed(window.follow_up.store)
    dock = open_dock(qtbot, window)
    card = card_of(window)
    qtbot.waitUntil(card.isVisible, timeout=3000)
    card.numbers.setCurrentRow(1)
    card.call_chosen()
    qtbot.waitUntil(lambda: "do-not-call" in dock.message.text(), timeout=3000)
    assert pbx.originates == []


def test_while_a_call_is_placed_another_number_is_kept_for_the_next_try(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
) -> None:
    slow = start_simulator(answer_delay=1.5)
    window = open_window(settings_for(slow))
    store = window.follow_up.store
    list_id = seed(store)
    dock = open_dock(qtbot, window)
    card = card_of(window)
    assert dock.dial_next()
    qtbot.waitUntil(lambda: card.calling and window.placer.busy, timeout=3000)
    assert card.call_button.text() == "Use for the &next try"
    card.numbers.setCurrentRow(1)
    card.call_chosen()
    assert "The next try calls +1 208-555-0199." in card.message.text()
    wait_idle(qtbot, window)
    assert [o["dest"] for o in slow.originates] == ["12085550171"]  # no second call
    qtbot.waitUntil(lambda: store.entries(list_id)[0].dial == "12085550199", timeout=5000)


def test_editing_a_row_with_a_bad_then_a_good_number(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    store = window.follow_up.store
    list_id = seed(store)
    dock = open_dock(qtbot, window)
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_F2)
    dialog = open_dialog(qtbot, window)
    assert dialog.name_edit.text() == "Dana Whitfield"
    assert [row.value for row in dialog.number_rows] == [
        ("Phone", "(208) 555-0171"),
        ("Mobile", "(208) 555-0199"),
    ]
    dialog.name_edit.setText("Dana Whitfield-Park")
    mobile = dialog.number_rows[1].number_edit
    mobile.setText("123")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "123 is too short for a phone number; check the digits."
    assert dialog.isVisible()
    assert dialog.focusWidget() is mobile
    assert dialog.name_edit.text() == "Dana Whitfield-Park"  # nothing typed is lost
    assert store.entries(list_id)[0].name == "Dana Whitfield"

    mobile.setText("+1 208 555 0188")
    dialog.add_number_button.click()
    third = dialog.number_rows[2]
    third.label_combo.setCurrentText("Work")
    third.number_edit.setText("208-555-0177 x12")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    stored = store.entries(list_id)[0]
    assert stored.name == "Dana Whitfield-Park"
    assert [(n.label, n.dial) for n in stored.numbers] == [
        ("Phone", "12085550171"),
        ("Mobile", "12085550188"),
        ("Work", "12085550177"),
    ]
    assert stored.notes == "Ask for extension 12. Wants the price list"
    shown = dock.model.entry_at(0)
    assert (shown.name, shown.numbers) == (stored.name, stored.numbers)
    assert dock.model.index(0, 1).data() == "Dana Whitfield-Park"
    card = card_of(window)
    assert "Work: +1 208-555-0177" in number_texts(card)


def open_dialog(qtbot: QtBot, window: MainWindow) -> ListEntryDialog:
    shown = [d for d in window.findChildren(ListEntryDialog) if d.isVisible()]
    assert len(shown) == 1
    qtbot.waitExposed(shown[0])
    return shown[0]


def add_by_hand(qtbot: QtBot, window: MainWindow, name: str, number: str) -> None:
    window.follow_up.dock.search_bar.add_button.click()
    dialog = open_dialog(qtbot, window)
    assert dialog.focusWidget() is dialog.name_edit
    qtbot.keyClicks(dialog.name_edit, name)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save()  # no number yet: refused, nothing stored
        assert dialog.message.text() == "Type at least one phone number for this row."
        dialog.number_rows[0].number_edit.setText(number)
        dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)


def test_adding_rows_by_hand_and_a_do_not_call_one_is_flagged(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    DoNotCallList(call_log).add("12085550166", "+1 208-555-0166")
    store = window.follow_up.store
    list_id = seed(store)
    dock = open_dock(qtbot, window)
    add_by_hand(qtbot, window, "Cy Cole", "208 555 0165")
    assert (dock.model.entries[-1].name, dock.model.entries[-1].dnc) == ("Cy Cole", False)
    assert dock.selected_entry() == dock.model.entries[-1]
    add_by_hand(qtbot, window, "Di Dunn", "2085550166")
    assert (dock.model.entries[-1].name, dock.model.entries[-1].dnc) == ("Di Dunn", True)
    assert card_of(window).state_label.text() == "Do not call"
    assert [(e.name, e.dnc) for e in store.entries(list_id)][2:] == [
        ("Cy Cole", False),
        ("Di Dunn", True),
    ]
    qtbot.waitUntil(
        lambda: dock.progress_label.text() == "0 done · 1 do-not-call · 3 left", timeout=5000
    )


def test_an_edit_read_back_late_does_not_undo_a_call_placed_meanwhile(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    from dataclasses import replace

    store = window.follow_up.store
    list_id = seed(store)
    dock = open_dock(qtbot, window)
    before = store.entries(list_id)[0]  # as a dialog's write read it back, before the call
    assert dock.dial_next()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dock.model.entry_at(0).state == "done", timeout=5000)
    dock.show_entry(replace(before, name="Dana W."))
    shown = dock.model.entry_at(0)
    assert (shown.name, shown.state) == ("Dana W.", "done")
    assert shown.call_uuid == pbx.originates[0]["origination_uuid"]
