"""The Settings dialog's desktop section: why the hotkey cannot work here, and start at login.

"Start A1 Dialer when I log in" shows what is on disk (the autostart entry, Run key or
LaunchAgent), read off the GUI thread when the dialog opens, and changes it when the rep saves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QWidget

from a1dialer import APP_NAME
from a1dialer.desktop.autostart import autostart_enabled, set_autostart
from a1dialer.ui.form_layout import add_unlabelled_row
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import error_sentence

if TYPE_CHECKING:
    from a1dialer.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

AUTOSTART_TEXT = f"Start {APP_NAME} when I log in"
AUTOSTART_HELP = "Starts in the tray when you log in to this computer, ready for links and calls"


def add_desktop_rows(dialog: SettingsDialog, layout: QFormLayout) -> list[QWidget]:
    """Add the hotkey note and the autostart check box to ``layout``; returns them for tabbing."""
    from a1dialer.desktop.session import hotkey_problem

    hotkey = dialog.form.fields["hotkey"]
    note = StatusLabel("hotkeyNote", hotkey.cell)
    hotkey.add_note(note)
    problem = hotkey_problem()
    if problem:
        note.show_message(problem, "warning")

    check = QCheckBox(dialog.form.mnemonics.mark(AUTOSTART_TEXT), dialog)
    check.setObjectName("autostartCheck")
    check.setAccessibleName(AUTOSTART_TEXT)
    check.setAccessibleDescription(AUTOSTART_HELP)
    check.setToolTip(AUTOSTART_HELP)
    check.setEnabled(False)  # until what is on disk is known
    add_unlabelled_row(layout, check)
    on_disk: list[bool] = []

    def read(enabled: bool | None, error: BaseException | None) -> None:
        if error is not None or enabled is None:
            problem = error or RuntimeError("no answer")
            why = error_sentence(
                problem,
                "Whether it starts at login could not be read",
                file="Whether it starts at login could not be read",
                advice="Close and open Settings to try again.",
            )
            check.setToolTip(f"{AUTOSTART_HELP}. {why}")
            return
        on_disk.append(enabled)
        check.setChecked(enabled)
        check.setEnabled(True)

    dialog._tasks.run(autostart_enabled, read, owner=check)

    def change() -> Callable[[], None]:
        wanted = check.isChecked()
        if not on_disk or wanted == on_disk[-1]:
            return _nothing

        def write() -> None:
            from a1dialer.desktop.link_handlers import app_command

            set_autostart(wanted, app_command())
            log.info("A1 Dialer %s at login", "starts" if wanted else "no longer starts")

        return write

    dialog.also_save = (*dialog.also_save, change)
    return [check]


def _nothing() -> None:
    """Nothing to change on disk."""
