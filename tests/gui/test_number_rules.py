"""The number rules in the window: refused numbers send nothing, stored numbers redial unchanged."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import Settings
from a1dialer.desktop.pinning import wire_pinning
from a1dialer.desktop.session import start_tray
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.history_view import HistoryView
from a1dialer.ui.main_window import MainWindow

UK = "+44 20 7946 0123"
UK_PREVIEW = "Will dial +44 20 7946 0123, United Kingdom"


def _refused_preview(qtbot: QtBot, window: MainWindow, typed: str) -> str:
    qtbot.keyClicks(window.number_edit, typed)
    qtbot.waitUntil(lambda: window.preview_label.kind == "error", timeout=3000)
    assert window.dialer.target is None
    return window.preview_label.text()


def test_one_digit_too_many_is_refused_not_dialled_in_egypt(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    assert _refused_preview(qtbot, window, "(208) 555-12345") == (
        "(208) 555-12345 has one digit too many for a number in United States; "
        "for a number abroad, start with + or 011."
    )
    assert "Egypt" not in window.preview_label.text()
    qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Return)
    assert not window.placer.busy
    assert window.preview_label.kind == "error"
    assert pbx.requests == []


def test_six_digits_are_no_extension_by_default(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    reason = _refused_preview(qtbot, window, "555123")
    assert reason == "555123 is too short for a number in United States; check for missing digits."
    assert "extension" not in reason
    assert not window.dialer.dial()
    assert pbx.requests == []


def test_the_admins_extension_digits_make_six_digits_an_extension(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx, extension_digits="3-6"))
    qtbot.keyClicks(window.number_edit, "555123")
    assert window.preview_label.text() == "Will dial extension 555123"
    assert window.dialer.dial()
    qtbot.waitUntil(lambda: len(pbx.originates) == 1, timeout=5000)
    assert pbx.originates[0]["dest"] == "555123"


def _history(qtbot: QtBot, window: MainWindow) -> HistoryView:
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=5000)
    assert window.history is not None
    return window.history


def test_a_uk_number_redials_unchanged_from_the_history_recents_and_favorites(
    qtbot: QtBot, window: MainWindow, call_log: CallLog, pbx: PbxSimulator
) -> None:
    # Default US, number format e164: the call log keeps the UK number as "442079460123", which
    # typed alone is refused with default US. Every way back into the dialer must keep it British.
    assert (window.settings.default_country, window.settings.number_format) == ("US", "e164")
    history = _history(qtbot, window)
    window.dialer.set_number(UK)
    assert window.dialer.dial()
    qtbot.waitUntil(lambda: len(pbx.originates) == 1, timeout=5000)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: history.model.record_at(0).status == "placed", timeout=5000)
    assert pbx.originates[0]["dest"] == "442079460123"
    assert history.model.record_at(0).number == "442079460123"

    # Enter on the history row.
    window.dialer.clear_all()
    window.history_dock.show()
    qtbot.waitUntil(history.table.isVisible, timeout=3000)
    history.table.selectionModel().setCurrentIndex(
        history.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_Return)
    assert window.preview_label.text() == UK_PREVIEW
    assert window.dialer.target is not None
    assert window.dialer.target.dial == "442079460123"

    # The tray's recent numbers.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    tray = start_tray(app, window, call_log)
    try:
        with qtbot.waitSignal(tray.refreshed, timeout=10_000):
            tray.refresh()
        window.dialer.clear_all()
        [recent] = tray.recent_menu.actions()
        recent.trigger()
        assert window.preview_label.text() == UK_PREVIEW
        qtbot.waitUntil(lambda: window.dialer.ready_to_call, timeout=5000)
        # The same number a moment ago: the window asks once, a second Enter calls.
        assert not window.dialer.dial()
        assert window.status_label.text().endswith("Press Enter again to call anyway.")
        qtbot.waitUntil(lambda: window.dialer.redial_confirmable, timeout=3000)
        # Until the call's answer: its tray refresh must not pass for the pin's below.
        with qtbot.waitSignal(window.dialer.placed, timeout=5000):
            assert window.dialer.dial()
        assert len(pbx.originates) == 2
        assert pbx.originates[1]["dest"] == "442079460123"

        # Pinned from the history (Ctrl+D), then picked from the tray's favorites.
        wire_pinning(history, tray, window.tasks)
        history.table.setFocus()
        qtbot.keyClick(history.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        # Wait for the pinned number itself: the tray also refreshes after each call, so its
        # first ``refreshed`` may come before the pin is in.
        qtbot.waitUntil(
            lambda: (
                [a.text() for a in tray.favorites_menu.actions() if a.isEnabled()]
                == ["+44 20 7946 0123"]
            ),
            timeout=10_000,
        )
        window.dialer.clear_all()
        [favorite] = tray.favorites_menu.actions()
        favorite.trigger()
        assert window.preview_label.text() == UK_PREVIEW
        assert window.dialer.target is not None
        assert window.dialer.target.dial == "442079460123"
    finally:
        app.setQuitOnLastWindowClosed(True)
        tray.hide()
        tray.deleteLater()
