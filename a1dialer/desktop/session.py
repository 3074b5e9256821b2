"""Everything the running app does on the desktop, started once the window has painted.

The tray, the global hotkey, pinning from the history, recording-ready notices, and the link or
``--dial-selection`` this launch was started with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from a1dialer.desktop.hotkey_wiring import HotkeyWiring
from a1dialer.desktop.number_offer import receive_launch
from a1dialer.desktop.pinning import wire_pinning
from a1dialer.desktop.recording_watch import RecordingWatch
from a1dialer.desktop.tray import DialerTray
from a1dialer.desktop.tray_wiring import start_tray

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallLog
    from a1dialer.ui.main_window import MainWindow


class DesktopSession(QObject):
    """The parts of the app that live beside the window (owned by the application object)."""

    def __init__(self, app: QApplication, window: MainWindow, tray: DialerTray) -> None:
        super().__init__(app)
        self.tray = tray
        # The demo may run beside the rep's real app, which owns the global hotkey.
        self.hotkey = None if window.demo else HotkeyWiring(window, self)
        self.recordings = RecordingWatch(window, tray, window.recording_client, self)

        if window.history is not None:
            wire_pinning(window.history, tray, window.tasks)
        else:  # the history's table is built when the rep first shows it
            window.history_dock.built.connect(lambda view: wire_pinning(view, tray, window.tasks))
        app.aboutToQuit.connect(self.close)

    def close(self) -> None:
        """Stop listening and watching, and remove the tray icon (the app is going away)."""
        if self.hotkey is not None:
            self.hotkey.close()
        self.recordings.stop()
        self.tray.hide()
        self.tray.deleteLater()
        self.deleteLater()


def start_desktop(
    app: QApplication, window: MainWindow, call_log: CallLog, launch: Sequence[str] = ()
) -> DesktopSession:
    """Start the desktop parts for ``window``, then act on this launch's link, if any."""
    session = DesktopSession(app, window, start_tray(app, window, call_log))
    if launch:
        receive_launch(window, launch)
    return session
