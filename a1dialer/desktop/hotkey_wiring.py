"""The running app's global hotkey: started from the ``hotkey`` setting, changed with it.

Where the desktop allows no global hotkey (Wayland, no X display, pynput failing) the reason is
logged and kept for the Settings dialog, which shows it beside the field.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from a1dialer.core.settings import Settings
from a1dialer.desktop.hotkey import GlobalHotkey
from a1dialer.desktop.number_offer import dial_selection

if TYPE_CHECKING:
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

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
