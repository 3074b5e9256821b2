"""The keyboard shortcuts of a window, read from its actions and shortcuts themselves.

Help, Keyboard shortcuts (F1) shows this list, so a new action with a shortcut is listed the
moment it exists. Keys a widget handles itself (an event filter: Enter calls, digits pick an
outcome) are listed by the class that handles them, in a ``key_help()`` class method returning
``(keys, what they do)`` pairs; a ``QShortcut`` is listed by its ``whatsThis`` text.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

NATIVE = QKeySequence.SequenceFormat.NativeText


def action_text(action: QAction) -> str:
    """An action's menu text as plain words: no mnemonic, no trailing "…"."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.removesuffix("…").removesuffix("...").strip()


def _menu_actions(window: QWidget) -> list[QAction]:
    """The menu bar's actions in the order a rep sees them, submenus included."""
    found: list[QAction] = []

    def walk(actions: list[QAction]) -> None:
        for action in actions:
            menu = action.menu()
            if isinstance(menu, QMenu):
                walk(menu.actions())
            elif not action.isSeparator():
                found.append(action)

    if isinstance(window, QMainWindow):
        walk(window.menuBar().actions())
    return found


def window_shortcuts(window: QWidget) -> list[tuple[str, str]]:
    """``(keys, what they do)`` for every shortcut of ``window`` and its children: the menus'
    actions first, in menu order, then other actions, ``QShortcut``s and keys widgets handle
    themselves. Two ways to do one thing share a row ("Ctrl+Return, Ctrl+Enter")."""
    rows: dict[str, list[str]] = {}

    def add(what: str, keys: str) -> None:
        if what and keys and keys not in rows.setdefault(what, []):
            rows[what].append(keys)

    for action in [*_menu_actions(window), *window.findChildren(QAction)]:
        for sequence in action.shortcuts():
            add(action_text(action), sequence.toString(NATIVE))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():  # noqa: SIM118 - a list of key sequences, not a dict
            add(shortcut.whatsThis(), sequence.toString(NATIVE))
    seen: set[type] = set()
    for child in [window, *window.findChildren(QObject)]:
        kind = type(child)
        help_for = getattr(kind, "key_help", None)
        if kind in seen or help_for is None:
            continue
        seen.add(kind)
        for keys, what in help_for():
            add(what, keys)
    return [(", ".join(keys), what) for what, keys in rows.items()]
