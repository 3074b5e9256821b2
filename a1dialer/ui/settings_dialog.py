"""The settings dialog: every option, the API key and a connection test, saved together."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.crm_hooks import PLACEHOLDERS
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _
from a1dialer.ui.connection_tester import ConnectionTester
from a1dialer.ui.form_layout import add_unlabelled_row, align_label_columns, set_tab_order
from a1dialer.ui.option_fields import warn_when_checked
from a1dialer.ui.option_form import USUAL_DELAYS, FormDelays, OptionForm
from a1dialer.ui.settings_saving import SavesSettings
from a1dialer.ui.settings_sections import desktop_rows
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, shared_tasks

# The groups of the dialog, top to bottom; "api_key" is the key field, followed by the test.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("pbxGroup", "PBX", ("server", "api_key", "extension")),
    (
        "callerIdGroup",
        "Caller ID",
        (
            "caller_id_number",
            "caller_id_name",
            "caller_ids",
            "local_presence",
            "default_country",
        ),
    ),
    (
        "callDefaultsGroup",
        "Call defaults",
        ("ringback", "auto_answer", "record", "my_numbers", "ring_me_at"),
    ),
    ("desktopGroup", "Desktop", ("link_action", "hotkey", "language")),
    (
        "advancedGroup",
        "Advanced",
        (
            "number_format",
            "extension_digits",
            "parameter_spelling",
            "ca_bundle",
            "allow_insecure_http",
            "recording_cache_mb",
        ),
    ),
    ("afterCallGroup", "After a call", ("custom_outcomes",)),
    (
        "crmHooksGroup",
        "CRM hooks",
        (
            "hook_call_placed_url",
            "hook_call_placed_command",
            "hook_outcome_url",
            "hook_outcome_command",
        ),
    ),
    (
        "callListsGroup",
        "Call lists",
        ("retry_busy_minutes", "retry_no_answer_minutes", "max_attempts"),
    ),
)
# Groups shown in a second column, so the dialog fits a laptop screen.
SECOND_COLUMN = ("afterCallGroup", "crmHooksGroup", "callListsGroup")
HOOKS_NOTE = (
    "Placeholders: {placeholders}. In a URL they are encoded; in a command each one stays "
    "a single argument (no shell)."
)
REQUIRED_FIRST = ("server", "extension", "caller_id_number")
# Left for the window's title bar when the dialog must fit a short screen.
TITLE_BAR_ROOM = 48


class SettingsDialog(SavesSettings, QDialog):
    """Edits every option and the API key; Save writes ``settings.toml`` and the key to the keyring.

    A field with a bad value says why right under it and keeps Save disabled. Saving runs off the
    GUI thread (the keyring may ask to be unlocked); a failure is shown as a sentence and the
    dialog stays open with everything the rep typed.

    Signals:
        saved(object): the settings were written; carries the new ``Settings``.
    """

    saved = Signal(object)

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        tasks: TaskRunner | None = None,
        delays: FormDelays = USUAL_DELAYS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(f"{APP_NAME} Settings")
        self._tasks = tasks or shared_tasks()
        self.form = OptionForm(settings, self, self._tasks, delays=delays)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.setObjectName("settingsButtons")
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setText("&Save")  # Alt+S saves, before any field can take S
        self.save_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.form.mnemonics.reserve_buttons(self.buttons.buttons())

        # The groups scroll (the message and buttons stay put) where a short laptop screen
        # cannot show them all.
        page = QWidget(self)
        page.setObjectName("settingsPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        columns = QHBoxLayout()
        columns.setSpacing(14)
        first_column, second_column = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(first_column, 1)
        columns.addLayout(second_column, 1)
        layout.addLayout(columns)
        forms: list[QFormLayout] = []
        focus: list[QWidget] = []
        self.tester = ConnectionTester(self.form, self)
        for object_name, title, names in GROUPS:
            group = QGroupBox(title, self)
            group.setObjectName(object_name)
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            for name in names:
                focus += self.form.add_rows(form, [name])
                if name == "api_key":
                    self.tester.mark(self.form.mnemonics)
                    add_unlabelled_row(form, self.tester)
                    focus.append(self.tester.button)
            add_rows = desktop_rows()  # the desktop layer's, registered by the app object
            if object_name == "desktopGroup" and add_rows is not None:
                focus += add_rows(self, form)
            if object_name == "crmHooksGroup":
                # Long labels and long templates: each label above its field.
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
                note = QLabel(
                    HOOKS_NOTE.format(
                        placeholders=", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
                    ),
                    group,
                )
                note.setObjectName("crmHooksNote")
                note.setWordWrap(True)
                note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
                form.addRow(note)
            else:
                forms.append(form)
            second = object_name in SECOND_COLUMN
            (second_column if second else first_column).addWidget(group)
        first_column.addStretch(1)
        second_column.addStretch(1)
        align_label_columns(forms)
        warn_when_checked(self.form.fields["allow_insecure_http"])
        if not settings.allow_ring_me_at_external:
            note = QLabel(
                _(
                    "Your administrator lets only extensions ring first: outside numbers here "
                    "are not offered."
                ),
                page,
            )
            note.setObjectName("myNumbersNote")
            note.setWordWrap(True)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            self.form.fields["my_numbers"].add_note(note)

        layout.addStretch(1)
        self.groups_area = QScrollArea(self)
        self.groups_area.setObjectName("settingsScroll")
        self.groups_area.setWidgetResizable(True)
        self.groups_area.setFrameShape(QFrame.Shape.NoFrame)
        self.groups_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.groups_area.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        outer.addWidget(self.groups_area, 1)
        self.message = StatusLabel("settingsMessage", self)
        outer.addWidget(self.message)
        outer.addWidget(self.buttons)
        set_tab_order([*focus, self.save_button, self.cancel_button])

        self.form.validity_changed.connect(self._update_buttons)
        self.form.changed.connect(self._edited)
        self._update_buttons()
        self._fit_to_screen(page)
        self.setMinimumWidth(self.sizeHint().width() + 40)
        first = next(
            (n for n in REQUIRED_FIRST if not (self.form.value(n) or self.form.fields[n].locked)),
            "server",
        )
        self.form.fields[first].editor.setFocus()

    def _fit_to_screen(self, page: QWidget) -> None:
        """Show every group at once when the screen is tall enough, else as much as fits."""
        wanted = page.sizeHint()
        room = (self.parentWidget() or self).screen().availableGeometry().height()
        others = self.sizeHint().height() - self.groups_area.sizeHint().height()
        self.groups_area.setMinimumHeight(min(wanted.height(), room - others - TITLE_BAR_ROOM))
        self.groups_area.setMinimumWidth(
            wanted.width() + self.groups_area.verticalScrollBar().sizeHint().width()
        )

    @classmethod
    def edit(cls, settings: Settings, parent: QWidget | None = None) -> Settings | None:
        """Show the dialog modally; the saved settings, or ``None`` if the rep cancelled."""
        dialog = cls(settings, parent)
        try:
            dialog.exec()
            return dialog.saved_settings
        finally:
            dialog.deleteLater()

    def _save_message(self) -> StatusLabel:
        return self.message

    def _show_saving(self, saving: bool) -> None:
        self.cancel_button.setEnabled(not saving)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        self.save_button.setEnabled(self.form.is_valid and not self._saving)

    def _edited(self) -> None:
        if self.message.kind == "error":
            self.message.clear_message()
