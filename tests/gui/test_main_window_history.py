"""The history dock and the recording player inside the dialer window."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.history_view import HistoryView
from a1dialer.ui.main_window import MainWindow


def _history(qtbot: QtBot, window: MainWindow) -> HistoryView:
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    assert window.history is not None
    return window.history


def test_a_placed_call_appears_in_the_history_at_once(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    dock = window.findChild(QDockWidget, "historyDock")
    assert dock is not None
    history = _history(qtbot, window)
    window.dialer.set_number("(208) 555-1234")
    window.dialer.dial()
    qtbot.waitUntil(lambda: len(pbx.originates) == 1, timeout=5000)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    record = history.model.record_at(0)
    assert record.display_number == "+1 208-555-1234"
    qtbot.waitUntil(lambda: history.model.record_at(0).status == "placed", timeout=5000)


def test_redial_from_the_history_fills_the_dialer_without_dialling(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    history = _history(qtbot, window)
    history.redialRequested.emit("+44 20 7946 0123", "Priya Shah")
    assert window.number_edit.text() == "+44 20 7946 0123"
    assert window.name_edit.text() == "Priya Shah"
    assert window.number_edit.hasFocus()
    assert pbx.originates == []


def test_open_recording_by_call_id_shows_the_player(qtbot: QtBot, window: MainWindow) -> None:
    window.open_recording_by_id()
    player = window.recording_player()
    qtbot.waitExposed(player)
    assert player.isVisible()
    assert window.recording_player() is player
    player.close()
