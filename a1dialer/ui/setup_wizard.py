"""The first-run setup wizard: your PBX and key, who you are, call defaults; saved like Settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from a1dialer import APP_NAME
from a1dialer.core.errors import BadInput, DialerError, NotHttps, UntrustedCertificate
from a1dialer.core.secrets import NO_KEYRING
from a1dialer.core.server_address import parse_server
from a1dialer.core.settings import Settings, load_settings
from a1dialer.core.translation import N_, _, pgettext
from a1dialer.ui.connection_tester import ConnectionTester
from a1dialer.ui.form_layout import add_unlabelled_row, align_label_columns, set_tab_order
from a1dialer.ui.keyring_help import KeyringHelp
from a1dialer.ui.option_fields import warn_when_checked
from a1dialer.ui.option_form import USUAL_DELAYS, FormDelays, OptionForm
from a1dialer.ui.settings_saving import SavesSettings
from a1dialer.ui.setup_sentences import setup_sentence
from a1dialer.ui.status_label import StatusLabel, fit_window
from a1dialer.ui.tasks import TaskRunner, shared_tasks

UNTESTED_WARNING = N_(
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
        # The wizard sizes a page by its size hint, which assumes other widths for wrapped text:
        # taking the room the window has keeps messages from being cut off.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
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
        QTimer.singleShot(0, self, self.fit_height)

    def fit_height(self) -> None:
        """Grow the wizard until this page's wrapped texts have their height (the wizard sizes
        its pages by hints that assume other widths), within the screen."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        missing = layout.totalHeightForWidth(self.width()) - self.height()
        window = self.window()
        screen = window.screen()
        if missing <= 0 or screen is None:
            return
        room = screen.availableGeometry().height() - window.frameGeometry().height()
        grow = min(missing, max(0, room))
        if grow:
            window.resize(window.width(), window.height() + grow)


