"""The window's "Customer sees" and "Ring me at": what the rep sees is what the PBX receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from a1dialer.core.caller_ids import CallerId
from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.history_model import NUMBER
from a1dialer.ui.main_window import MainWindow
from tests.gui.test_call_list_dock import make_list, open_dock
from tests.gui.test_main_window import CALL_TIMEOUT_MS, call_and_wait, press_enter
from tests.gui.test_main_window_call_state import history_of
from tests.gui.test_settings_dialog import find, make_dialog, retype

IDENTITY = {
    "local_presence": True,
    "caller_ids": [
        {"number": "+44 20 7946 0000", "name": "Acme UK"},
        {"number": "(208) 555-0111", "name": "Acme Boise"},
    ],
    "my_numbers": [{"number": "+1 208 555 0199", "label": "Mobile"}],
}


def admin_allows(settings: Settings) -> Settings:
    """``settings`` as an admin's file allowing outside numbers makes them: the setting is
    admin-only (always locked), so a rep's own change is refused."""
    return replace(settings, allow_ring_me_at_external=True)


def identity_window(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings: Settings,
) -> tuple[MainWindow, QComboBox, QComboBox]:
    window = open_window(settings)
    caller_ids = window.findChild(QComboBox, "callerIdCombo")
    rings = window.findChild(QComboBox, "ringMeAtCombo")
    assert isinstance(caller_ids, QComboBox)
    assert isinstance(rings, QComboBox)
    # Filled once the number rules are loaded, after the first paint.
    qtbot.waitUntil(caller_ids.isEnabled, timeout=5000)
    return window, caller_ids, rings


def pick(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Choose ``text`` with the keyboard, as a rep does."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(
        f"{text!r} is not offered: {[combo.itemText(i) for i in range(combo.count())]}"
    )


def sent_identity(pbx: PbxSimulator) -> tuple[str, str, str]:
    received = pbx.originates[-1]
    assert received["dest_cid_number"] == received["des_cid_number"]
    assert received["dest_cid_name"] == received["dst_cid_name"]
    return received["des_cid_number"], received["dst_cid_name"], received["src"]


def test_customer_sees_follows_the_number_until_picked_by_hand(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
    call_log: CallLog,
) -> None:
    window, caller_ids, rings = identity_window(qtbot, open_window, settings_for(pbx, **IDENTITY))
    assert caller_ids.currentText() == "+1 208-555-0100, Acme Sales (default)"
    assert rings.isHidden()  # the admin allows no outside number: the extension rings
    qtbot.keyClicks(window.number_edit, "+44 161 496 0000")
    assert caller_ids.currentText() == "+44 20 7946 0000, Acme UK"
    window.number_edit.clear()
    qtbot.keyClicks(window.number_edit, "(312) 555-1234")  # same country, another area code
    assert caller_ids.currentText() == "+1 208-555-0111, Acme Boise"
    window.number_edit.setText("+49 30 1234567")  # no German caller ID: the default
    assert caller_ids.currentText().endswith("(default)")

    # The rep picks the UK number for this call; typing another number keeps it.
    pick(qtbot, caller_ids, "+44 20 7946 0000, Acme UK")
    window.number_edit.setText("(208) 555-1234")
    assert caller_ids.currentText() == "+44 20 7946 0000, Acme UK"
    call_and_wait(qtbot, window, lambda: press_enter(window.number_edit))
    assert sent_identity(pbx) == ("442079460000", "Acme UK", "1007")
    # Placed: the next call picks afresh, here the Boise number for a 208 number.
    assert caller_ids.currentText() == "+1 208-555-0111, Acme Boise"
    assert window.status_label.text().startswith("Call placed")

    # The history keeps the caller ID the customer saw.
    history = history_of(qtbot, window)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    tip = history.model.data(history.model.index(0, NUMBER), Qt.ItemDataRole.ToolTipRole)
    assert "Customer saw 442079460000, Acme UK" in tip
    stored = call_log.search()[0]
    assert (stored.cid_number, stored.cid_name, stored.ring_me_at) == (
        "442079460000",
        "Acme UK",
        "",
    )


def test_every_way_of_dialling_gets_the_local_caller_id(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
    tmp_path: Path,
) -> None:
    window, _caller_ids, _rings = identity_window(qtbot, open_window, settings_for(pbx, **IDENTITY))
    # A link, the tray, the history's redial: Dialer.dial with a number.
    call_and_wait(qtbot, window, lambda: window.dialer.dial("tel:+441614960000", "Ada"))
    assert sent_identity(pbx) == ("442079460000", "Acme UK", "1007")
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    # A call list's Dial next.
    make_list(window.follow_up.store, tmp_path, "Name,Phone\nBo,(208) 555-0171\n")
    dock = open_dock(qtbot, window)
    call_and_wait(qtbot, window, dock.dial_next)
    assert sent_identity(pbx) == ("12085550111", "Acme Boise", "1007")


