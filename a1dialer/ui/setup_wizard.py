"""The first-run setup wizard: your PBX and key, who you are, call defaults; saved like Settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QWidget, QWizard, QWizardPage

from a1dialer import APP_NAME
from a1dialer.core.errors import BadInput
from a1dialer.core.server_address import parse_server
from a1dialer.core.settings import Settings, load_settings
from a1dialer.ui.connection_tester import ConnectionTester
from a1dialer.ui.form_layout import add_unlabelled_row, align_label_columns, set_tab_order
from a1dialer.ui.option_fields import warn_when_checked
from a1dialer.ui.option_form import USUAL_DELAYS, FormDelays, OptionForm
from a1dialer.ui.settings_saving import SavesSettings
from a1dialer.ui.status_label import StatusLabel, fit_window
from a1dialer.ui.tasks import TaskRunner, shared_tasks

UNTESTED_WARNING = (
    "The connection has not been tested successfully, so calls may fail. "
    "Test it, or click Next again to continue anyway."
)


class _FormPage(QWizardPage):
    """A page of the wizard's option fields; complete when they are valid and filled in."""

    def __init__(
        self,
        wizard: SetupWizard,
        object_name: str,
        title: str,
        subtitle: str,
        names: tuple[str, ...],
        required: tuple[str, ...] = (),
    ) -> None:
        super().__init__(wizard)
        self.setObjectName(object_name)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.setup = wizard
        self.names = tuple(name for name in names if name != "api_key")
        self.required = required
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setVerticalSpacing(10)
        self.focus: list[QWidget] = []
        form = wizard.form
        for name in names:
            self.focus += form.add_rows(self.layout_, [name])
        form.changed.connect(self.completeChanged)

    def isComplete(self) -> bool:
        form = self.setup.form
        # A locked field left empty is the admin's to fill in: it cannot hold the rep up.
        filled = all(form.value(name) or form.fields[name].locked for name in self.required)
        return filled and not form.problems(self.names)

    def initializePage(self) -> None:
        form = self.setup.form
        # A locked field is shown, never asked: the rep starts at the first one they may fill in.
        fixed = [field.editor for field in form.fields.values() if field.locked]
        empty = next((n for n in self.names if n in self.required and not form.value(n)), None)
        free = [widget for widget in self.focus if widget not in fixed]
        if empty and not form.fields[empty].locked:
            target: QWidget | None = form.fields[empty].editor
        else:
            target = free[0] if free else None
        if target is not None:
            target.setFocus()


class _PbxPage(_FormPage):
    """Server and API key, with a connection test; warns once before going on untested."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "pbxPage",
            "Your PBX",
            "The server address and API key from your PBX administrator. "
            "Test them before you go on.",
            ("server", "api_key"),
            required=("server",),
        )
        form = wizard.form
        self.tester = ConnectionTester(form, self)
        self.tester.mark(form.mnemonics)
        add_unlabelled_row(self.layout_, self.tester)
        self.focus.append(self.tester.button)
        # Only offered when the typed server needs it (or an admin default turned it on).
        self.focus += form.add_rows(self.layout_, ["allow_insecure_http"])
        self.names = (*self.names, "allow_insecure_http")
        warn_when_checked(form.fields["allow_insecure_http"])
        self.warning = StatusLabel("continueWarning", self)
        self.layout_.addRow(self.warning)
        self._warned_for: tuple[Any, ...] | None = None
        form.changed.connect(self._update_http_row)
        self.tester.finished.connect(self._tested)
        self._update_http_row()

    def validatePage(self) -> bool:
        fingerprint = self.setup.form.connection_fingerprint()
        if self.tester.succeeded_for == fingerprint or self._warned_for == fingerprint:
            return True
        self._warned_for = fingerprint
        self.warning.show_message(UNTESTED_WARNING, "warning")
        return False

    def _tested(self, ok: bool, _sentence: str) -> None:
        if ok:
            self.warning.clear_message()

    def _update_http_row(self) -> None:
        form = self.setup.form
        field = form.fields["allow_insecure_http"]
        try:
            address = parse_server(str(form.value("server")))
            plain_remote = address.scheme == "http" and not address.is_loopback
        except BadInput:
            plain_remote = False
        visible = plain_remote or bool(field.value())
        if visible != self.layout_.isRowVisible(field.cell):
            self.layout_.setRowVisible(field.cell, visible)
            QTimer.singleShot(0, self, lambda: fit_window(self))


class _DefaultsPage(_FormPage):
    """Per-call defaults; Finish saves everything (off the GUI thread) before the wizard closes."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "defaultsPage",
            "Defaults",
            "How your calls are placed unless you choose otherwise for one call. "
            "You can change all of this later in Settings.",
            ("ringback", "auto_answer", "record"),
        )
        self.message = StatusLabel("setupMessage", self)
        self.layout_.addRow(self.message)

    def validatePage(self) -> bool:
        if self.setup.saved_settings is not None:
            return True
        self.setup.save()
        return False


class SetupWizard(SavesSettings, QWizard):
    """First-run setup in three short pages, pre-filled from the admin defaults.

    Finish writes ``settings.toml`` and the key exactly as the settings dialog does.

    Signals:
        saved(object): the settings were written; carries the new ``Settings``.
    """

    saved = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: Settings | None = None,
        tasks: TaskRunner | None = None,
        delays: FormDelays = USUAL_DELAYS,
    ) -> None:
        """``settings`` defaults to ``load_settings()`` (``LocalProblem`` for a broken file)."""
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(f"Set up {APP_NAME}")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._tasks = tasks or shared_tasks()
        self.form = OptionForm(
            settings or load_settings(), self, self._tasks, hints=True, delays=delays
        )
        self.form.mnemonics.reserve(
            self.buttonText(button)
            for button in (
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            )
        )
        self.pbx_page = _PbxPage(self)
        self.you_page = _FormPage(
            self,
            "youPage",
            "You",
            "Your desk phone rings first, then the customer, who sees the company's caller ID.",
            ("extension", "caller_id_number", "caller_id_name", "default_country"),
            required=("extension", "caller_id_number"),
        )
        self.defaults_page = _DefaultsPage(self)
        pages = (self.pbx_page, self.you_page, self.defaults_page)
        for page in pages:
            self.addPage(page)
            set_tab_order(page.focus)
        align_label_columns(page.layout_ for page in pages)
        self.setMinimumWidth(640)

    @classmethod
    def run_first_time(cls, parent: QWidget | None = None) -> Settings | None:
        """Show the wizard modally; the saved settings, or ``None`` if the rep cancelled."""
        wizard = cls(parent)
        try:
            wizard.exec()
            return wizard.saved_settings
        finally:
            wizard.deleteLater()

    def _save_message(self) -> StatusLabel:
        return self.defaults_page.message

    def _show_saving(self, saving: bool) -> None:
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(not saving)
