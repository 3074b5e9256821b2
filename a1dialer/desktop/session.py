"""Everything the running app does on the desktop, started once the window has painted.

The tray (quick dial, show and hide, notices, staying in the tray), the global hotkey (started
from the ``hotkey`` setting and changed with it; where the desktop allows none, the reason is kept
for the Settings dialog), pinning from the history, recording-ready notices, and the link or
``--dial-selection`` this launch was started with. The application object owns the session: it
outlives the window.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from a1dialer.core.settings import Settings
from a1dialer.core.translation import _, pgettext
from a1dialer.desktop.favorites import Favorites
from a1dialer.desktop.hotkey import GlobalHotkey
from a1dialer.desktop.number_offer import dial_selection, offer_number, receive_launch, show_window
from a1dialer.desktop.pinning import wire_pinning
from a1dialer.desktop.recording_watch import RecordingWatch
from a1dialer.desktop.tray import DialerTray, NoticeKind
from a1dialer.ui.dialer import ASK, ask_for_extension
from a1dialer.ui.main_window import QUITTING_PROPERTY

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallLog, CallRecord
    from a1dialer.core.errors import DialerError
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# Set in the window's state once the rep was told that closing the window keeps the tray.
TOLD_KEY = "tray/told_about_closing"
# The running app's wiring, which knows whether its hotkey really started.
_current: HotkeyWiring | None = None


def hotkey_problem() -> str:
    """Why the global hotkey cannot work here, in one sentence; empty when it can."""
    if _current is not None:
        return _current.problem
    return GlobalHotkey.availability()[1]


def _forget_current() -> None:
    global _current
    _current = None


class HotkeyWiring(QObject):
    """Keeps one ``GlobalHotkey`` listening for the shortcut in the window's settings.

    A press offers the selected or copied number (``number_offer.dial_selection``).
    """

    def __init__(self, window: MainWindow, parent: QObject | None = None) -> None:
        global _current
        super().__init__(parent)
        self._window = window
        self.hotkey: GlobalHotkey | None = None
        # Why the hotkey is not listening, for the Settings dialog ("" when it is, or is off).
        self.problem = ""
        _current = self
        self.destroyed.connect(_forget_current)
        window.services.settings.changed.connect(self._settings_changed)
        self.apply(window.settings.hotkey)

    def apply(self, shortcut: str) -> None:
        """Listen for ``shortcut`` instead of the current one; empty turns the hotkey off."""
        if self.hotkey is not None and self.hotkey.shortcut == shortcut:
            return
        self.stop()
        if not shortcut:
            self.problem = ""
            log.info("Global hotkey turned off in Settings")
            return
        hotkey = GlobalHotkey(shortcut, self)
        started, reason = hotkey.start()
        if not started:
            self.problem = reason
            log.warning("Global hotkey %s is not available: %s", shortcut, reason)
            hotkey.deleteLater()
            return
        self.problem = ""
        hotkey.triggered.connect(lambda: dial_selection(self._window))
        self.hotkey = hotkey
        log.info("Global hotkey %s is listening", shortcut)

    def stop(self) -> None:
        """Stop listening (at quit, or before another combination)."""
        if self.hotkey is not None:
            self.hotkey.stop()
            self.hotkey.deleteLater()
            self.hotkey = None

    def close(self) -> None:
        """Stop for good (the app is quitting): Settings then judge the desktop afresh."""
        self.stop()
        if _current is self:
            _forget_current()

    def _settings_changed(self, settings: Settings, _old: Settings) -> None:
        self.apply(settings.hotkey)


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
                    _("A1 Dialer keeps running"),
                    _("It stays in the tray for quick calls; choose Quit in its menu to close it."),
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
        if tray.notify(
            # Translators: the title of a notification: a call-back the rep planned is due.
            pgettext("notification", "Call back"),
            reminder_text(record),
            NoticeKind.CALLBACK_DUE,
        ):
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
            rings = _("Your phone rings first, then {number}.").format(
                number=attempt.target.display
            )
            tray.notify(
                _("Call placed"),
                rings + ask_for_extension(attempt.target),
                NoticeKind.CALL_PLACED,
            )

    def failed(_tag: object, attempt: CallAttempt, error: DialerError) -> None:
        tray.refresh()
        reminded.clear()
        if not window.isVisible():
            tray.notify(_("Call failed"), error.sentence, NoticeKind.CALL_FAILED)

    def unknown(_tag: object, attempt: CallAttempt, error: DialerError) -> None:
        tray.refresh()
        reminded.clear()
        if not window.isVisible():
            tray.notify(
                _("The PBX may be calling"),
                _("Your phone may ring for {number}: check it before calling again.").format(
                    number=attempt.target.display
                ),
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


class DesktopSession(QObject):
    """The parts of the app that live beside the window (owned by the application object)."""

    def __init__(self, app: QApplication, window: MainWindow, tray: DialerTray) -> None:
        super().__init__(app)
        self.tray = tray
        # The demo may run beside the rep's real app, which owns the global hotkey.
        self.hotkey = None if window.demo else HotkeyWiring(window, self)
        self.recordings = RecordingWatch(window, tray, window.services.download_client, self)

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
