"""The desktop parts beside the window: pinning from the history into the tray's Favorites, and
the notice that a recorded call's recording is ready."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.core.settings import Settings
from a1dialer.desktop.recording_watch import RecordingWatch
from a1dialer.desktop.session import DesktopSession, start_desktop
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.history_view import HistoryView
from a1dialer.ui.main_window import MainWindow

WAIT_MS = 10_000
QUICK_RETRIES = (0.1,) * 30


def history_of(qtbot: QtBot, window: MainWindow) -> HistoryView:
    window.history_dock.show()  # its table is built when first shown
    qtbot.waitUntil(lambda: window.history is not None, timeout=WAIT_MS)
    assert window.history is not None
    return window.history


@pytest.fixture
def session(qtbot: QtBot, window: MainWindow, call_log: CallLog) -> Iterator[DesktopSession]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    history_of(qtbot, window)
    session = start_desktop(app, window, call_log)
    yield session
    session.close()
    app.setQuitOnLastWindowClosed(True)


def place(qtbot: QtBot, window: MainWindow, number: str, *, record: bool = False) -> str:
    window.dialer.set_number(number)
    window.record_check.setChecked(record)
    with qtbot.waitSignal(window.placer.placed, timeout=WAIT_MS) as placed:
        window.dialer.dial()
    return str(placed.args[1].uuid)


def menu_labels(session: DesktopSession) -> list[str]:
    return [action.text() for action in session.tray.favorites_menu.actions()]


def pin_action(history: HistoryView) -> QAction:
    menu = history.context_menu()
    found = [action for action in menu.actions() if action.objectName() == "historyPinAction"]
    assert len(found) == 1
    return found[0]


def test_pinning_from_the_history_shows_the_number_in_the_tray_at_once(
    qtbot: QtBot, window: MainWindow, session: DesktopSession
) -> None:
    history = history_of(qtbot, window)
    place(qtbot, window, "(208) 555-1234")
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=WAIT_MS)
    history.table.selectRow(0)
    assert menu_labels(session) == ["No pinned numbers yet"]
    action = pin_action(history)
    assert action.text().replace("&", "") == "Pin to favorites"
    assert action.shortcut().toString() == "Ctrl+D"

    action.trigger()

    qtbot.waitUntil(lambda: menu_labels(session) == ["+1 208-555-1234"], timeout=WAIT_MS)
    assert session.tray.favorites.is_pinned("+12085551234")
    assert pin_action(history).text().replace("&", "") == "Unpin from favorites"

    # The same from the keyboard, on the table: Ctrl+D unpins.
    window.history_dock.show()
    qtbot.waitExposed(history.table)
    history.table.setFocus()
    qtbot.keyClick(history.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: menu_labels(session) == ["No pinned numbers yet"], timeout=WAIT_MS)
    assert not session.tray.favorites.is_pinned("+12085551234")


def test_a_recorded_call_says_when_its_recording_is_ready(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
) -> None:
    pbx = start_simulator(recording_delay=0.5)
    window = open_window(settings_for(pbx))
    watch = RecordingWatch(
        window, None, window.services.download_client, window, retry_delays=QUICK_RETRIES
    )

    with qtbot.waitSignal(watch.ready, timeout=WAIT_MS) as ready:
        uuid = place(qtbot, window, "+1 208 555 1234", record=True)
        assert watch.watched == [uuid]
        watch.watch(uuid, "+1 208-555-1234")  # a second ask adds no second watcher
        assert watch.watched == [uuid]

    assert ready.args == [uuid]
    assert watch.watched == []
    assert window.statusBar().currentMessage() == (
        "Recording of the call to +1 208-555-1234 is ready: play it from the history."
    )
    cached = RecordingCache().get(uuid)
    assert cached is not None
    assert window.call_log.get(uuid) is not None


def test_calls_not_recorded_are_not_watched(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator
) -> None:
    watch = RecordingWatch(window, None, window.services.download_client, window)
    place(qtbot, window, "+1 208 555 1234", record=False)
    assert watch.watched == []


def test_a_recording_that_never_comes_is_given_up_quietly(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
) -> None:
    pbx = start_simulator(recording_delay=3600)
    window = open_window(settings_for(pbx))
    watch = RecordingWatch(
        window, None, window.services.download_client, window, retry_delays=(0.05,) * 3
    )

    with qtbot.assertNotEmitted(watch.ready):
        place(qtbot, window, "+1 208 555 1234", record=True)
        qtbot.waitUntil(lambda: watch.watched == [], timeout=WAIT_MS)

    assert window.statusBar().currentMessage() == ""
    asked = [request for request in pbx.requests if request.endpoint == "call_recording"]
    assert len(asked) == 4  # the first try and three retries: the player's schedule, no more


def test_stopping_ends_every_watch(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
) -> None:
    pbx = start_simulator(recording_delay=3600)
    window = open_window(settings_for(pbx))
    watch = RecordingWatch(
        window, None, window.services.download_client, window, retry_delays=(0.2,) * 50
    )
    place(qtbot, window, "+1 208 555 1234", record=True)
    assert len(watch.watched) == 1

    def asked() -> int:
        return len([r for r in pbx.requests if r.endpoint == "call_recording"])

    qtbot.waitUntil(lambda: asked() == 1, timeout=WAIT_MS)  # the first try ("not yet")
    watch.stop()

    assert watch.watched == []
    with qtbot.assertNotEmitted(watch.ready, wait=600):  # three retry intervals
        pass
    assert asked() == 1
