"""The save flow shared by the Settings dialog and the setup wizard: check, save off-thread, close.

While a save runs the window cannot be closed (Esc, Cancel or its close button wait for the
outcome), so the rep is never unsure what was written; closing with unsaved changes asks first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox

from a1dialer.core import paths
from a1dialer.core.errors import BadInput, LocalProblem
from a1dialer.core.secrets import set_api_key
from a1dialer.core.server_address import parse_server
from a1dialer.core.settings import Settings, save_settings
from a1dialer.core.translation import N_, _
from a1dialer.ui.option_form import OptionForm
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, error_sentence

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QDialog

    _Dialog = QDialog
else:
    _Dialog = object

log = logging.getLogger(__name__)

SAVE_FAILED = N_("The settings could not be saved")


def save_settings_and_key(settings: Settings, api_key: str) -> None:
    """Write ``settings.toml`` and, if one was typed, the key to the keyring (blocking).

    The one save used by the settings dialog and the setup wizard. Raises ``DialerError`` with a
    sentence saying what was and was not saved.
    """
    if api_key and not settings.server:
        raise BadInput(_("Enter the PBX server before the API key: the key is kept per server."))
    try:
        save_settings(settings)
    except OSError as exc:
        raise LocalProblem(
            # Translators: {file} is the settings file's path, {reason} the system's reason.
            _("Could not save the settings to {file}: {reason}.").format(
                file=paths.settings_file(), reason=exc.strerror
            )
        ) from None
    if api_key:
        try:
            set_api_key(parse_server(settings.server).host, api_key)
        except LocalProblem as exc:
            raise LocalProblem(
                # Translators: {reason} is a sentence saying why the keyring refused the key.
                _("Your settings were saved, but the API key was not: {reason}").format(
                    reason=exc.sentence
                ),
                exc.details,
            ) from None
    log.info("Saved the settings%s", " and the API key" if api_key else "")


class SavesSettings(_Dialog):
    """Mixed into a QDialog (``class X(SavesSettings, QDialog)``) that edits ``form``.

    The dialog provides ``form``, ``_tasks``, a ``saved`` signal, and two hooks:
    ``_save_message()`` (where "Saving…" and failures are shown) and ``_show_saving(bool)``
    (which buttons to disable meanwhile). ``also_save`` holds what else Save writes (state kept
    outside the settings file, such as start at login): each is called on the GUI thread and
    returns the blocking work, run on the worker after the settings were written.
    """

    also_save: tuple[Callable[[], Callable[[], None]], ...] = ()

    form: OptionForm
    _tasks: TaskRunner
    saved_settings: Settings | None = None
    _saving = False
    if TYPE_CHECKING:
        saved: SignalInstance

    @property
    def saving(self) -> bool:
        return self._saving

    def save(self) -> None:
        """Check every field, then write the settings and any typed key off the GUI thread."""
        if self._saving:
            return
        message = self._save_message()
        try:
            settings = self.form.settings()
        except BadInput as exc:
            self.form.reveal_problems()
            message.show_message(exc.sentence, "error")
            return
        key = self.form.api_key.key() if self.form.api_key else ""
        extra = [prepare() for prepare in self.also_save]

        def work() -> None:
            save_settings_and_key(settings, key)
            for job in extra:
                job()

        self._set_saving(True)
        message.show_message(_("Saving…"), "note")
        self._tasks.run(work, lambda _result, error: self._save_done(settings, error), owner=self)

    _discarding = False

    def reject(self) -> None:
        # Closing mid-save would leave the rep unsure what was written: wait for the outcome.
        if self._saving:
            return
        if self.form.is_modified() and not self._discarding:
            self._ask_to_discard()
            return
        super().reject()

    def _ask_to_discard(self) -> None:
        """Ask (window-modal, without blocking) whether to throw away what the rep changed."""
        if self.findChild(QMessageBox, "discardChangesBox") is not None:
            return
        box = QMessageBox(self)
        box.setObjectName("discardChangesBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Unsaved changes"))
        box.setText(_("Discard the changes you made here?"))
        discard = box.addButton(_("&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("discardButton")
        keep = box.addButton(_("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keepEditingButton")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered() -> None:
            box.deleteLater()
            box.setObjectName("")
            if box.clickedButton() is discard:
                self._discarding = True
                self.reject()

        box.finished.connect(answered)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._saving:
            event.ignore()
            return
        # The rep's close button asks like Esc; the app closing the window (quit) does not.
        self._discarding = self._discarding or not event.spontaneous()
        super().closeEvent(event)

    def _save_message(self) -> StatusLabel:
        raise NotImplementedError

    def _show_saving(self, saving: bool) -> None:
        raise NotImplementedError

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self._show_saving(saving)

    def _save_done(self, settings: Settings, error: BaseException | None) -> None:
        self._set_saving(False)
        message = self._save_message()
        if error is not None:
            message.show_message(error_sentence(error, _(SAVE_FAILED)), "error")
            return
        message.clear_message()
        self.saved_settings = settings
        self.saved.emit(settings)
        self.accept()
