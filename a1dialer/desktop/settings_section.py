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
from a1dialer.core.translation import N_, _
from a1dialer.desktop.autostart import autostart_enabled, set_autostart
from a1dialer.ui.form_layout import add_unlabelled_row
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import error_sentence

if TYPE_CHECKING:
    from a1dialer.ui.settings_dialog import SettingsDialog

log = logging.getLogger(__name__)

# Translators: a check box of Settings; {app} is the program's name.
AUTOSTART_TEXT = N_("Start {app} when I log in")
AUTOSTART_HELP = N_(
    "Starts in the tray when you log in to this computer, ready for links and calls"
)


def add_desktop_rows(dialog: SettingsDialog, layout: QFormLayout) -> list[QWidget]:
    """Add the hotkey note and the autostart check box to ``layout``; returns them for tabbing."""
    from a1dialer.desktop.session import hotkey_problem

    hotkey = dialog.form.fields["hotkey"]
    note = StatusLabel("hotkeyNote", hotkey.cell)
    hotkey.add_note(note)
    problem = hotkey_problem()
    if problem:
        note.show_message(problem, "warning")

    text = _(AUTOSTART_TEXT).format(app=APP_NAME)
    help_text = _(AUTOSTART_HELP)
    check = QCheckBox(dialog.form.mnemonics.mark(text), dialog)
    check.setObjectName("autostartCheck")
    check.setAccessibleName(text)
    check.setAccessibleDescription(help_text)
    check.setToolTip(help_text)
    check.setEnabled(False)  # until what is on disk is known
    add_unlabelled_row(layout, check)
    on_disk: list[bool] = []

    def read(enabled: bool | None, error: BaseException | None) -> None:
        if error is not None or enabled is None:
            problem = error or RuntimeError("no answer")
            unread = _("Whether it starts at login could not be read")
            why = error_sentence(
                problem,
                unread,
                file=unread,
                advice=_("Close and open Settings to try again."),
            )
            check.setToolTip(f"{help_text}. {why}")
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
