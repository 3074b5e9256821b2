"""The window's small message boxes: keyboard shortcuts, About, and unreadable settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from a1dialer import APP_NAME, __version__
from a1dialer.core.errors import LocalProblem
from a1dialer.core.translation import _


def show_shortcuts(window: QWidget) -> QMessageBox:
    """Every shortcut of ``window``, read from its actions (``shortcut_list``), in a box that
    does not block the window."""
    import html

    from a1dialer.ui.shortcut_list import window_shortcuts

    rows = "".join(
        f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(what)}</td></tr>"
        for keys, what in window_shortcuts(window)
    )
    box = QMessageBox(QMessageBox.Icon.Information, _("Keyboard shortcuts"), "", parent=window)
    box.setObjectName("shortcutsBox")
    box.setTextFormat(Qt.TextFormat.RichText)
    table = f"<table>{rows}</table>"  # markup around translated rows, nothing to translate
    box.setText(table)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


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
