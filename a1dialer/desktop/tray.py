"""The tray icon: call the number on the clipboard, pinned and recent numbers, notifications."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from a1dialer import APP_NAME
from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import DialerError
from a1dialer.core.numbers import looks_like_phone_number, parse_dial_input
from a1dialer.core.translation import _
from a1dialer.desktop.favorites import Favorite, Favorites
from a1dialer.ui.icons import app_icon
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

RECENT_LIMIT = 10
NOTICE_MS = 6000


class NoticeKind(enum.Enum):
    """What a notification is about; it picks the icon the desktop shows."""

    CALL_PLACED = "call placed"
    CALL_FAILED = "call failed"
    RECORDING_READY = "recording ready"
    CALLBACK_DUE = "call-back due"


_NOTICE_ICONS = {
    NoticeKind.CALL_PLACED: QSystemTrayIcon.MessageIcon.Information,
    NoticeKind.CALL_FAILED: QSystemTrayIcon.MessageIcon.Warning,
    NoticeKind.RECORDING_READY: QSystemTrayIcon.MessageIcon.Information,
    NoticeKind.CALLBACK_DUE: QSystemTrayIcon.MessageIcon.Information,
}


class DialerTray(QObject):
    """The tray icon and its menu, owned by the application object (it outlives the window).

    Pinned and recent numbers are read on the thread pool by ``refresh`` (the GUI thread never
    touches the disk); the menu is rebuilt from them, and from the clipboard, each time it opens.

    Signals:
        callRequested(str, str): the rep picked a number to call, with its contact name or ""
            (the app asks first, then dials).
        showWindowRequested(): "Open A1 Dialer", or a click on a notification.
        toggleWindowRequested(): a left click on the icon.
        settingsRequested(): "Settings…".
        quitRequested(): "Quit".
        refreshed(): pinned and recent numbers were read again and the menu rebuilt.
    """

    callRequested = Signal(str, str)
    showWindowRequested = Signal()
    toggleWindowRequested = Signal()
    settingsRequested = Signal()
    quitRequested = Signal()
    refreshed = Signal()

    def __init__(
        self,
        call_log: CallLog,
        favorites: Favorites,
        *,
        country: str = "US",
        extension_digits: str = "2-5",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._call_log = call_log
        self.country = country
        self.extension_digits = extension_digits
        self.favorites = favorites
        self._pinned: list[Favorite] = []
        self._recent: list[tuple[str, str, str]] = []
        self._problem = ""
        self._runner = TaskRunner(self)
        # The menu has no parent widget: the tray lives without any window.
        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self.menu.aboutToShow.connect(self.rebuild_menu)
        # Built once and refilled: QMenu.clear() drops actions but would leak new submenus.
        self.favorites_menu = QMenu(_("Favorites"), self.menu)
        self.favorites_menu.setObjectName("trayFavoritesMenu")
        self.recent_menu = QMenu(_("Recent"), self.menu)
        self.recent_menu.setObjectName("trayRecentMenu")
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(APP_NAME)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self._clicked: Callable[[], None] | None = None
        self.icon.messageClicked.connect(self._message_clicked)
        self.rebuild_menu()

    @staticmethod
    def available() -> bool:
        """Whether the desktop shows tray icons (without one, closing the window must quit)."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> bool:
        """Show the icon; False when the desktop has no tray."""
        if not self.available():
            return False
        self.icon.show()
        return True

    @property
    def pinned(self) -> list[Favorite]:
        """The pinned numbers as last read (``refresh`` reads them again)."""
        return list(self._pinned)

    def hide(self) -> None:
        self.icon.hide()

    def refresh(self) -> None:
        """Read pinned and recent numbers again (after a call, a pin or an unpin)."""
        self._runner.run(self._read_numbers, self._numbers_read, owner=self)

    def rebuild_menu(self) -> None:
        """Fill the menu from the clipboard and the last pinned/recent numbers read."""
        menu = self.menu
        for submenu in (menu, self.favorites_menu, self.recent_menu):
            submenu.clear()
        clipboard_number = self._clipboard_number()
        if clipboard_number:
            shown = _shown(clipboard_number, self.country, self.extension_digits)
            # Translators: the tray menu's entry that calls the number on the clipboard.
            label = _("Call {number}").format(number=shown)
            call = self._call_action(label, clipboard_number, menu)
            call.setObjectName("trayCallClipboard")
            menu.addAction(call)
            menu.addSeparator()

        pinned = self.favorites_menu
        menu.addMenu(pinned)
        for favorite in self._pinned:
            pinned.addAction(
                self._call_action(favorite.label(), favorite.number, pinned, favorite.name)
            )
        if not self._pinned:
            self._note(pinned, self._problem or _("No pinned numbers yet"))

        recent = self.recent_menu
        menu.addMenu(recent)
        for number, display, name in self._recent:
            # The display form (with its "+"): the dialled digits of a number abroad in the
            # e164 format read as a number of the default country, which the dialer refuses.
            again = display or number
            label = f"{name} \N{EM DASH} {again}" if name else again
            recent.addAction(self._call_action(label, again, recent, name))
        if not self._recent:
            self._note(recent, _("No calls yet"))

        menu.addSeparator()
        open_app = _("Open {app}").format(app=APP_NAME)
        self._command(menu, open_app, "trayOpen", self.showWindowRequested)
        self._command(
            menu, _("Settings\N{HORIZONTAL ELLIPSIS}"), "traySettings", self.settingsRequested
        )
        menu.addSeparator()
        self._command(menu, _("Quit"), "trayQuit", self.quitRequested)

    def notify(
        self,
        title: str,
        message: str,
        kind: NoticeKind,
        *,
        clicked: Callable[[], None] | None = None,
    ) -> bool:
        """Show a desktop notification; False when the desktop cannot (show it elsewhere then).

        A click on it shows the window, then runs ``clicked`` (for the latest notification).
        """
        if not (self.icon.isVisible() and QSystemTrayIcon.supportsMessages()):
            log.info("Notification not shown (%s): %s: %s", kind.value, title, message)
            return False
        self._clicked = clicked
        self.icon.showMessage(title, message, _NOTICE_ICONS[kind], NOTICE_MS)
        return True

    @Slot()
    def _message_clicked(self) -> None:
        self.showWindowRequested.emit()
        if self._clicked is not None:
            self._clicked()

    def _clipboard_number(self) -> str:
        text = QGuiApplication.clipboard().text().strip()
        found = looks_like_phone_number(text, self.country, extension_digits=self.extension_digits)
        return text if text and found else ""

    def _call_action(self, label: str, number: str, menu: QMenu, name: str = "") -> QAction:
        action = QAction(label, menu)
        action.triggered.connect(lambda *_: self.callRequested.emit(number, name))
        return action

    @staticmethod
    def _command(menu: QMenu, label: str, name: str, signal: Any) -> None:
        action = menu.addAction(label)
        action.setObjectName(name)
        action.triggered.connect(lambda *_: signal.emit())

    @staticmethod
    def _note(menu: QMenu, text: str) -> None:
        action = menu.addAction(text)
        action.setEnabled(False)

    def _read_numbers(self) -> tuple[list[Favorite], list[tuple[str, str, str]], str]:
        problem = ""
        try:
            pinned = self.favorites.pinned()
        except DialerError as exc:
            pinned, problem = [], exc.sentence
        return pinned, self._call_log.recent_numbers(RECENT_LIMIT), problem

    def _numbers_read(
        self,
        result: tuple[list[Favorite], list[tuple[str, str, str]], str] | None,
        error: BaseException | None,
    ) -> None:
        if result is not None:
            self._pinned, self._recent, self._problem = result
        else:
            log.warning("Could not read pinned and recent numbers: %s", error)
        # Rebuilding an open menu would close it under the rep's pointer; it rebuilds on open.
        if not self.menu.isVisible():
            self.rebuild_menu()
        self.refreshed.emit()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggleWindowRequested.emit()


def _shown(number: str, country: str, extension_digits: str) -> str:
    try:
        return parse_dial_input(number, country, extension_digits=extension_digits).display
    except DialerError:
        return number
