"""The window's small message boxes: keyboard shortcuts, About, and unreadable settings."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from a1dialer import APP_NAME, __version__
from a1dialer.core.errors import LocalProblem
from a1dialer.core.translation import N_, _

SHORTCUTS = (
    (N_("Enter or Ctrl+Enter"), N_("call the number")),
    ("Ctrl+L", N_("go to the number field")),
    ("Esc", N_("clear the number and name")),
    ("Ctrl+Backspace", N_("clear the number")),
    (N_("Digits, *, #, +"), N_("typed anywhere, go to the number")),
    ("Ctrl+V", N_("paste a number from anywhere in the window")),
    (N_("Menu key or Shift+F10"), N_("in a table: the menu of the row you are on")),
    (N_("Hold 0 on the dial pad"), N_("type +")),
    ("Ctrl+,", N_("settings")),
    ("Ctrl+Shift+L", N_("call lists")),
    ("Ctrl+N", N_("dial the next number of the call list")),
    ("Ctrl+Shift+K", N_("skip a number of the call list")),
    ("1-9, Enter, Esc", N_("after a call: pick the outcome, save it, or skip")),
)


def show_shortcuts(parent: QWidget) -> None:
    rows = "".join(
        f"<tr><td><b>{_(keys)}</b>&nbsp;&nbsp;</td><td>{_(what)}</td></tr>"
        for keys, what in SHORTCUTS
    )
    QMessageBox.information(parent, _("Keyboard shortcuts"), f"<table>{rows}</table>")


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        # Translators: {app} is the product name, A1 Dialer.
        _("About {app}").format(app=APP_NAME),
        f"{APP_NAME} {__version__}\n\n"
        + _(
            "Click-to-call for A1PBX phone systems: it asks your PBX "
            "to ring your own phone, then connects the number you dial."
        ),
    )


def ask_to_open_settings(problem: LocalProblem, parent: QWidget) -> bool:
    """Say the settings file cannot be read (it is left alone); whether the rep wants Settings."""
    box = QMessageBox(parent)
    box.setObjectName("settingsProblemBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(APP_NAME)
    box.setText(_("Your settings could not be read."))
    box.setInformativeText(
        problem.sentence + "\n\n" + _("The file stays as it is until you save new settings.")
    )
    open_button = box.addButton(_("Open Settings…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.exec()
    return box.clickedButton() is open_button
