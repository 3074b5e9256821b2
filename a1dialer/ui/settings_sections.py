"""Rows another layer adds to the Settings dialog, registered without loading the dialog.

The desktop layer's hotkey note and "start at login" belong in the dialog's Desktop group, but
``ui`` must not import ``desktop``; the application object registers them here at start, and the
dialog (built only when the rep opens it) asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFormLayout, QWidget

    from a1dialer.ui.settings_dialog import SettingsDialog

DesktopRows = Callable[["SettingsDialog", "QFormLayout"], "list[QWidget]"]

_desktop_rows: list[DesktopRows] = []


def set_desktop_rows(rows: DesktopRows | None) -> None:
    """Have every Settings dialog add ``rows`` to its Desktop group (``None``: none)."""
    _desktop_rows[:] = [rows] if rows is not None else []


def desktop_rows() -> DesktopRows | None:
    return _desktop_rows[0] if _desktop_rows else None
