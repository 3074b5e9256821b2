"""The contact name stays with the number it belongs to: another number in the field clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit

    from a1dialer.core.numbers import DialTarget


def number_key(text: str, target: DialTarget | None) -> str:
    """What makes two entries the same number: its international digits (and extension to ask
    for) when it parses, else its digits; the number format and the formatting do not count."""
    from a1dialer.core.numbers import digits_only

    if target is None:
        return digits_only(text)
    key = target.dial if target.is_extension else digits_only(target.display)
    return f"{key};ext={target.extension_hint}" if target.extension_hint else key


class ContactNameGuard(QObject):
    """Clears the name field when the number it belongs to is replaced by a different number.

    A name that comes with a number (a call list, the history, a call-back) belongs to that
    number. A name the rep types belongs to the number in the field if that is a complete phone
    number; typed before it (or beside a half-typed one), it waits for the number the rep then
    enters, and belongs to it once the rep leaves the number field or calls (``settle``): while
    the rep types digits, every prefix would be "another number". When the number changes to
    another one the name is cleared, so the call log and the phone's display never name the
    wrong person; when the edit comes back to the name's number (a slip undone), it returns.
    The window calls ``follow`` with every new reading of the number.
    """

    def __init__(self, name_edit: QLineEdit) -> None:
        super().__init__(name_edit)
        self._name_edit = name_edit
        self._key = ""
        self._complete = False
        self._owner: str | None = None  # the key of the number the name belongs to
        self._cleared: tuple[str, str] | None = None  # (name, its number's key)
        self._changing = False
        name_edit.textChanged.connect(self._name_changed)

    def follow(self, key: str, complete: bool) -> None:
        """The number field now reads as ``key`` (``complete``: a phone number, not a part of
        one, nor an extension)."""
        self._key, self._complete = key, complete
        if self._name_edit.text().strip():
            if self._owner is not None and key and key != self._owner:
                self._cleared = (self._name_edit.text(), self._owner)
                self._set_name("")
                self._owner = None
        elif self._cleared is not None and key and key == self._cleared[1]:
            name, self._owner = self._cleared
            self._cleared = None
            self._set_name(name)

    def settle(self) -> None:
        """A name still waiting for its number belongs to the number in the field now."""
        if self._owner is None and self._key and self._name_edit.text().strip():
            self._owner = self._key
            self._cleared = None

    def drop_waiting(self) -> None:
        """A number came from elsewhere alone: a name still waiting for its number is not its."""
        if self._owner is None and self._name_edit.text().strip():
            self._set_name("")

    def _set_name(self, name: str) -> None:
        self._changing = True
        try:
            self._name_edit.setText(name)
        finally:
            self._changing = False

    def _name_changed(self, text: str) -> None:
        if self._changing:
            return
        self._cleared = None
        if not text.strip():
            self._owner = None
        elif self._name_edit.isModified():  # typed by the rep: a complete number owns it
            self._owner = self._key if self._complete else None
        else:  # set with a number (a list, the history): that number owns it
            self._owner = self._key or None