def test_ring_me_at_the_mobile_where_the_admin_allows_it(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
    call_log: CallLog,
) -> None:
    pbx = start_simulator(answer_delay=1.0)
    settings = admin_allows(settings_for(pbx, **IDENTITY))
    window, _caller_ids, rings = identity_window(qtbot, open_window, settings)
    assert rings.isVisible()
    assert [rings.itemText(i) for i in range(rings.count())] == [
        "Desk 1007",
        "Mobile +1 208-555-0199",
    ]
    pick(qtbot, rings, "Mobile +1 208-555-0199")
    assert window.status_label.text() == (
        "Ready. Your mobile +1 208-555-0199 rings first, then the PBX calls the number."
    )
    window.number_edit.setText("(208) 555-1234")
    with qtbot.waitSignal(window.placer.started, timeout=CALL_TIMEOUT_MS):
        press_enter(window.number_edit)
    assert window.status_label.text().startswith("Ringing your mobile +1 208-555-0199... 0 s")
    qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS).wait()
    qtbot.waitUntil(lambda: window.status_label.text().startswith("Call placed"), timeout=5000)
    assert sent_identity(pbx) == ("12085550111", "Acme Boise", "12085550199")
    assert call_log.search()[0].ring_me_at == "12085550199"
    # The pick holds for the next call too.
    assert rings.currentText() == "Mobile +1 208-555-0199"


def test_settings_that_change_the_list_are_followed(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window, caller_ids, rings = identity_window(qtbot, open_window, settings_for(pbx, **IDENTITY))
    window.apply_settings(admin_allows(window.settings))
    assert rings.isVisible()
    window.apply_settings(window.settings.validated(caller_ids=[]))
    assert caller_ids.count() == 1
    assert not caller_ids.isEnabled()


# --- Settings -------------------------------------------------------------------------------------


def test_settings_read_caller_ids_in_the_default_country_and_name_the_bad_entry(
    qtbot: QtBot,
) -> None:
    dialog = make_dialog(qtbot, Settings(extension="1007", caller_id_number="12085550100"))
    field = dialog.form.fields["caller_ids"]
    editor = find(dialog, QPlainTextEdit, "callerIdsEdit")
    editor.setFocus()
    QTest.keyClicks(editor, "+44 20 7946 0000, Acme UK")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QTest.keyClicks(editor, "020 7946 0001, London")
    qtbot.waitUntil(lambda: field.problem_shown, timeout=5000)
    assert field.problem == (
        "Caller IDs entry 2: 020 7946 0001 has one digit too many for a United States number; "
        "for a number abroad, start with + or 011."
    )
    assert not dialog.save_button.isEnabled()
    # A London number written nationally is fine once the default country is the UK.
    country = find(dialog, QComboBox, "defaultCountryCombo").lineEdit()
    assert country is not None
    country.setText("GB")
    qtbot.waitUntil(lambda: field.problem is None, timeout=5000)
    assert dialog.form.settings().caller_ids == (
        CallerId("+44 20 7946 0000", "Acme UK"),
        CallerId("020 7946 0001", "London"),
    )


def test_settings_let_only_allowed_phones_ring_first(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, Settings(extension="1007", caller_id_number="12085550100"))
    assert find(dialog, QLabel, "myNumbersNote").isVisible()
    ring = dialog.form.fields["ring_me_at"]
    retype(find(dialog, QLineEdit, "ringMeAtEdit"), "+1 208 555 0199")
    qtbot.waitUntil(lambda: ring.problem_shown, timeout=5000)
    assert ring.problem == (
        "+1 208-555-0199 is not one of your numbers: add it to My numbers in Settings first."
    )
    mine = find(dialog, QPlainTextEdit, "myNumbersEdit")
    mine.setFocus()
    QTest.keyClicks(mine, "+1 208 555 0199, Mobile")
    qtbot.waitUntil(
        lambda: ring.problem is not None and "administrator" in ring.problem, timeout=5000
    )
    assert not dialog.save_button.isEnabled()
    # An extension of the rep's own may ring first without the admin's permission.
    QTest.keyClick(mine, Qt.Key.Key_Return)
    QTest.keyClicks(mine, "1099, Softphone")
    retype(find(dialog, QLineEdit, "ringMeAtEdit"), "1099")
    qtbot.waitUntil(lambda: ring.problem is None, timeout=5000)
    assert dialog.form.settings().ring_me_at == "1099"
