"""A desktop-wide key combination (default Ctrl+Alt+D) that dials the selected or copied number."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication

from a1dialer.core.key_combinations import DEFAULT_SHORTCUT, pynput_hotkey
from a1dialer.core.translation import N_, _

log = logging.getLogger(__name__)

WAYLAND_REASON = N_(
    "Global hotkeys are not available on Wayland: use the tray, or add a keyboard shortcut in "
    "your desktop's settings that runs 'a1dialer --dial-selection'."
)


def selected_or_clipboard_text() -> str:
    """The text selected anywhere on screen (X11 primary selection), else the clipboard's."""
    clipboard = QGuiApplication.clipboard()
    if clipboard.supportsSelection():
        selected = clipboard.text(QClipboard.Mode.Selection).strip()
        if selected:
            return selected
    return clipboard.text().strip()


class GlobalHotkey(QObject):
    """Listens for one key combination in every application (through pynput).

    Where the desktop does not allow it, ``availability()`` gives the reason in one sentence.

    Signals:
        triggered(): the combination was pressed; always delivered on the GUI thread.
    """

    triggered = Signal()
    # pynput calls back on its own thread; this queued hop brings the press to the GUI thread.
    _pressed = Signal()

    def __init__(self, shortcut: str = DEFAULT_SHORTCUT, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shortcut = shortcut
        self._combination = pynput_hotkey(shortcut)
        self._listener: Any = None
        self._pressed.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @staticmethod
    def availability() -> tuple[bool, str]:
        """Whether global hotkeys can work here, and if not, why (one sentence)."""
        if sys.platform not in ("win32", "darwin"):
            # Under Wayland an X11 hook (even through XWayland) would see no other app's keys.
            if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
                return False, _(WAYLAND_REASON)
            if not os.environ.get("DISPLAY"):
                return (
                    False,
                    _("Global hotkeys need a graphical desktop session, and none is running."),
                )
        try:
            from pynput import keyboard  # noqa: F401
        except Exception as exc:  # pynput raises whatever its platform backend raises
            # Translators: pynput is the library that listens for keys; {reason} is its error.
            sentence = _("Global hotkeys are unavailable because pynput could not load ({reason}).")
            return False, sentence.format(reason=exc)
        return True, ""

    @property
    def active(self) -> bool:
        return self._listener is not None

    def start(self) -> tuple[bool, str]:
        """Begin listening; ``(False, reason)`` when this desktop does not allow it."""
        if self._listener is not None:
            return True, ""
        usable, reason = self.availability()
        if not usable:
            log.info("Global hotkey %s not started: %s", self.shortcut, reason)
            return usable, reason
        from pynput import keyboard

        def pressed() -> None:
            # A stopped listener may still be draining (see ``stop``); only the current one counts.
            if self._listener is listener:
                self._pressed.emit()

        try:
            listener = keyboard.GlobalHotKeys({self._combination: pressed})
            self._listener = listener
            listener.start()
            listener.wait()
        except Exception as exc:  # the X server or OS refused the key hook
            self._listener = None
            log.warning("The global hotkey %s could not be set up (%s).", self.shortcut, exc)
            reason = _("The global hotkey {shortcut} could not be set up ({reason}).")
            return False, reason.format(shortcut=self.shortcut, reason=exc)
        return True, ""

    def stop(self) -> None:
        """Stop listening (at quit, or before changing the combination)."""
        if self._listener is not None:
            # Not joined: pynput's X11 listener thread only ends at the next key or mouse event
            # (pynput PR #583). It is a daemon thread and delivers nothing once replaced.
            self._listener.stop()
            self._listener = None

    @Slot()
    def _deliver(self) -> None:
        self.triggered.emit()
