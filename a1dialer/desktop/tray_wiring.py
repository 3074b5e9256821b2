"""Connects the tray icon to the dialer window: quick dial, show/hide, notifications, stay in tray.

The application object owns the tray (it outlives the window); this module only wires signals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from a1dialer.desktop.favorites import Favorites
from a1dialer.desktop.number_offer import offer_number, show_window
from a1dialer.desktop.tray import DialerTray, NoticeKind
from a1dialer.ui.dialer import ASK, ask_for_extension
from a1dialer.ui.main_window import QUITTING_PROPERTY

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallLog, CallRecord
    from a1dialer.core.errors import DialerError
    from a1dialer.core.settings import Settings
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
TOLD_KEY = "tray/told_about_closing"


class _StayInTray(QObject):
    """Closing the window hides it while the tray icon keeps the app running; said once."""

    def __init__(self, window: MainWindow, tray: DialerTray) -> None:
        super().__init__(window)
        self._window = window
        self._tray = tray

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and not _quitting():
            state = self._window.state
            if state.value(TOLD_KEY) is None:
                self._tray.notify(
                    "A1 Dialer keeps running",
                    "It stays in the tray for quick calls; choose Quit in its menu to close it.",
                    NoticeKind.CALL_PLACED,
                )
                state.setValue(TOLD_KEY, True)
        return False


def _quitting() -> bool:
    app = QApplication.instance()
    return bool(app is not None and app.property(QUITTING_PROPERTY))


def start_tray(app: QApplication, window: MainWindow, call_log: CallLog) -> DialerTray:
    """Create the tray for ``window``; where the desktop has none, closing the window quits."""
    tray = DialerTray(
        call_log,
        Favorites(),
        country=window.settings.default_country,
        extension_digits=window.settings.extension_digits,
        parent=app,
    )
    tray.callRequested.connect(lambda number, name: offer_number(window, number, ASK, name))
    tray.showWindowRequested.connect(lambda: show_window(window))
    tray.toggleWindowRequested.connect(
        lambda: window.hide() if window.isVisible() else show_window(window)
    )

    def open_settings() -> None:
        show_window(window)
        window.open_settings()

    tray.settingsRequested.connect(open_settings)
    tray.quitRequested.connect(window.quit_app)

    def follow_settings(settings: Settings, _old: Settings) -> None:
        tray.country = settings.default_country
        tray.extension_digits = settings.extension_digits

    window.services.settings.changed.connect(follow_settings)

    # The call-back a click on the last notification is about (a newer notice replaces it).
    reminded: list[CallRecord] = []

    def callback_due(record: CallRecord) -> None:
        from a1dialer.ui.callback_reminders import reminder_text

        reminded.clear()
        if tray.notify("Call back", reminder_text(record), NoticeKind.CALLBACK_DUE):
            reminded.append(record)

    def notice_clicked() -> None:
        if reminded:
            window.follow_up.fill_callback(reminded.pop())

    window.follow_up.reminders.due.connect(callback_due)
    tray.icon.messageClicked.connect(notice_clicked)

    def placed(_tag: object, attempt: CallAttempt, call: CallPlaced) -> None:
        tray.refresh()
        reminded.clear()
        if not window.isVisible():
            tray.notify(
                "Call placed",
                f"Your phone rings first, then {attempt.target.display}."
                f"{ask_for_extension(attempt.target)}",
                NoticeKind.CALL_PLACED,
            )

    def failed(_tag: object, attempt: CallAttempt, error: DialerError) -> None:
        tray.refresh()
        reminded.clear()
        if not window.isVisible():
            tray.notify("Call failed", error.sentence, NoticeKind.CALL_FAILED)

    def unknown(_tag: object, attempt: CallAttempt, error: DialerError) -> None:
        tray.refresh()
        reminded.clear()
        if not window.isVisible():
            tray.notify(
                "The PBX may be calling",
                f"Your phone may ring for {attempt.target.display}: check it before calling again.",
                NoticeKind.CALL_FAILED,
            )

    window.dialer.placed.connect(placed)
    window.dialer.failed.connect(failed)
    window.dialer.unknown.connect(unknown)
    in_tray = tray.show()
    app.setQuitOnLastWindowClosed(not in_tray)
    if in_tray:
        window.installEventFilter(_StayInTray(window, tray))
    tray.refresh()
    log.info("Tray icon %s", "shown" if in_tray else "not available on this desktop")
    return tray
