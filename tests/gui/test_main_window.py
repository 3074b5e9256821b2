"""The dialer window against the simulator over real HTTP: entry, preview, calls, failures, keys."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import STALE_SENTENCE, CallLog
from a1dialer.core.errors import (
    AuthRejected,
    DialerError,
    LocalProblem,
    NetworkFailure,
    PbxRefused,
)
from a1dialer.core.settings import RINGBACK_TONES, Settings
from a1dialer.pbx.simulator import MAGIC_DESTINATIONS, PbxSimulator
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.services import Services

CALL_TIMEOUT_MS = 15_000


def magic_number(cause: str) -> str:
    """A number the simulator answers with ``cause``, as a rep would type it."""
    suffix = next(s for s, c in MAGIC_DESTINATIONS.items() if c == cause)
    return suffix if len(suffix) >= 10 else "1208" + suffix[-7:]


def call_and_wait(qtbot: QtBot, window: MainWindow, start: Callable[[], object]) -> None:
    """Run ``start`` (a click, a key) and wait until the call in flight has come back."""
    with qtbot.waitSignal(
        window.placer.busy_changed,
        timeout=CALL_TIMEOUT_MS,
        check_params_cb=lambda busy: not busy,
    ):
        start()


def press_enter(widget: QWidget, *, auto_repeat: bool = False) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(
            kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r", auto_repeat
        )
        QApplication.sendEvent(widget, event)


def wait_past_double_click(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=3000)


# ------------------------------------------------------------------------------ entering numbers


def test_typing_shows_what_will_be_dialled(qtbot: QtBot, window: MainWindow) -> None:
    assert window.preview_label.text() == "Type or paste a number in any format"
    qtbot.keyClicks(window.number_edit, "(208) 555-1234")
    assert window.preview_label.text() == "Will dial +1 208-555-1234, United States"
    assert window.preview_label.kind == "ok"
    assert window.dialer.target is not None
    assert window.dialer.target.dial == "12085551234"
    assert window.number_edit.accessibleDescription() == window.preview_label.text()


def test_pasting_a_number_with_ctrl_v(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("+44 20 7946 0123\n")
    qtbot.keyClick(window.number_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.number_edit.text().strip() == "+44 20 7946 0123"
    assert window.preview_label.text().startswith("Will dial +44 20 7946 0123")
    assert "United Kingdom" in window.preview_label.text()


def test_ctrl_v_on_another_control_pastes_into_the_number(qtbot: QtBot, window: MainWindow) -> None:
    window.record_check.setFocus()
    QGuiApplication.clipboard().setText("tel:+1-208-555-1234")
    qtbot.keyClick(window.record_check, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.number_edit.text() == "tel:+1-208-555-1234"
    assert window.preview_label.text() == "Will dial +1 208-555-1234, United States"
    assert not window.record_check.isChecked()


def test_dial_pad_by_mouse(qtbot: QtBot, window: MainWindow) -> None:
    for digit in "2085551234":
        qtbot.mouseClick(window.dial_pad.keys[digit], Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "2085551234"
    assert window.preview_label.text() == "Will dial +1 208-555-1234, United States"
    qtbot.mouseClick(window.dial_pad.backspace_button, Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "208555123"
    for key in ("*", "#"):
        qtbot.mouseClick(window.dial_pad.keys[key], Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "208555123*#"
    qtbot.mouseClick(window.dial_pad.clear_button, Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == ""
    assert window.number_edit.hasFocus()


def test_holding_zero_types_plus(qtbot: QtBot, window: MainWindow) -> None:
    zero = window.dial_pad.keys["0"]
    qtbot.mousePress(zero, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.number_edit.text() == "+", timeout=3000)
    qtbot.mouseRelease(zero, Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "+"
    qtbot.mouseClick(zero, Qt.MouseButton.LeftButton)
    assert window.number_edit.text() == "+0"


def test_digits_typed_on_any_control_go_to_the_number(qtbot: QtBot, window: MainWindow) -> None:
    window.ringback_combo.setFocus()
    before = window.ringback_combo.currentIndex()
    qtbot.keyClicks(window.ringback_combo, "2")
    assert window.number_edit.hasFocus()
    qtbot.keyClicks(QApplication.focusWidget(), "08 555 1234")
    assert window.number_edit.text() == "208 555 1234"
    assert window.ringback_combo.currentIndex() == before
    window.call_button.setFocus()
    qtbot.keyClicks(window.call_button, "#")
    assert window.number_edit.text() == "208 555 1234#"


def test_the_name_field_keeps_its_digits(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.name_edit, "Room 101")
    assert window.name_edit.text() == "Room 101"
    assert window.number_edit.text() == ""


def test_preview_of_an_extension(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.number_edit, "1042")
    assert window.dialer.target is not None
    assert window.dialer.target.is_extension
    assert window.preview_label.kind == "ok"
    assert "1042" in window.preview_label.text()


def test_preview_says_why_a_number_cannot_be_dialled(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.number_edit, "+1 208 55")
    assert window.dialer.target is None
    # Not while the rep is still typing; once they pause.
    assert window.preview_label.kind != "error"
    qtbot.waitUntil(lambda: window.preview_label.kind == "error", timeout=3000)
    reason = window.preview_label.text()
    assert reason
    assert not reason.startswith("Will dial")
    assert window.number_edit.accessibleDescription() == reason


def test_calling_an_unusable_number_sends_nothing(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("hello")
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert window.preview_label.kind == "error"
    assert not window.placer.busy
    assert pbx.originates == []


# ------------------------------------------------------------------------------- placing calls


def test_a_call_with_every_option_reaches_the_pbx(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    window.number_edit.setText("(208) 555-1234")
    window.name_edit.setText("Jo & Co")
    window.ringback_combo.setCurrentIndex(window.ringback_combo.findData("uk-ring"))
    window.auto_answer_check.setChecked(True)
    window.record_check.setChecked(True)
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS) as placed:
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    sent = pbx.originates[-1]
    assert (sent["dest"], sent["src"], sent["src_cid_name"]) == ("12085551234", "1007", "Jo & Co")
    assert (sent["ringback"], sent["auto_answer"], sent["rec"]) == ("uk-ring", "true", "true")
    call_id = sent["origination_uuid"]
    assert placed.args[1].uuid == call_id
    assert window.status_label.text().startswith("Call placed")
    assert call_id in window.status_label.text()
    assert "connected" not in window.status_label.text().lower()
    assert window.dialer.last_call_id == call_id
    record = call_log.get(call_id)
    assert record is not None
    assert record.status == "placed"
    qtbot.mouseClick(window.status.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == call_id


@pytest.mark.parametrize("tone", list(RINGBACK_TONES))
def test_each_ringback_tone_is_sent_as_chosen(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, tone: str
) -> None:
    window.number_edit.setText("208 555 1234")
    window.ringback_combo.setCurrentIndex(window.ringback_combo.findData(tone))
    call_and_wait(qtbot, window, window.dialer.dial)
    assert pbx.originates[-1]["ringback"] == tone
    assert window.ringback_combo.currentText() == RINGBACK_TONES[tone]


def test_options_off_and_no_name_are_sent_as_such(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")
    window.auto_answer_check.setChecked(False)
    window.record_check.setChecked(False)
    call_and_wait(qtbot, window, lambda: press_enter(window.number_edit))
    sent = pbx.originates[-1]
    assert (sent["auto_answer"], sent["rec"]) == ("false", "false")
    # With no contact name the rep's phone shows the number being called.
    assert sent["src_cid_name"] == "12085551234"
    assert window.status.kind == "ok"


@pytest.mark.slow
def test_ringing_shows_the_extension_and_the_time_while_the_ui_keeps_running(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
    settings_for: Callable[..., Settings],
) -> None:
    pbx = start_simulator(answer_delay=3.0)
    window = open_window(settings_for(pbx))
    window.number_edit.setText("208 555 1234")
    ticks: list[str] = []
    heartbeat = QTimer()
    heartbeat.setInterval(50)
    heartbeat.timeout.connect(lambda: ticks.append(window.status_label.text()))
    heartbeat.start()
    with qtbot.waitSignal(window.placer.placed, timeout=CALL_TIMEOUT_MS):
        window.dialer.dial()
        assert not window.call_button.isEnabled()
        assert window.call_button.text() == "Calling…"
    heartbeat.stop()
    # About 60 ticks in 3 s; a GUI thread blocked by the originate would get none.
    assert len(ticks) >= 40
    assert any(t.startswith("Ringing your phone (ext 1007)... 2 s") for t in ticks)
    assert "Pick it up; then the PBX calls +1 208-555-1234." in ticks[0]
    assert window.status_label.text().startswith("Call placed")


# ------------------------------------------------------------------------------------ failures


def test_a_busy_number(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, call_log: CallLog
) -> None:
    window.number_edit.setText(magic_number("USER_BUSY"))
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS) as failed:
        window.dialer.dial()
    error = failed.args[1]
    assert isinstance(error, PbxRefused)
    assert "busy" in error.sentence.lower()
    assert window.status_label.text() == error.sentence
    assert window.status.kind == "error"
    record = call_log.get(pbx.originates[-1]["origination_uuid"])
    assert record is not None
    assert record.status == "failed"
    assert window.call_button.isEnabled()
    assert window.call_button.text() == "Call"


def test_a_wrong_key_offers_settings(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("A1DIALER_API_KEY", "not-the-key")
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS) as failed:
        window.dialer.dial()
    assert isinstance(failed.args[1], AuthRejected)
    assert window.status_label.text() == failed.args[1].sentence
    assert window.status.settings_button.isVisibleTo(window)
    assert (
        "not-the-key" not in window.status_label.text() + window.status.details_text.toPlainText()
    )


# An unreadable 2xx reply (garbage, empty) is "may be calling": see test_main_window_call_state.
@pytest.mark.parametrize("fault", ["html200", "html500", "json-error"])
def test_a_broken_reply_shows_its_sentence_and_details(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, api_key: str, fault: str
) -> None:
    pbx.set_fault(fault, count=1)
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS) as failed:
        window.dialer.dial()
    error = failed.args[1]
    assert isinstance(error, DialerError)
    assert window.status_label.text() == error.sentence
    assert not window.status_label.text().startswith("Call placed")
    if error.details:
        assert window.status.details_button.isVisibleTo(window)
        assert not window.status.details_text.isVisibleTo(window)
        qtbot.mouseClick(window.status.details_button, Qt.MouseButton.LeftButton)
        assert window.status.details_text.isVisibleTo(window)
        assert window.status.details_text.toPlainText() == error.details
        assert api_key not in error.details
        # The details box (made when first shown) is one of the window's controls: Enter there
        # does not call again, and a digit typed there goes to the number.
        window.status.details_text.setFocus()
        qtbot.keyClick(window.status.details_text, Qt.Key.Key_Return)
        qtbot.keyClicks(window.status.details_text, "5")
        assert window.number_edit.text() == "208 555 12345"
    assert len(pbx.originates) == 1


def test_server_down(qtbot: QtBot, window: MainWindow, pbx: PbxSimulator) -> None:
    pbx.stop()
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS) as failed:
        window.dialer.dial()
    assert isinstance(failed.args[1], NetworkFailure)
    assert window.status_label.text() == failed.args[1].sentence
    assert window.status.kind == "error"


def test_not_set_up_says_so_and_sends_nothing(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
) -> None:
    window = open_window(settings_for(pbx, extension=""))
    assert window.status.kind == "warning"
    assert "Your extension" in window.status_label.text()
    assert window.status.settings_button.isVisibleTo(window)
    window.number_edit.setText("208 555 1234")
    with qtbot.waitSignal(window.placer.failed, timeout=CALL_TIMEOUT_MS) as failed:
        window.dialer.dial()
    assert "not set up" in failed.args[1].sentence
    assert pbx.originates == []


# ------------------------------------------------------------------------ exactly one originate


def test_rapid_clicks_send_one_originate(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")

    def clicks() -> None:
        for _ in range(5):
            qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)

    call_and_wait(qtbot, window, clicks)
    # Clicks landing after the PBX already answered are still part of the same burst.
    for _ in range(3):
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    wait_past_double_click(qtbot, window)
    assert len(pbx.originates) == 1


def test_a_double_click_sends_one_originate(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")

    # The system sends press, release, press + double-click event, release. The PBX answers at
    # once, so the first call is back before the second half of the double click arrives.
    call_and_wait(
        qtbot, window, lambda: qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    )
    qtbot.mouseDClick(window.call_button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.call_button, Qt.MouseButton.LeftButton)
    wait_past_double_click(qtbot, window)
    assert len(pbx.originates) == 1
    # Once the double-click time has passed, Call works again: the same number moments later
    # asks first, and a second, separate click calls.
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text().endswith("Press Enter again to call anyway.")
    qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)
    call_and_wait(
        qtbot, window, lambda: qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    )
    assert len(pbx.originates) == 2


def test_a_held_enter_key_sends_one_originate(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")
    call_and_wait(qtbot, window, lambda: press_enter(window.number_edit))
    wait_past_double_click(qtbot, window)
    for _ in range(20):  # the key is still down: the system repeats it
        press_enter(window.number_edit, auto_repeat=True)
        QApplication.processEvents()
    assert not window.placer.busy
    assert len(pbx.originates) == 1


@pytest.mark.slow
def test_enter_is_ignored_while_a_call_is_in_flight(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
    settings_for: Callable[..., Settings],
) -> None:
    pbx = start_simulator(answer_delay=1.5)
    window = open_window(settings_for(pbx))
    window.number_edit.setText("208 555 1234")

    def keys() -> None:
        press_enter(window.number_edit)
        assert window.placer.busy
        qtbot.keyClick(window.number_edit, Qt.Key.Key_Return)
        qtbot.keyClick(window.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert not window.dialer.dial()

    call_and_wait(qtbot, window, keys)
    assert len(pbx.originates) == 1


def test_closing_the_window_while_the_pbx_holds_the_call(
    qtbot: QtBot,
    start_simulator: Callable[..., PbxSimulator],
    call_log: CallLog,
    api_key: str,
    settings_for: Callable[..., Settings],
) -> None:
    pbx = start_simulator(answer_delay=30.0)
    window = MainWindow(Services.create(settings_for(pbx), call_log))
    window.show()
    qtbot.waitExposed(window)
    window.number_edit.setText("208 555 1234")
    assert window.dialer.dial()
    assert pbx.wait_for_requests(1, timeout=10)
    call_id = pbx.originates[0]["origination_uuid"]
    window.close()
    with qtbot.waitSignal(window.destroyed, timeout=5000):
        window.deleteLater()
    record = call_log.get(call_id)
    assert record is not None
    assert record.status == "pending"
    pbx.stop()
    qtbot.waitUntil(lambda: QApplication.instance() is not None and _pool_idle(), timeout=20_000)
    QApplication.processEvents()


def _pool_idle() -> bool:
    from PySide6.QtCore import QThreadPool

    return QThreadPool.globalInstance().activeThreadCount() == 0


# ------------------------------------------------------------------------------------ keyboard


def test_tab_order_number_name_options_call(qtbot: QtBot, window: MainWindow) -> None:
    window.number_edit.setFocus()
    seen = []
    for _ in range(6):
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        seen.append(now.objectName() if now is not None else "")
    assert seen == [
        "countryCombo", "nameEdit", "ringbackCombo", "autoAnswerCheck", "recordCheck", "callButton"
    ]  # fmt: skip


def test_shortcuts_focus_clear_and_call(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    window.number_edit.setText("208 555 1234")
    window.name_edit.setText("Dana")
    window.record_check.setFocus()
    qtbot.keyClick(window.record_check, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.number_edit.hasFocus()
    assert window.number_edit.selectedText() == "208 555 1234"
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert window.number_edit.text() == ""
    assert window.name_edit.text() == "Dana"
    window.number_edit.setText("208 555 1234")
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Escape)
    assert (window.number_edit.text(), window.name_edit.text()) == ("", "")
    window.number_edit.setText("208 555 1234")
    window.ringback_combo.setFocus()
    call_and_wait(
        qtbot,
        window,
        lambda: qtbot.keyClick(
            window.ringback_combo, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        ),
    )
    assert len(pbx.originates) == 1


def test_enter_on_an_option_calls(qtbot: QtBot, window: MainWindow, pbx: PbxSimulator) -> None:
    window.number_edit.setText("208 555 1234")
    window.auto_answer_check.setFocus()
    call_and_wait(qtbot, window, lambda: press_enter(window.auto_answer_check))
    assert len(pbx.originates) == 1


def test_every_control_is_named_for_assistive_technology(window: MainWindow) -> None:
    for name in (
        "numberEdit",
        "nameEdit",
        "callButton",
        "ringbackCombo",
        "autoAnswerCheck",
        "recordCheck",
        "statusLabel",
    ):
        assert window.findChild(QWidget, name) is not None, name
    controls = [
        w
        for w in window.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit | QComboBox)
        and w.objectName() not in ("", "qt_spinbox_lineedit")
        and not w.objectName().startswith("qt_")
    ]
    assert len(controls) >= 20
    for control in controls:
        assert control.accessibleName(), control.objectName()
    for edit in (window.number_edit, window.name_edit, window.ringback_combo, window.call_button):
        assert edit.accessibleDescription(), edit.objectName()


def test_every_ringback_tone_has_a_plain_label(window: MainWindow) -> None:
    labels = [window.ringback_combo.itemText(i) for i in range(window.ringback_combo.count())]
    assert labels == list(RINGBACK_TONES.values())
    assert "United Kingdom" in labels


# ---------------------------------------------------------------------------- remembered state


def test_options_come_from_settings_then_from_the_last_run(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    pbx: PbxSimulator,
    api_key: str,
    tmp_path: Path,
    settings_for: Callable[..., Settings],
) -> None:
    settings = settings_for(pbx, ringback="fr-ring", record=True, auto_answer=False)
    first = open_window(settings)
    assert first.ringback_combo.currentData() == "fr-ring"
    assert first.record_check.isChecked()
    assert not first.auto_answer_check.isChecked()
    first.ringback_combo.setCurrentIndex(first.ringback_combo.findData("de-ring"))
    first.auto_answer_check.setChecked(True)
    first.record_check.setChecked(False)
    first.resize(430, 700)
    first.close()

    second = open_window(settings)
    assert second.ringback_combo.currentData() == "de-ring"
    assert second.auto_answer_check.isChecked()
    assert not second.record_check.isChecked()
    assert second.size().width() == 430
    ini = Path(second.state.fileName())
    assert ini.name == "window.ini"
    assert ini.is_file()


def test_new_defaults_from_settings_replace_the_shown_options(
    window: MainWindow, pbx: PbxSimulator, settings_for: Callable[..., Settings]
) -> None:
    window.record_check.setChecked(False)
    window.apply_settings(settings_for(pbx, record=True, ringback="it-ring"))
    assert window.record_check.isChecked()
    assert window.ringback_combo.currentData() == "it-ring"


# ----------------------------------------------------------------------------- app start flows

Step = Callable[[], bool]


def run_app(steps: list[Step], **options: object) -> int:
    """Start ``run_gui`` and drive it with ``steps``, then close its window.

    The app opens modal dialogs (wizard, message box) with their own event loops, so the steps
    are polled from a timer instead of waiting in nested loops: each returns True when done.
    """
    from a1dialer.app import run_gui

    problems: list[BaseException] = []
    pending = list(steps)
    timer = QTimer()
    timer.setInterval(20)
    started = time.monotonic()

    def finish() -> None:
        timer.stop()
        modal = QApplication.activeModalWidget()
        if modal is not None:
            modal.close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                widget.close()

    def tick() -> None:
        try:
            while pending and pending[0]():
                pending.pop(0)
            if pending and time.monotonic() - started > 15:
                raise TimeoutError(f"step {pending[0].__name__} never finished")
        except BaseException as exc:  # re-raised below, after the event loop has ended
            problems.append(exc)
            pending.clear()
        if not pending:
            finish()

    timer.timeout.connect(tick)
    timer.start()
    code = run_gui(**options)  # type: ignore[arg-type]
    timer.stop()
    if problems:
        raise problems[0]
    return code


def shown_window() -> MainWindow | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
        None,
    )


def test_first_start_with_nothing_set_up_opens_the_wizard() -> None:
    from a1dialer.ui.setup_wizard import SetupWizard

    seen: list[str] = []

    def cancel_the_wizard() -> bool:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, SetupWizard):
            return False
        seen.append(type(wizard).__name__)
        wizard.close()
        return True

    def window_says_not_set_up() -> bool:
        window = shown_window()
        if QApplication.activeModalWidget() is not None or window is None:
            return False
        seen.append(window.status.kind)
        return True

    assert run_app([cancel_the_wizard, window_says_not_set_up]) == 0
    assert seen == ["SetupWizard", "warning"]


def test_a_bad_settings_file_is_reported_and_left_alone() -> None:
    from a1dialer.core import paths

    settings_file = paths.settings_file()
    settings_file.write_text('extension = "not digits"\n', encoding="utf-8")
    before = settings_file.read_bytes()
    texts: list[str] = []

    def answer_not_now() -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        texts.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Not now").click()
        return True

    def no_dialog_left() -> bool:
        return QApplication.activeModalWidget() is None and shown_window() is not None

    assert run_app([answer_not_now, no_dialog_left]) == 0
    assert str(settings_file) in texts[0]
    assert "Your extension" in texts[0]
    assert settings_file.read_bytes() == before


def start_up_work_done() -> bool:
    """The window is up, no dialog is open and its start-up tasks (the call log sweep) ended."""
    return (
        shown_window() is not None
        and QApplication.activeModalWidget() is None
        and QThreadPool.globalInstance().activeThreadCount() == 0
    )


def test_a_settings_file_saved_by_notepad_in_windows_1252_is_read_with_a_warning(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    from a1dialer.core import paths

    settings_file = paths.settings_file()
    text = 'server = "http://127.0.0.1:9"\ncaller_id_name = "José’s Café"\n'
    text += 'extension = "1007"\ncaller_id_number = "12085550100"\n'
    settings_file.write_bytes(text.encode("cp1252"))  # as Notepad saves "ANSI"
    seen: list[str] = []

    def window_uses_the_name() -> bool:
        window = shown_window()
        if window is None or QApplication.activeModalWidget() is not None:
            return False
        seen.append(window.settings.caller_id_name)
        return True

    with caplog.at_level(logging.WARNING):
        assert run_app([window_uses_the_name, start_up_work_done]) == 0
    assert seen == ["José’s Café"]
    assert any(
        "is not UTF-8 (from line 2); read it as Windows-1252" in record.getMessage()
        for record in caplog.records
    )


def test_a_settings_file_in_no_known_encoding_is_reported_with_its_line(
    qapp: QApplication,
) -> None:
    from a1dialer.core import paths

    settings_file = paths.settings_file()
    settings_file.write_bytes(b'extension = "1007"\ncaller_id_name = "\x81\x8d"\n')
    texts: list[str] = []

    def answer_not_now() -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        texts.append(box.informativeText())
        next(b for b in box.buttons() if b.text() == "Not now").click()
        return True

    assert run_app([answer_not_now, start_up_work_done]) == 0
    assert f"{settings_file} is not text A1 Dialer can read (line 2" in texts[0]
    assert "save it as UTF-8" in texts[0]


def test_a_damaged_call_log_is_reported_after_the_window_shows_and_the_app_stops(
    pbx: PbxSimulator, api_key: str, settings_for: Callable[..., Settings]
) -> None:
    from a1dialer.core import paths
    from a1dialer.core.settings import save_settings

    save_settings(settings_for(pbx))
    damaged = b"this is not a call log" * 200
    paths.call_log_file().write_bytes(damaged)
    texts: list[str] = []

    def read_and_close_the_box() -> bool:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return False
        texts.append(box.text())
        box.close()
        return True

    assert run_app([read_and_close_the_box]) == LocalProblem.exit_code
    assert "is damaged" in texts[0]
    assert paths.call_log_file().read_bytes() == damaged  # left for the rep to move away


def test_a_tel_link_at_start_fills_the_number(
    pbx: PbxSimulator, api_key: str, settings_for: Callable[..., Settings]
) -> None:
    from a1dialer.core.settings import save_settings

    save_settings(settings_for(pbx))
    seen: list[str] = []

    def read_the_preview() -> bool:
        window = shown_window()
        # The link is offered once the window has painted (see desktop.session).
        if window is None or not window.number_edit.text():
            return False
        seen.extend((window.preview_label.text(), window.status.text))
        return True

    assert run_app([read_the_preview], uris=["tel:+1-208-555-1234"]) == 0
    assert seen == [
        "Will dial +1 208-555-1234, United States",
        "Press Enter to call +1 208-555-1234.",
    ]
    assert pbx.originates == []


QUIT_WHILE_RINGING = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from a1dialer.core.settings import Settings, save_settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.app import run_gui
from a1dialer.ui.main_window import MainWindow

simulator = PbxSimulator(sys.argv[1], answer_delay=120.0).start()
save_settings(Settings(server=simulator.server_url, extension="1007",
                       caller_id_number="12085550100"))
app = QApplication(sys.argv[:1])

def call_then_quit():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    window.number_edit.setText("208 555 1234")
    window.dialer.dial()
    simulator.wait_for_requests(1, timeout=10)
    print(simulator.originates[0]["origination_uuid"], flush=True)
    window.close()

QTimer.singleShot(200, call_then_quit)
sys.exit(run_gui())
"""


@pytest.mark.slow
def test_quitting_while_the_pbx_holds_a_call_exits_at_once(
    private_profile: Path, api_key: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_RINGING, api_key],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # The PBX would hold the originate for two minutes; the app waits 1.5 s at most.
    assert took < 15
    call_id = done.stdout.strip()
    with CallLog(private_profile / "calls.sqlite3") as log:
        record = log.get(call_id)
    assert record is not None
    # The PBX may be calling: unknown, never failed.
    assert (record.status, record.error) == ("unknown", STALE_SENTENCE)
