"""A call list row typed by hand: name, company, its numbers with labels, notes; add or edit.

Numbers are read with the rules of an import and the rep's settings (country, number format);
a number that cannot be dialled is one sentence beside the form, with its field focused and
everything typed kept. The row is written by the store off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.call_lists import CallListStore, ListEntry, NewEntry
from a1dialer.core.errors import BadInput
from a1dialer.core.list_entry_input import (
    MAX_FIELD,
    MAX_LABEL,
    BadNumber,
    NumberRules,
    all_numbers,
    entry_from_input,
)
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, error_sentence

MAX_NUMBERS = 8


def label_choices() -> list[str]:
    """The labels offered for a number; the rep may type another."""
    return [_("Phone"), _("Mobile"), _("Work"), _("Home"), _("Other")]


class NumberRow(QWidget):
    """One number of the row: its label and the number as typed."""

    def __init__(self, label: str, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label_combo = QComboBox(self)
        self.label_combo.setEditable(True)
        self.label_combo.addItems(label_choices())
        self.label_combo.setCurrentText(label)
        self.label_combo.setAccessibleName(_("Label of the number"))
        line = self.label_combo.lineEdit()
        if line is not None:
            line.setMaxLength(MAX_LABEL)
        self.number_edit = QLineEdit(number, self)
        self.number_edit.setAccessibleName(_("Phone number"))
        self.number_edit.setPlaceholderText(_("Number in any format"))
        self.number_edit.setMaxLength(200)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setAccessibleName(_("Remove this number"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label_combo)
        row.addWidget(self.number_edit, 1)
        row.addWidget(self.remove_button)

    @property
    def value(self) -> tuple[str, str]:
        return self.label_combo.currentText(), self.number_edit.text()


class ListEntryDialog(QDialog):
    """Edits ``entry`` of a list, or (``entry`` is ``None``) adds a row to ``list_id``.

    Signals:
        saved(object): the store has the row; carries the ``ListEntry`` as stored.
    """

    saved = Signal(object)

    def __init__(
        self,
        store: CallListStore,
        tasks: TaskRunner,
        settings: Settings,
        list_id: int,
        entry: ListEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("listEntryDialog")
        self.setWindowTitle(
            (_("Edit number — {app}") if entry else _("Add a number — {app}")).format(app=APP_NAME)
        )
        self._store = store
        self._tasks = tasks
        self._rules = NumberRules(
            settings.default_country, settings.number_format, settings.extension_digits
        )
        self._list_id = list_id
        self._entry = entry
        self._saving = False

        self.name_edit = QLineEdit(entry.name if entry else "", self)
        self.name_edit.setObjectName("listEntryName")
        self.name_edit.setMaxLength(MAX_FIELD)
        self.company_edit = QLineEdit(entry.company if entry else "", self)
        self.company_edit.setObjectName("listEntryCompany")
        self.company_edit.setMaxLength(MAX_FIELD)
        self.notes_edit = QPlainTextEdit(entry.notes if entry else "", self)
        self.notes_edit.setObjectName("listEntryNotes")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

        self.number_rows: list[NumberRow] = []
        self._numbers = QVBoxLayout()
        self._numbers.setSpacing(4)
        self.add_number_button = QPushButton(_("Add another number"), self)
        self.add_number_button.setObjectName("listEntryAddNumber")
        self.add_number_button.clicked.connect(lambda: self.add_number_row("", "", focus=True))
        numbers = QVBoxLayout()
        numbers.addLayout(self._numbers)
        numbers.addWidget(self.add_number_button, 0, Qt.AlignmentFlag.AlignLeft)
        if entry is None:
            self.add_number_row(_("Phone"), "")
        else:
            for number in all_numbers(entry):
                self.add_number_row(number.label, number.number)

        form = QFormLayout()
        form.addRow(_("&Name:"), self.name_edit)
        form.addRow(_("&Company:"), self.company_edit)
        form.addRow(_("Numbers:"), numbers)
        form.addRow(_("No&tes:"), self.notes_edit)
        self.message = StatusLabel("listEntryMessage", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())
        if entry is None:
            self.name_edit.setFocus()
        else:
            self.number_rows[0].number_edit.setFocus()

    @property
    def save_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        return button

    def add_number_row(self, label: str, number: str, *, focus: bool = False) -> NumberRow:
        row = NumberRow(label or (_("Mobile") if self.number_rows else _("Phone")), number, self)
        row.remove_button.clicked.connect(lambda: self._remove_number_row(row))
        self.number_rows.append(row)
        self._numbers.addWidget(row)
        self._update_number_buttons()
        if focus:
            row.number_edit.setFocus()
        return row

    def _remove_number_row(self, row: NumberRow) -> None:
        if len(self.number_rows) <= 1:
            return
        at = self.number_rows.index(row)
        self.number_rows.remove(row)
        row.deleteLater()
        self._update_number_buttons()
        self.number_rows[min(at, len(self.number_rows) - 1)].number_edit.setFocus()

    def _update_number_buttons(self) -> None:
        only = len(self.number_rows) == 1
        for row in self.number_rows:
            row.remove_button.setEnabled(not only)
        self.add_number_button.setEnabled(len(self.number_rows) < MAX_NUMBERS)

    def typed_entry(self) -> NewEntry:
        """What the form says, checked; ``BadInput`` if it cannot be stored."""
        return entry_from_input(
            self.name_edit.text(),
            self.company_edit.text(),
            self.notes_edit.toPlainText(),
            [row.value for row in self.number_rows],
            self._rules,
        )

    def save(self) -> None:
        """Check the form; store it off the GUI thread; close once stored."""
        if self._saving:
            return
        try:
            typed = self.typed_entry()
        except BadNumber as exc:
            self.message.show_message(exc.sentence, "error")
            if exc.index < len(self.number_rows):
                edit = self.number_rows[exc.index].number_edit
                edit.setFocus()
                edit.selectAll()
            return
        except BadInput as exc:
            self.message.show_message(exc.sentence, "error")
            return
        self._saving = True
        self.save_button.setEnabled(False)
        store, entry, list_id = self._store, self._entry, self._list_id

        def write() -> ListEntry:
            if entry is None:
                return store.add_entry(list_id, typed)
            return store.update_entry(entry.id, typed)

        self._tasks.run(write, self._written, owner=self)

    def _written(self, stored: ListEntry | None, error: BaseException | None) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if error is not None:
            self.message.show_message(
                error_sentence(error, _("The number could not be saved")), "error"
            )
            return
        assert stored is not None
        self.saved.emit(stored)
        self.accept()