class _PbxPage(_FormPage):
    """Server and API key, with a connection test; warns once before going on untested."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "pbxPage",
            _("Your PBX"),
            _(
                "The server address and API key from your PBX administrator. "
                "Test them before you go on."
            ),
            ("server", "api_key"),
            required=("server",),
        )
        form = wizard.form
        self.tester = ConnectionTester(
            form,
            self,
            lambda error: setup_sentence(
                error, str(form.value("server")), str(form.value("ca_bundle") or "")
            ),
        )
        self.tester.mark(form.mnemonics)
        add_unlabelled_row(self.layout_, self.tester)
        self.focus.append(self.tester.button)
        # Offered when the test found a server that speaks plain HTTP.
        self.use_http_button = QPushButton(self)
        self.use_http_button.setObjectName("useHttpButton")
        self.use_http_button.setText(form.mnemonics.mark(_("Use http://")))
        self.use_http_button.clicked.connect(self.use_http)
        offers = QWidget(self)
        offers.setObjectName("connectionOffers")
        row = QHBoxLayout(offers)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.use_http_button)
        row.addStretch(1)
        add_unlabelled_row(self.layout_, offers)
        self.use_http_button.hide()
        self.focus.append(self.use_http_button)
        # Offered when the test met a certificate this computer does not trust (or an admin
        # default set one); only then, and when the typed server needs it, plain HTTP.
        self.focus += form.add_rows(self.layout_, ["ca_bundle", "allow_insecure_http"])
        self.names = (*self.names, "ca_bundle", "allow_insecure_http")
        self._certificate_failed = False
        warn_when_checked(form.fields["allow_insecure_http"])
        self.keyring_help = KeyringHelp(wizard.tasks, self)
        self.keyring_help.mark(form.mnemonics)
        add_unlabelled_row(self.layout_, self.keyring_help)
        self.focus.append(self.keyring_help.button)
        self.warning = StatusLabel("continueWarning", self)
        self.layout_.addRow(self.warning)
        self._warned_for: tuple[Any, ...] | None = None
        form.changed.connect(self._update_offered_rows)
        self.tester.finished.connect(self._tested)
        self.tester.failed.connect(self._test_failed)
        assert form.api_key is not None
        form.api_key.status_changed.connect(self._key_status)
        self.keyring_help.checked.connect(self._keyring_checked)
        self.keyring_help.shown_changed.connect(
            lambda _shown: QTimer.singleShot(0, self, lambda: fit_window(self))
        )
        self._update_offered_rows()
        self.keyring_help.check(afresh=False)

    def validatePage(self) -> bool:
        fingerprint = self.setup.form.connection_fingerprint()
        if self.tester.succeeded_for == fingerprint or self._warned_for == fingerprint:
            return True
        self._warned_for = fingerprint
        self.warning.show_message(_(UNTESTED_WARNING), "warning")
        return False

    def use_http(self) -> None:
        """Switch the server field to http:// (offered for a server that speaks only that);
        test again at once where no further choice is needed (this computer's own server)."""
        form = self.setup.form
        address = parse_server(str(form.value("server")))
        form.fields["server"].set_value(f"http://{address.netloc}")
        self.use_http_button.hide()
        if address.is_loopback:
            self.tester.start()
        else:
            form.fields["allow_insecure_http"].editor.setFocus()

    def _tested(self, ok: bool, _sentence: str) -> None:
        if ok:
            self.warning.clear_message()
            self.use_http_button.hide()

    def _test_failed(self, error: BaseException) -> None:
        offer_http = isinstance(error, NotHttps) and error.plain_http
        self.use_http_button.setVisible(offer_http)
        if isinstance(error, UntrustedCertificate):
            self._certificate_failed = True
            self._update_offered_rows()
            self.setup.form.fields["ca_bundle"].editor.setFocus()
        elif offer_http:
            self.use_http_button.setFocus()

    def _key_status(self, status: str) -> None:
        if status == "unavailable":
            self.keyring_help.check(afresh=False)

    def _keyring_checked(self, usable: bool) -> None:
        api_key = self.setup.form.api_key
        if usable and api_key is not None and api_key.status == "unavailable":
            api_key.look_again(str(self.setup.form.value("server")))

    def _update_offered_rows(self) -> None:
        form = self.setup.form
        allow = form.fields["allow_insecure_http"]
        ca_bundle = form.fields["ca_bundle"]
        try:
            address = parse_server(str(form.value("server")))
            plain_remote = address.scheme == "http" and not address.is_loopback
            https = address.scheme == "https"
        except BadInput:
            plain_remote = https = False
        changed = False
        for field, visible in (
            (allow, plain_remote or bool(allow.value())),
            (ca_bundle, (https and self._certificate_failed) or bool(ca_bundle.value())),
        ):
            if visible != self.layout_.isRowVisible(field.cell):
                self.layout_.setRowVisible(field.cell, visible)
                changed = True
        if changed:
            QTimer.singleShot(0, self, lambda: fit_window(self))


def ring_own_phone(settings: Settings, typed_key: str) -> object:
    """Blocking: the test call of "Ring my phone now" with the wizard's values."""
    from a1dialer.pbx.connect import client_for
    from a1dialer.pbx.placing import ring_own_phone as ring

    with client_for(settings, typed_key) as client:
        return ring(client, settings, settings.ringback)


class _DefaultsPage(_FormPage):
    """Per-call defaults; Finish saves everything (off the GUI thread) before the wizard closes."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "defaultsPage",
            # Translators: the title of the setup wizard's page of per-call defaults.
            pgettext("wizard page", "Defaults"),
            _(
                "How your calls are placed unless you choose otherwise for one call; the app's "
                "Settings window changes them later."
            ),
            ("ringback", "auto_answer", "record"),
        )
        form = wizard.form
        self.ring = QGroupBox(_("Try it (optional)"), self)
        self.ring.setObjectName("ringMyPhoneGroup")
        self.ring_button = QPushButton(form.mnemonics.mark(_("Ring my phone now")), self.ring)
        self.ring_button.setObjectName("ringMyPhoneButton")
        self.ring_button.setAutoDefault(False)
        self.ring_button.setToolTip(
            _("A test call to your own extension: your desk phone rings, no customer is called")
        )
        self.ring_button.clicked.connect(self.ring_my_phone)
        explanation = QLabel(
            _(
                "Rings your desk phone through the PBX, so you hear it work before your first "
                "customer call; no one else is called."
            ),
            self.ring,
        )
        explanation.setObjectName("ringMyPhoneExplanation")
        explanation.setWordWrap(True)
        self.ring_result = StatusLabel("ringMyPhoneResult", self.ring)
        ring_column = QVBoxLayout(self.ring)
        ring_column.addWidget(explanation)
        button_row = QHBoxLayout()
        button_row.addWidget(self.ring_button)
        button_row.addStretch(1)
        ring_column.addLayout(button_row)
        ring_column.addWidget(self.ring_result)
        self.layout_.addRow(self.ring)
        self.focus.append(self.ring_button)
        self.message = StatusLabel("setupMessage", self)
        self.layout_.addRow(self.message)
        self.finish_without_key = QPushButton(
            form.mnemonics.mark(_("Finish without storing the key")), self
        )
        self.finish_without_key.setObjectName("finishWithoutKeyButton")
        self.finish_without_key.setAutoDefault(False)
        self.finish_without_key.clicked.connect(wizard.finish_without_key)
        self.finish_without_key.hide()
        add_unlabelled_row(self.layout_, self.finish_without_key)
        self.focus.append(self.finish_without_key)
        self._ringing = False

    def validatePage(self) -> bool:
        if self.setup.saved_settings is not None:
            return True
        self.setup.save()
        return False

    def ring_my_phone(self) -> None:
        """One test originate to the rep's own extension per click; never retried."""
        if self._ringing:
            return
        form = self.setup.form
        try:
            settings = form.settings()
        except BadInput as exc:
            self.ring_result.show_message(exc.sentence, "error")
            return
        typed_key = form.api_key.key() if form.api_key else ""
        self._ringing = True
        self.ring_button.setEnabled(False)
        self.ring_result.show_message(
            _("Calling your phone (extension {extension})…").format(extension=settings.extension)
        )
        self.setup.tasks.run(
            lambda: ring_own_phone(settings, typed_key),
            lambda _placed, error: self._rang(settings, error),
            owner=self,
        )

    def _rang(self, settings: Settings, error: BaseException | None) -> None:
        self._ringing = False
        self.ring_button.setEnabled(True)
        if error is None:
            self.ring_result.show_message(
                _(
                    "Your phone (extension {extension}) should ring now: answer it to hear that "
                    "calls work."
                ).format(extension=settings.extension),
                "ok",
            )
        else:
            self.ring_result.show_message(
                setup_sentence(error, settings.server, settings.ca_bundle), "error"
            )


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
        self.setWindowTitle(_("Set up {app}").format(app=APP_NAME))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self._tasks = tasks or shared_tasks()
        self.tasks = self._tasks
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
            # Translators: the title of the wizard's page about the rep (extension, caller ID).
            pgettext("wizard page", "You"),
            _("Your desk phone rings first, then the customer, who sees the company's caller ID."),
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

    def finish_without_key(self) -> None:
        """Close with the settings saved but no key (no password store could take it)."""
        settings = self._settings_written
        if settings is not None:
            self.saved_settings = settings
            self.saved.emit(settings)
            self.accept()

    _settings_written: Settings | None = None

    def _save_done(self, settings: Settings, error: BaseException | None) -> None:
        # The settings file was written when only the key failed: offer to go on without it.
        keyless = isinstance(error, DialerError) and _(NO_KEYRING) in error.sentence
        self._settings_written = settings if keyless else None
        self.defaults_page.finish_without_key.setVisible(keyless)
        super()._save_done(settings, error)
        if keyless:
            self.defaults_page.message.show_message(
                _(
                    "Your settings were saved, but no password store could keep the API key: go "
                    "Back, follow the steps on the first page and click Check again, then Finish; "
                    "or finish without storing the key for now."
                ),
                "error",
            )

    def _save_message(self) -> StatusLabel:
        return self.defaults_page.message

    def _show_saving(self, saving: bool) -> None:
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setEnabled(not saving)
