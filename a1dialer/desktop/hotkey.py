"""A desktop-wide key combination (default Ctrl+Alt+D) that dials the selected or copied number."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QClipboard, QGuiApplication

log = logging.getLogger(__name__)

DEFAULT_SHORTCUT = "Ctrl+Alt+D"

# Qt's modifier and key names (as in "Ctrl+Alt+D") to pynput's hotkey names.
_PYNPUT_NAMES = {
    "ctrl": "<ctrl>",
    "control": "<ctrl>",
    "alt": "<alt>",
    "shift": "<shift>",
    "meta": "<cmd>",
    "cmd": "<cmd>",
    "win": "<cmd>",
    "super": "<cmd>",
    "space": "<space>",
    "tab": "<tab>",
    "enter": "<enter>",
    "return": "<enter>",
    "insert": "<insert>",
    "home": "<home>",
    "end": "<end>",
    "pause": "<pause>",
}
_MODIFIERS = {"<ctrl>", "<alt>", "<shift>", "<cmd>"}


def pynput_hotkey(shortcut: str) -> str:
    """``shortcut`` ("Ctrl+Alt+D", "Ctrl+Shift+F9") in pynput's form ("<ctrl>+<alt>+d").

    Raises ValueError for a combination without a modifier (it would swallow a normal key) or
    with a key this module cannot name.
    """
    parts = [part.strip().lower() for part in shortcut.split("+")]
    if any(not part for part in parts):
        raise ValueError(f"{shortcut!r} is not a key combination such as {DEFAULT_SHORTCUT}.")
    names: list[str] = []
    for part in parts:
        if part in _PYNPUT_NAMES:
            names.append(_PYNPUT_NAMES[part])
        elif len(part) == 1 and part.isprintable():
            names.append(part)
        elif part[0] == "f" and part[1:].isdigit() and 1 <= int(part[1:]) <= 20:
            names.append(f"<{part}>")
        else:
            raise ValueError(f"{shortcut!r} uses a key A1 Dialer cannot listen for: {part!r}.")
    if not _MODIFIERS & set(names) or set(names) <= _MODIFIERS:
        raise ValueError(f"{shortcut!r} needs Ctrl, Alt or another modifier plus one key.")
    return "+".join(names)


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
            if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
                return False, (
                    "Wayland desktops do not let apps listen for global hotkeys; add a shortcut "
                    "in your desktop's keyboard settings that runs A1 Dialer instead."
                )
            if not os.environ.get("DISPLAY"):
                return (
                    False,
                    "Global hotkeys need a graphical desktop session, and none is running.",
                )
        try:
            from pynput import keyboard  # noqa: F401
        except Exception as exc:  # pynput raises whatever its platform backend raises
            return False, f"Global hotkeys are unavailable because pynput could not load ({exc})."
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

        presses = self._pressed

        def pressed() -> None:
            # A stopped listener may still be draining (see ``stop``); only the current one counts.
            if self._listener is listener:
                presses.emit()

        try:
            listener = keyboard.GlobalHotKeys({self._combination: pressed})
            self._listener = listener
            listener.start()
            listener.wait()
        except Exception as exc:  # the X server or OS refused the key hook
            self._listener = None
            reason = f"The global hotkey {self.shortcut} could not be set up ({exc})."
            log.warning("%s", reason)
            return False, reason
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
