"""The window's small message boxes: keyboard shortcuts, About, and unreadable settings."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from a1dialer import APP_NAME, __version__
from a1dialer.core.errors import LocalProblem

SHORTCUTS = (
    ("Enter or Ctrl+Enter", "call the number"),
    ("Ctrl+L", "go to the number field"),
    ("Esc", "clear the number and name"),
    ("Ctrl+Backspace", "clear the number"),
    ("Digits, *, #, +", "typed anywhere, go to the number"),
    ("Ctrl+V", "paste a number from anywhere in the window"),
    ("Menu key or Shift+F10", "in a table: the menu of the row you are on"),
    ("Hold 0 on the dial pad", "type +"),
    ("Ctrl+,", "settings"),
    ("Ctrl+Shift+L", "call lists"),
    ("Ctrl+N", "dial the next number of the call list"),
    ("Ctrl+Shift+K", "skip a number of the call list"),
    ("1-9, Enter, Esc", "after a call: pick the outcome, save it, or skip"),
)


def show_shortcuts(parent: QWidget) -> None:
    rows = "".join(
        f"<tr><td><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>" for keys, what in SHORTCUTS
    )
    QMessageBox.information(parent, "Keyboard shortcuts", f"<table>{rows}</table>")


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        f"About {APP_NAME}",
        f"{APP_NAME} {__version__}\n\nClick-to-call for A1PBX phone systems: it asks your PBX "
        "to ring your own phone, then connects the number you dial.",
    )


def ask_to_open_settings(problem: LocalProblem, parent: QWidget) -> bool:
    """Say the settings file cannot be read (it is left alone); whether the rep wants Settings."""
    box = QMessageBox(parent)
    box.setObjectName("settingsProblemBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText("Your settings could not be read.")
    box.setInformativeText(
        f"{problem.sentence}\n\nThe file stays as it is until you save new settings."
    )
    open_button = box.addButton("Open Settings…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button
