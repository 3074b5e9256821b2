"""Keys from anywhere in the dialer window: Enter calls, digits and pastes go to the number."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

from a1dialer.core.translation import _
from a1dialer.ui.dial_pad import PAD_CHARACTERS
from a1dialer.ui.dialer import Dialer
from a1dialer.ui.dialer_panel import DialerPanel


class KeyRouting(QObject):
    """Watches the keys of ``window`` and of the panel's controls and acts on the dialer.

    Enter or Ctrl+Enter calls (a held Enter repeats: only the first press may place a call),
    digits, ``*``, ``#`` and ``+`` typed while any control has focus go to the number, Ctrl+V
    pastes into the number, and Ctrl+Backspace in the number field clears it.
    """

    def __init__(self, window: QWidget, panel: DialerPanel, dialer: Dialer) -> None:
        super().__init__(window)
        self._panel = panel
        self._dialer = dialer
        for widget in (window, *panel.focus_chain, panel.status.label):
            widget.installEventFilter(self)
        # Keys in the details box reach the window as from the other controls (made later).
        panel.status.details_created.connect(lambda text: text.installEventFilter(self))

    @classmethod
    def key_help(cls) -> list[tuple[str, str]]:
        """The keys handled here, for the list of shortcuts."""
        return [
            # Translators: the first text of each pair names keys as printed on a keyboard.
            (_("Enter"), _("call the number")),
            (_("Digits, *, #, +"), _("typed anywhere, go to the number")),
            # Translators: the Ctrl key as printed on a keyboard ("Strg" in German).
            (_("Ctrl+V"), _("paste a number from anywhere in the window")),
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key_pressed(watched, event)
        return super().eventFilter(watched, event)

    def _key_pressed(self, watched: QObject, event: QKeyEvent) -> bool:
        """``True`` when the key was used here."""
        panel = self._panel
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ControlModifier,
        ):
            if watched in panel.status.focusable:
                return False
            if not event.isAutoRepeat():
                self._dialer.dial()
            return True
        if (
            watched is panel.number_edit
            and key == Qt.Key.Key_Backspace
            and modifiers == Qt.KeyboardModifier.ControlModifier
        ):
            self._dialer.clear_number()
            return True
        text = event.text()
        in_text_field = watched in (panel.number_edit, panel.name_edit)
        if text and text in PAD_CHARACTERS:
            if watched is panel.number_edit:
                panel.dial_pad.flash(text)
                return False
            if not in_text_field:
                panel.dial_pad.flash(text)
                self._dialer.type_into_number(text)
                return True
        if event.matches(QKeySequence.StandardKey.Paste) and not in_text_field:
            panel.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            panel.number_edit.selectAll()
            panel.number_edit.paste()
            return True
        return False
