"""The tray drives the dialer window: quick dial fills the number, Open shows, no tray quits;
it tells of calls while the window is hidden."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.desktop.session import start_tray
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow


def test_tray_quick_dial_fills_the_window_without_dialling(
    qtbot: QtBot, window: MainWindow, call_log: CallLog, pbx: PbxSimulator
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        window.hide()
        window.name_edit.setText("Someone Else")
        tray.callRequested.emit("+44 20 7946 0123", "Mia Müller")
        assert window.isVisible()
        assert window.number_edit.text() == "+44 20 7946 0123"
        assert window.name_edit.text() == "Mia Müller"
        assert pbx.originates == []
        tray.toggleWindowRequested.emit()
        assert not window.isVisible()
        tray.showWindowRequested.emit()
        assert window.isVisible()
        # Offscreen there is no system tray, so closing the last window must still quit.
        assert app.quitOnLastWindowClosed() is (not tray.available())
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()


def test_a_placed_call_refreshes_the_tray_recents(
    qtbot: QtBot, window: MainWindow, call_log: CallLog, pbx: PbxSimulator
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        window.dialer.set_number("+1 208 555 1234")
        with qtbot.waitSignal(tray.refreshed, timeout=10_000):
            window.dialer.dial()
        qtbot.waitUntil(
            lambda: any("208" in action.text() for action in tray.recent_menu.actions()),
            timeout=5000,
        )
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()


def test_a_call_of_unknown_outcome_is_told_from_the_tray_as_may_be_calling(
    qtbot: QtBot,
    window: MainWindow,
    call_log: CallLog,
    pbx: PbxSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        pbx.set_fault("reset", count=1, endpoint="originate")
        window.dialer.set_number("+1 208 555 1234")
        window.hide()
        with (
            caplog.at_level(logging.INFO),
            qtbot.waitSignal(window.placer.unknown, timeout=10_000),
        ):
            window.dialer.dial()
        notices = [r.getMessage() for r in caplog.records if "Notification" in r.getMessage()]
        assert notices == [
            "Notification not shown (call failed): The PBX may be calling: Your phone may ring "
            "for +1 208-555-1234: check it before calling again."
        ]
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()
