"""The number and what comes with it, through the window against the simulator: the contact name
stays with its number, an extension pasted with it is said after the call, and the country
picked for one call reads its national digits."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import Settings
from a1dialer.desktop.number_offer import offer_number
from a1dialer.desktop.session import start_tray
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.dialer import ASK, DIAL
from a1dialer.ui.main_window import MainWindow

CALL_TIMEOUT_MS = 15_000


def call(qtbot: QtBot, window: MainWindow, pbx: PbxSimulator) -> dict[str, str]:
    """Click Call, wait for the PBX's answer; the one originate the simulator received."""
    count = len(pbx.originates)
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS):
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert len(pbx.originates) == count + 1
    return pbx.originates[-1]


def retype(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """The rep selects the whole number and types ``text`` over it."""
    window.number_edit.setFocus()
    window.number_edit.selectAll()
    qtbot.keyClicks(window.number_edit, text)


def dialled(window: MainWindow) -> str | None:
    return window.dialer.target.dial if window.dialer.target is not None else None


def picked(window: MainWindow) -> str:
    return window.country_combo.country


def sent_name(originate: dict[str, str]) -> str:
    """The contact name on the rep's phone; the PBX shows the number when there is none."""
    name = originate["src_cid_name"]
    return "" if name == originate["dest"] else name


# --- the contact name stays with its number ----------------------------------------------------


@pytest.mark.parametrize(
    "offer",
    [
        lambda window: window.redial("+1 208-555-0171", "Ada Lovelace"),  # the history
        lambda window: window.dialer.set_number(
            "(208) 555-0171", "Ada Lovelace"
        ),  # a list, a call-back
    ],
)
def test_a_different_number_clears_the_name_that_came_with_the_old_one(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    offer: Callable[[MainWindow], None],
) -> None:
    offer(window)
    assert window.name_edit.text() == "Ada Lovelace"
    retype(qtbot, window, "(208) 555-0199")
    assert window.name_edit.text() == ""
    originate = call(qtbot, window, pbx)
    assert originate["dest"] == "12085550199"
    assert sent_name(originate) == ""
    record = call_log.get(originate["origination_uuid"])
    assert record is not None
    assert record.name == ""


def test_reformatting_the_same_number_keeps_the_name(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.redial("+1 208-555-0171", "Ada Lovelace")
    for same in ("(208) 555-0171", "208.555.0171", "1-208-555-0171", "tel:+12085550171"):
        retype(qtbot, window, same)
        assert window.name_edit.text() == "Ada Lovelace", same
    originate = call(qtbot, window, pbx)
    assert originate["dest"] == "12085550171"
    assert sent_name(originate) == "Ada Lovelace"


def test_a_slip_in_the_number_takes_the_name_until_it_is_undone(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.dialer.set_number("208 555 0171", "Ada Lovelace")
    window.number_edit.end(False)
    qtbot.keyClicks(window.number_edit, "9")
    assert window.name_edit.text() == ""
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Backspace)
    assert window.name_edit.text() == "Ada Lovelace"
    # Cleared and typed again digit by digit: the same number, the same contact.
    window.number_edit.selectAll()
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(window.number_edit, "2085550171")
    assert window.name_edit.text() == "Ada Lovelace"


def test_a_name_that_came_with_a_number_that_does_not_parse(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.dialer.set_number(
        "555-0171", "Ada Lovelace"
    )  # no area code: refused, but the name stays
    assert window.dialer.target is None
    retype(qtbot, window, "555 0171")
    assert window.name_edit.text() == "Ada Lovelace"
    retype(qtbot, window, "208 555 0171")
    assert window.name_edit.text() == ""


def test_a_number_from_elsewhere_clears_the_name_of_the_last_one(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.dialer.set_number("(208) 555-0171", "Ada Lovelace")
    call(qtbot, window, pbx)
    window.dialer.set_number("+44 20 7946 0123")  # the tray, a link, the hotkey: a number alone
    assert window.name_edit.text() == ""
    originate = call(qtbot, window, pbx)
    assert sent_name(originate) == ""


def test_a_link_or_the_hotkey_brings_a_number_without_a_name(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    qtbot.keyClicks(window.name_edit, "Bo Diddley")  # typed for a number not entered yet
    offer_number(window, "tel:+1-208-555-0172", ASK)
    assert window.name_edit.text() == ""
    window.dialer.set_number("(208) 555-0171", "Ada Lovelace")
    offer_number(window, "tel:+1-208-555-0171", ASK)  # the same number: the same contact
    assert window.name_edit.text() == "Ada Lovelace"
    offer_number(window, "tel:+1-208-555-0199", DIAL)
    qtbot.waitUntil(lambda: not window.placer.busy, timeout=CALL_TIMEOUT_MS)
    originate = pbx.originates[-1]
    assert (originate["dest"], sent_name(originate)) == ("12085550199", "")


def test_a_name_the_rep_types_stays_with_the_number_it_was_typed_for(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    # Typed before the number: it waits for the number the rep then types.
    qtbot.keyClicks(window.name_edit, "Bo Diddley")
    window.number_edit.setFocus()
    qtbot.keyClicks(window.number_edit, "(208) 555-0172")
    assert window.name_edit.text() == "Bo Diddley"
    retype(qtbot, window, "208-555-0172")
    assert window.name_edit.text() == "Bo Diddley"
    originate = call(qtbot, window, pbx)
    assert sent_name(originate) == "Bo Diddley"
    # Typed for a number in the field: another number takes it away.
    retype(qtbot, window, "(208) 555-0173")
    assert window.name_edit.text() == ""
    window.name_edit.setFocus()
    qtbot.keyClicks(window.name_edit, "Cy Young")
    retype(qtbot, window, "(208) 555-0174")
    assert window.name_edit.text() == ""


def test_the_name_of_a_list_entry_goes_with_its_call_only(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.dialer.set_number("(208) 555-0171", "Ada Lovelace")
    window.dialer.set_number("(208) 555-0172", "")  # the next entry has no name
    assert window.name_edit.text() == ""
    window.dialer.set_number("(208) 555-0173", "Cy Young")
    assert window.name_edit.text() == "Cy Young"
    originate = call(qtbot, window, pbx)
    assert (originate["dest"], sent_name(originate)) == ("12085550173", "Cy Young")


# --- an extension pasted with the number -------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    ["(208) 555-0171 ext. 55", "208-555-0171 x55", "tel:+1-208-555-0171;ext=55"],
)
def test_the_status_says_to_ask_for_the_extension(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog, pasted: str
) -> None:
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(window.number_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.preview_label.text().endswith("then ask for extension 55")
    originate = call(qtbot, window, pbx)
    assert originate["dest"] == "12085550171"
    text = window.status.text
    assert text.startswith("Call placed: the PBX is now calling +1 208-555-0171.")
    assert "When the customer's line answers, ask for extension 55." in text
    assert window.dialer.last_call_id == originate["origination_uuid"]


def test_no_extension_no_reminder(qtbot: QtBot, window: MainWindow, pbx: PbxSimulator) -> None:
    window.dialer.set_number("(208) 555-0171")
    call(qtbot, window, pbx)
    assert "extension" not in window.status.text


def test_the_tray_notice_says_to_ask_for_the_extension(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    call_log: CallLog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        window.dialer.set_number("208 555 0171 extension 55")
        window.hide()
        with caplog.at_level(logging.INFO, logger="a1dialer.desktop.tray"):
            call(qtbot, window, pbx)
        # Offscreen there is no tray to show it: the notice goes to the log with its text.
        notices = [r.getMessage() for r in caplog.records if "Call placed" in r.getMessage()]
        assert notices
        assert "ask for extension 55." in notices[-1]
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()


# --- the country for this call ------------------------------------------------------------------


def test_the_country_picker_starts_at_the_default_and_fills_on_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    combo = window.country_combo
    assert combo.objectName() == "countryCombo"
    assert combo.accessibleName() == "Country for this call"
    assert combo.country == "US"
    assert combo.count() == 1  # the list is built when the rep first goes there, not at start
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is combo
    assert combo.count() > 200
    assert combo.currentText() == "United States  +1"
    assert combo.country == "US"
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "United Kingdom  +44" in names
    assert "Germany  +49" in names


def test_national_digits_are_read_for_the_picked_country(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    qtbot.keyClicks(window.number_edit, "020 7946 0123")
    assert window.dialer.target is None  # not a number in United States
    combo = window.country_combo
    combo.setFocus()
    qtbot.keyClicks(combo, "united k")  # typing a name picks the country
    assert combo.country == "GB"
    assert window.preview_label.text() == "Will dial +44 20 7946 0123, United Kingdom"
    assert window.preview_label.kind == "ok"
    originate = call(qtbot, window, pbx)
    assert originate["dest"] == "442079460123"
    # Placed: back to the default country, the number kept in a form that still reads the same.
    assert picked(window) == "US"
    assert window.number_edit.text() == "+44 20 7946 0123"
    assert dialled(window) == "442079460123"


def test_digits_typed_on_the_picker_go_to_the_number(qtbot: QtBot, window: MainWindow) -> None:
    combo = window.country_combo
    combo.setFocus()
    qtbot.keyClicks(combo, "2")
    assert window.number_edit.hasFocus()
    assert window.number_edit.text() == "2"
    assert combo.country == "US"


def test_the_pick_resets_when_the_number_is_cleared_or_comes_from_elsewhere(
    qtbot: QtBot, window: MainWindow
) -> None:
    combo = window.country_combo
    combo.set_country("DE")
    qtbot.keyClicks(window.number_edit, "030 1234567")
    assert window.preview_label.text().endswith("Germany")
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Escape)
    assert window.number_edit.text() == ""
    assert combo.country == "US"

    combo.set_country("DE")
    qtbot.keyClicks(window.number_edit, "030 1234567")
    window.dialer.set_number("2085550171")  # a link or the tray: a number of the default country
    assert combo.country == "US"
    assert window.preview_label.text() == "Will dial +1 208-555-0171, United States"


def test_a_pick_made_before_typing_is_kept(qtbot: QtBot, window: MainWindow) -> None:
    window.country_combo.set_country("GB")
    qtbot.keyClicks(window.number_edit, "07700 900123")
    assert window.country_combo.country == "GB"
    assert window.preview_label.text().startswith("Will dial +44 7700 900123")


def test_a_picked_country_in_the_national_format_dials_from_home(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx, number_format="national"))
    window.country_combo.set_country("GB")
    qtbot.keyClicks(window.number_edit, "020 7946 0123")
    assert window.dialer.target is not None
    assert window.dialer.target.dial == "011442079460123"  # as a US PBX dials London
    originate = call(qtbot, window, pbx)
    assert originate["dest"] == "011442079460123"


def test_changing_the_country_changes_the_number_and_so_the_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.dialer.set_number("20 7946 0123", "Priya Shah")
    window.country_combo.set_country("GB")
    assert window.name_edit.text() == ""


def test_the_picker_follows_a_new_default_country(
    qtbot: QtBot, window: MainWindow, settings_for: Callable[..., Settings], pbx: PbxSimulator
) -> None:
    window.apply_settings(settings_for(pbx, default_country="GB"))
    assert window.country_combo.country == "GB"
    qtbot.keyClicks(window.number_edit, "020 7946 0123")
    assert window.preview_label.text() == "Will dial +44 20 7946 0123, United Kingdom"
    window.country_combo.set_country("FR")
    window.apply_settings(settings_for(pbx, default_country="DE"))
    assert window.country_combo.country == "FR"  # a pick for this call stays
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Escape)
    assert window.country_combo.country == "DE"
