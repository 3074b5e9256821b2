"""Editing widgets built from the option declarations, shared by Settings and the setup wizard."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.caller_ids import ENTRY_KEYS, NUMBER_OPTIONS
from a1dialer.core.errors import BadInput
from a1dialer.core.key_combinations import pynput_hotkey
from a1dialer.core.settings import (
    ENTRY_LISTS,
    LINK_ACTIONS,
    NUMBER_FORMATS,
    OPTIONS_BY_NAME,
    PARAMETER_SPELLINGS,
    RINGBACK_TONES,
    Option,
    Settings,
    checked_value,
)
from a1dialer.core.translation import AUTO, LANGUAGES, N_, _
from a1dialer.ui.form_layout import Mnemonics
from a1dialer.ui.status_label import StatusLabel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidgetItem

CHOICES: dict[str, dict[str, str]] = {
    "number_format": NUMBER_FORMATS,
    "ringback": RINGBACK_TONES,
    "link_action": LINK_ACTIONS,
    "parameter_spelling": PARAMETER_SPELLINGS,
    # Each language in its own name, so a rep who cannot read the current one finds theirs
    # (``_`` finds no translation for those names and leaves them as they are).
    "language": {AUTO: N_("System"), **LANGUAGES},
}
# Spin box steps for numbers counted in ones or minutes (others step by 100).
STEPS = {"retry_busy_minutes": 5, "retry_no_answer_minutes": 30, "max_attempts": 1}
# What reps type for a country that is not its ISO code.
COUNTRY_ALIASES = {"UK": "GB", "USA": "US"}
COUNTRY_PROBLEM = N_(
    "Pick a country from the list, or type its two-letter code such as US, GB or DE."
)


# How long a rep may pause typing before a problem with the value is pointed out.
REVEAL_DELAY_MS = 600


def camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _reason(option: Option, sentence: str) -> str:
    """The refusal without the field's own label, which the rep is already looking at."""
    label = _(option.label)
    if sentence.startswith(label + ": "):  # "PBX server: The address ..."
        return sentence[len(label) + 2 :]
    if sentence.startswith(label + " "):  # "Your extension must be ..."
        sentence = sentence[len(label) + 1 :]
        return sentence[:1].upper() + sentence[1:]
    return sentence


class OptionField(QObject):
    """One option's editor, label and problem line, built from its declaration in ``OPTIONS``.

    The option's own check runs on every change (``Settings.validated``); a problem is shown under
    the field once the rep pauses or leaves it, and cleared as soon as the value is fixed.

    Signals:
        changed: the value changed, by the rep or by ``set_value``.
    """

    changed = Signal()
    suffix = "Edit"

    def __init__(self, option: Option, editor: QWidget, parent: QWidget, *, hint: bool) -> None:
        super().__init__(parent)
        self.option = option
        self.editor = editor
        editor.setObjectName(camel(option.name) + self.suffix)
        editor.setAccessibleName(_(option.label))
        editor.setAccessibleDescription(_(option.help))
        editor.setToolTip(_(option.help))
        self.label: QLabel | None = None
        self.cell = QWidget(parent)
        self.cell.setObjectName(camel(option.name) + "Cell")
        self._column = QVBoxLayout(self.cell)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(2)
        self.problem_label = StatusLabel(camel(option.name) + "Problem", self.cell)
        self.hint_label: QLabel | None = None
        if hint:
            self.hint_label = QLabel(_(option.help), self.cell)
            self.hint_label.setObjectName(camel(option.name) + "Hint")
            self.hint_label.setWordWrap(True)
            self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._checks: list[Callable[[Any], str | None]] = []
        self._problem: str | None = None
        self._reveal_timer = QTimer(self)
        self._reveal_timer.setSingleShot(True)
        self._reveal_timer.setInterval(REVEAL_DELAY_MS)
        self._reveal_timer.timeout.connect(self.reveal_problem)
        self._mark: QAction | None = None
        self.locked_label: QWidget | None = None
        # The settings the other fields make, for a check that depends on them (the caller IDs
        # read as numbers of the default country); the form sets it.
        self.context: Callable[[], Settings] = Settings

    def _finish_cell(self, row: QWidget | QHBoxLayout) -> None:
        if isinstance(row, QWidget):
            self._column.addWidget(row)
        else:
            self._column.addLayout(row)
        self._column.addWidget(self.problem_label)
        if self.hint_label is not None:
            self._column.addWidget(self.hint_label)
        self._validate()
        self._refresh()

    def make_label(self, mnemonics: Mnemonics) -> QLabel:
        """The row's label, with a free mnemonic letter, bound to the editor as its buddy."""
        label = mnemonics.mark(_(self.option.label))
        # Translators: a field's label before its box; French puts a space before the colon.
        self.label = QLabel(_("{label}:").format(label=label), self.cell.parentWidget())
        self.label.setObjectName(camel(self.option.name) + "Label")
        self.label.setBuddy(self.editor)
        self.label.setToolTip(self.editor.toolTip())
        return self.label

    @property
    def name(self) -> str:
        return self.option.name

    @property
    def locked(self) -> bool:
        return self.locked_label is not None

    def lock(self) -> None:
        """The admin set this value for every rep: show it read-only, and say so."""
        if self.locked_label is not None:
            return
        text = _("Set by your administrator")
        self._make_read_only()
        # Tab skips it, as it skips the disabled ones; a click still selects its text to copy.
        self.editor.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        note = QWidget(self.cell)
        note.setObjectName(camel(self.name) + "Locked")
        row = QHBoxLayout(note)
        row.setContentsMargins(self._note_indent(), 0, 0, 0)
        row.setSpacing(4)
        icon = QLabel(note)
        size = note.fontMetrics().height()
        style_icon = note.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(style_icon.pixmap(size, size))
        words = QLabel(text, note)
        words.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row.addWidget(icon)
        row.addWidget(words)
        row.addStretch(1)
        note.setToolTip(text)
        self._column.insertWidget(1, note)
        self.locked_label = note
        tip = f"{text}. {_(self.option.help)}"
        self.editor.setToolTip(tip)
        if self.label is not None:
            self.label.setToolTip(tip)
        self._refresh()

    def _note_indent(self) -> int:
        return 0

    def _make_read_only(self) -> None:
        """Read-only where the editor can be (its text can still be selected), else disabled."""
        self.editor.setEnabled(False)

    def mark(self, mnemonics: Mnemonics) -> None:
        """Give the field's own buttons (Browse, Clear, Add...) free mnemonic letters."""

    def focus_widgets(self) -> list[QWidget]:
        """The field's controls in tab order."""
        return [self.editor]

    def add_note(self, note: QWidget) -> None:
        """Put ``note`` under the field, inside its cell."""
        self._column.addWidget(note)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    @property
    def problem(self) -> str | None:
        """Why the current value cannot be saved, or ``None``."""
        return self._problem

    @property
    def problem_shown(self) -> bool:
        return not self.problem_label.isHidden()

    def add_check(self, check: Callable[[Any], str | None]) -> None:
        """A further check that needs other fields (e.g. plain HTTP needs the 'allow' option)."""
        self._checks.append(check)
        self._validate()

    def revalidate(self) -> None:
        """Check again because another field changed; the rep caused it, so show the result."""
        self._validate()
        self._refresh()
        self.changed.emit()

    def set_reveal_delay(self, ms: int) -> None:
        """How long the rep may pause typing before a problem with the value is pointed out."""
        self._reveal_timer.setInterval(ms)

    def reveal_problem(self) -> None:
        self._reveal_timer.stop()
        self._refresh()

    def _validate(self) -> None:
        value = self.value()
        try:
            if self.name in NUMBER_OPTIONS:
                self._problem = self._number_problem(checked_value(self.name, value))
                if self._problem is not None:
                    return
            else:
                checked_value(self.name, value)
        except BadInput as exc:
            self._problem = _reason(self.option, exc.sentence)
        else:
            self._problem = next((p for check in self._checks if (p := check(value))), None)

    def _number_problem(self, value: Any) -> str | None:
        from a1dialer.core.caller_ids import number_problems

        found = number_problems(replace(self.context(), **{self.name: value}))[self.name]
        return " ".join(found) or None

    def _edited(self) -> None:
        """The rep changed the value: check now, show a new problem after a pause."""
        self._validate()
        if self._problem is None or self.problem_shown:
            self._refresh()
        else:
            self._reveal_timer.start()
        self.changed.emit()

    def _refresh(self) -> None:
        shown = self._problem is not None
        described = _(self.option.help)
        if self.locked:
            locked = _("Set by your administrator")
            described = f"{locked}. {described}"
        if shown:
            self.problem_label.show_message(self._problem or "", "error")
            self.editor.setAccessibleDescription(f"{self._problem} {described}")
        else:
            self.problem_label.clear_message()
            self.editor.setAccessibleDescription(described)
        self.editor.setProperty("invalid", shown)
        if isinstance(self.editor, QLineEdit):
            if self._mark is None:
                icon = self.editor.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                self._mark = self.editor.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            self._mark.setVisible(shown)
            self._mark.setToolTip(self._problem or "")


def _look_read_only(editor: QWidget) -> None:
    """A read-only box drawn on the window's colour, so it does not look like one to type in."""
    palette = editor.palette()
    palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
    editor.setPalette(palette)


class TextField(OptionField):
    """A free-text option in a line edit."""

    def __init__(self, option: Option, value: str, parent: QWidget, *, hint: bool) -> None:
        self.line = QLineEdit(value, parent)
        super().__init__(option, self.line, parent, hint=hint)
        self.line.textChanged.connect(lambda _text: self._edited())
        self.line.editingFinished.connect(self.reveal_problem)
        self._finish_cell(self.line)

    def value(self) -> str:
        return self.line.text()

    def set_value(self, value: Any) -> None:
        self.line.setText(str(value))
        self.reveal_problem()

    def _make_read_only(self) -> None:
        self.line.setReadOnly(True)
        _look_read_only(self.line)


class FileChoice(NamedTuple):
    """What a file option's Browse button is called, and the file dialog it opens."""

    browse: str
    title: str
    filters: tuple[str, ...]


# Whole sentences per file option, so a language can word each its own way.
FILE_CHOICES = {
    "ca_bundle": FileChoice(
        N_("Browse for the custom CA bundle"),
        N_("Choose the custom CA bundle"),
        # Translators: file dialog filters; keep the patterns in brackets as they are.
        (N_("Certificates (*.pem *.crt *.cer)"), N_("All files (*)")),
    )
}


class FileField(TextField):
    """A file path in a line edit with a Browse... button."""

    def __init__(self, option: Option, value: str, parent: QWidget, *, hint: bool) -> None:
        self.browse = QPushButton(_("Browse…"), parent)
        super().__init__(option, value, parent, hint=hint)
        self.browse.setObjectName(camel(option.name) + "BrowseButton")
        self.browse.setAccessibleName(_(FILE_CHOICES[option.name].browse))
        self.browse.clicked.connect(self._choose)

    def _make_read_only(self) -> None:
        super()._make_read_only()
        self.browse.setEnabled(False)

    def _finish_cell(self, row: QWidget | QHBoxLayout) -> None:
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.line, 1)
        line.addWidget(self.browse)
        super()._finish_cell(line)

    def mark(self, mnemonics: Mnemonics) -> None:
        self.browse.setText(mnemonics.mark(_("Browse…")))

    def focus_widgets(self) -> list[QWidget]:
        return [self.line, self.browse]

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.editor.window(),
            _(FILE_CHOICES[self.name].title),
            os.path.dirname(os.path.expanduser(self.value())) if self.value() else "",
            ";;".join(_(kind) for kind in FILE_CHOICES[self.name].filters),
        )
        if path:
            self.set_value(path)


class LinesField(OptionField):
    """A list of short texts, typed one per line (the base of ``EntriesField``)."""

    def __init__(self, option: Option, value: Any, parent: QWidget, *, hint: bool) -> None:
        self.text_edit = QPlainTextEdit("\n".join(value), parent)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 4 + 12)
        super().__init__(option, self.text_edit, parent, hint=hint)
        self.text_edit.textChanged.connect(self._edited)
        self._finish_cell(self.text_edit)

    def value(self) -> Any:
        lines = [line.strip() for line in self.text_edit.toPlainText().splitlines()]
        return type(self.option.default)(line for line in lines if line)

    def set_value(self, value: Any) -> None:
        self.text_edit.setPlainText("\n".join(value))
        self.reveal_problem()

    def _make_read_only(self) -> None:
        self.text_edit.setReadOnly(True)
        _look_read_only(self.text_edit)


class EntriesField(LinesField):
    """Caller IDs or the rep's numbers, one per line: the number, a comma, the name or label."""

    def __init__(self, option: Option, value: Any, parent: QWidget, *, hint: bool) -> None:
        super().__init__(option, value, parent, hint=hint)
        self.text_edit.setPlaceholderText(_(option.help))

    def value(self) -> Any:
        kind = ENTRY_LISTS[self.name]
        entries = []
        for line in self.text_edit.toPlainText().splitlines():
            number, _comma, text = line.partition(",")
            if number.strip() or text.strip():
                entries.append(kind(number.strip(), " ".join(text.split())))
        return tuple(entries)

    def set_value(self, value: Any) -> None:
        self.text_edit.setPlainText(entries_text(value))
        self.reveal_problem()


def entries_text(entries: Any) -> str:
    """Entries as the lines of an ``EntriesField``: "+44 20 7946 0000, Acme UK"."""
    lines = []
    for entry in entries:
        number_key, text_key = ENTRY_KEYS[type(entry)]
        number, text = getattr(entry, number_key), getattr(entry, text_key)
        lines.append(f"{number}, {text}" if text else number)
    return "\n".join(lines)


class ListField(OptionField):
    """A short list of short texts (custom call outcomes): add, rename, remove and reorder.

    Each entry is a row of its own, edited in place (F2 or a double click); a row left empty is
    dropped. The list as a whole is checked by the option's own check.
    """

    suffix = "List"

    def __init__(self, option: Option, value: Any, parent: QWidget, *, hint: bool) -> None:
        from PySide6.QtWidgets import QListWidget

        self.entries = QListWidget(parent)
        # Not on any key: a rep tabbing through would type over an outcome by accident.
        self.entries.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.entries.setMinimumHeight(self.entries.fontMetrics().lineSpacing() * 5 + 12)
        self.entries.setMaximumHeight(self.entries.fontMetrics().lineSpacing() * 8 + 12)
        super().__init__(option, self.entries, parent, hint=hint)
        self.add_button = self._button("AddButton", _("Add"), self.add_entry)
        self.remove_button = self._button("RemoveButton", _("Remove"), self.remove_entry)
        self.up_button = self._button("UpButton", _("Move up"), lambda: self.move_entry(-1))
        self.down_button = self._button("DownButton", _("Move down"), lambda: self.move_entry(1))
        self.buttons = (self.add_button, self.remove_button, self.up_button, self.down_button)
        self._read_only = False
        remove = QAction(self.entries)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_entry)
        self.entries.addAction(remove)
        self._fill(value)
        self.entries.itemChanged.connect(lambda _item: self._edited())
        self.entries.itemDelegate().closeEditor.connect(lambda *_: self._drop_empty())
        self.entries.currentRowChanged.connect(lambda _row: self._update_buttons())
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.entries, 1)
        column = QVBoxLayout()
        column.setSpacing(4)
        for button in self.buttons:
            column.addWidget(button)
        column.addStretch(1)
        row.addLayout(column)
        self._finish_cell(row)
        self._update_buttons()

    def _button(self, name: str, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self.cell)
        button.setObjectName(camel(self.option.name) + name)
        button.setAccessibleName(text)
        button.clicked.connect(action)
        return button

    def mark(self, mnemonics: Mnemonics) -> None:
        for button in self.buttons:
            button.setText(mnemonics.mark(button.accessibleName()))

    def focus_widgets(self) -> list[QWidget]:
        return [self.entries, *self.buttons]

    def _item(self, text: str) -> QListWidgetItem:
        from PySide6.QtWidgets import QListWidgetItem

        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _fill(self, value: Any) -> None:
        self.entries.blockSignals(True)
        self.entries.clear()
        for text in value:
            self.entries.addItem(self._item(str(text)))
        self.entries.blockSignals(False)

    def value(self) -> Any:
        texts = (self.entries.item(row).text().strip() for row in range(self.entries.count()))
        return type(self.option.default)(text for text in texts if text)

    def set_value(self, value: Any) -> None:
        self._fill(value)
        self._edited()
        self.reveal_problem()

    def add_entry(self) -> None:
        """A new, empty row at the end, ready for typing."""
        item = self._item("")
        self.entries.addItem(item)
        self.entries.setCurrentItem(item)
        self.entries.setFocus(Qt.FocusReason.OtherFocusReason)
        self.entries.editItem(item)

    def remove_entry(self) -> None:
        row = self.entries.currentRow()
        if row < 0:
            return
        self.entries.takeItem(row)
        self._edited()
        self._update_buttons()

    def move_entry(self, step: int) -> None:
        row = self.entries.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.entries.count():
            return
        item = self.entries.takeItem(row)
        self.entries.insertItem(target, item)
        self.entries.setCurrentRow(target)
        self._edited()

    def _drop_empty(self) -> None:
        for row in reversed(range(self.entries.count())):
            if not self.entries.item(row).text().strip():
                self.entries.takeItem(row)
        self._update_buttons()

    def _make_read_only(self) -> None:
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._read_only = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.entries.currentRow(), self.entries.count()
        self.add_button.setEnabled(not self._read_only)
        if self._read_only:
            row = -1
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)


class HotkeyField(OptionField):
    """A key combination, recorded by pressing it (one chord), with a button to clear it.

    It is stored as the rep would write it ("Ctrl+Alt+D"), as before; a stored combination Qt
    cannot show (say, typed by an admin with a key name Qt does not know) is kept until the rep
    records another.
    """

    def __init__(self, option: Option, value: str, parent: QWidget, *, hint: bool) -> None:
        self.recorder = QKeySequenceEdit(parent)
        self.recorder.setMaximumSequenceLength(1)
        super().__init__(option, self.recorder, parent, hint=hint)
        self._unshown = ""
        self.set_value(value)
        self.clear_button = QPushButton(_("Clear"), parent)
        self.clear_button.setObjectName(camel(option.name) + "ClearButton")
        self.clear_button.setAccessibleName(_("Clear the hotkey"))
        self.clear_button.clicked.connect(self.clear)
        self.recorder.keySequenceChanged.connect(lambda _keys: self._recorded())
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.recorder, 1)
        row.addWidget(self.clear_button)
        self._finish_cell(row)

    def mark(self, mnemonics: Mnemonics) -> None:
        self.clear_button.setText(mnemonics.mark(_("Clear")))

    def focus_widgets(self) -> list[QWidget]:
        return [self.recorder, self.clear_button]

    def value(self) -> str:
        keys = self.recorder.keySequence()
        if keys.isEmpty():
            return self._unshown
        return keys.toString(QKeySequence.SequenceFormat.PortableText)

    def set_value(self, value: Any) -> None:
        text = str(value)
        keys = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
        shown = keys.count() == 1 and _same_keys(
            keys.toString(QKeySequence.SequenceFormat.PortableText), text
        )
        self._unshown = "" if shown else text
        self.recorder.blockSignals(True)
        self.recorder.setKeySequence(keys if shown else QKeySequence())
        self.recorder.blockSignals(False)
        self._validate()
        self._refresh()

    def _make_read_only(self) -> None:
        self.recorder.setEnabled(False)
        self.clear_button.setEnabled(False)

    def clear(self) -> None:
        self._unshown = ""
        self.recorder.clear()
        self._edited()
        self.reveal_problem()

    def _recorded(self) -> None:
        self._unshown = ""
        self._edited()
        self.reveal_problem()


class ChoiceField(OptionField):
    """One of a fixed set of values, shown by their plain labels."""

    suffix = "Combo"

    def __init__(
        self, option: Option, value: str, parent: QWidget, choices: dict[str, str], *, hint: bool
    ) -> None:
        self.combo = QComboBox(parent)
        # A long choice ("Both spellings (works with every A1PBX version)", longer translated)
        # must not widen the whole Settings section: it shows in full in the open list.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(18)
        for key, label in choices.items():
            self.combo.addItem(_(label), key)
            self.combo.setItemData(self.combo.count() - 1, _(label), Qt.ItemDataRole.ToolTipRole)
        super().__init__(option, self.combo, parent, hint=hint)
        self.set_value(value)
        self.combo.currentIndexChanged.connect(lambda _index: self._edited())
        self._finish_cell(self.combo)

    def value(self) -> str:
        return str(self.combo.currentData())

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))


@functools.cache
def country_names() -> tuple[tuple[str, str], ...]:
    """``(code, name)`` for every region phonenumbers knows, in the language in use, sorted as
    that language sorts (Å with A in English, Ч after Ц in Russian)."""
    import phonenumbers
    from PySide6.QtCore import QCollator, QLocale

    from a1dialer.core.country_names import country_name

    def name(code: str) -> str:
        return (
            country_name(code) or QLocale.territoryToString(QLocale.codeToTerritory(code)) or code
        )

    collator = QCollator(QLocale())
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    named = [(code, name(code)) for code in phonenumbers.SUPPORTED_REGIONS]

    def compare(a: tuple[str, str], b: tuple[str, str]) -> int:
        return collator.compare(a[1], b[1])

    by_name = functools.cmp_to_key(compare)
    return tuple(sorted(named, key=by_name))


class CountryField(OptionField):
    """A country picked by English name or typed as a code; the list filters as the rep types."""

    suffix = "Combo"

    def __init__(self, option: Option, value: str, parent: QWidget, *, hint: bool) -> None:
        self.combo = QComboBox(parent)
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMaxVisibleItems(15)
        for code, name in country_names():
            self.combo.addItem(f"{name} ({code})", code)
        completer = QCompleter(self.combo.model(), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.combo.setCompleter(completer)
        super().__init__(option, self.combo, parent, hint=hint)
        self.set_value(value)
        self.combo.editTextChanged.connect(lambda _text: self._edited())
        line = self.combo.lineEdit()
        assert line is not None  # an editable combo box always has one
        line.editingFinished.connect(self._tidy)
        line.setAccessibleName(_(option.label))
        self._finish_cell(self.combo)

    def value(self) -> str:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.combo.itemData(index))
        folded = text.casefold()
        for code, name in country_names():
            if name.casefold() == folded:
                return code
        if len(text) > 2 and text.upper() not in COUNTRY_ALIASES:
            # A part of one name only ("Germ", "zealand") picks that country.
            for matches in (
                [code for code, name in country_names() if name.casefold().startswith(folded)],
                [code for code, name in country_names() if folded in name.casefold()],
            ):
                if len(matches) == 1:
                    return matches[0]
        return COUNTRY_ALIASES.get(text.upper(), text.upper() if len(text) == 2 else text)

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(str(value).upper())
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self.combo.setEditText(self.combo.itemText(index))
        else:
            self.combo.setEditText(str(value))

    def _validate(self) -> None:
        super()._validate()
        if self._problem is not None:
            # The option's own reason speaks of codes only; this field also takes names.
            self._problem = _(COUNTRY_PROBLEM)

    def _tidy(self) -> None:
        """Show a typed code or name as the full entry once the rep leaves the field."""
        if self.problem is None:
            self.set_value(self.value())
        self.reveal_problem()


class FlagField(OptionField):
    """An on/off option as a check box carrying its own label."""

    suffix = "Check"

    def __init__(self, option: Option, value: bool, parent: QWidget, *, hint: bool) -> None:
        self.check = QCheckBox(_(option.label), parent)
        self.check.setChecked(bool(value))
        super().__init__(option, self.check, parent, hint=hint)
        self.check.toggled.connect(lambda _on: self._edited())
        self._finish_cell(self.check)
        if self.hint_label is not None:
            self.hint_label.setIndent(self._note_indent())

    def _note_indent(self) -> int:
        """Notes under the box line up with its text."""
        style = self.check.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )

    def mark(self, mnemonics: Mnemonics) -> None:
        self.check.setText(mnemonics.mark(_(self.option.label)))

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class NumberField(OptionField):
    """A whole number in a spin box limited to the values the option accepts."""

    suffix = "Spin"

    def __init__(self, option: Option, value: int, parent: QWidget, *, hint: bool) -> None:
        self.spin = QSpinBox(parent)
        self.spin.setRange(0, 100_000)
        self.spin.setSingleStep(STEPS.get(option.name, 100))
        self.spin.setValue(int(value))
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        super().__init__(option, self.spin, parent, hint=hint)
        self.spin.valueChanged.connect(lambda _value: self._edited())
        row = QHBoxLayout()
        row.addWidget(self.spin)
        row.addStretch(1)
        self._finish_cell(row)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value))

    def _make_read_only(self) -> None:
        self.spin.setReadOnly(True)
        self.spin.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        _look_read_only(self.spin)


def _same_keys(shown: str, stored: str) -> bool:
    """Whether Qt's reading of a stored combination is the one the hotkey listener hears."""
    try:
        return pynput_hotkey(shown) == pynput_hotkey(stored)
    except ValueError:
        return shown.casefold() == stored.replace(" ", "").casefold()


def make_field(name: str, value: Any, parent: QWidget, *, hint: bool = False) -> OptionField:
    """The right editor for option ``name``, decided by its declaration."""
    option = OPTIONS_BY_NAME[name]
    if name in CHOICES:
        return ChoiceField(option, value, parent, CHOICES[name], hint=hint)
    if name == "default_country":
        return CountryField(option, value, parent, hint=hint)
    if name == "ca_bundle":
        return FileField(option, value, parent, hint=hint)
    if name in ENTRY_LISTS:
        return EntriesField(option, entries_text(value).splitlines(), parent, hint=hint)
    if name == "ring_me_at":
        field = TextField(option, value, parent, hint=hint)
        field.line.setPlaceholderText(_("Empty: your extension"))
        return field
    if name == "hotkey":
        return HotkeyField(option, value, parent, hint=hint)
    if isinstance(option.default, (tuple, list)):
        return ListField(option, value, parent, hint=hint)
    if isinstance(option.default, bool):
        return FlagField(option, value, parent, hint=hint)
    if isinstance(option.default, int):
        return NumberField(option, value, parent, hint=hint)
    return TextField(option, value, parent, hint=hint)


INSECURE_HTTP_WARNING = N_(
    "The API key will travel unencrypted to a non-local server: turn this on only on a network "
    "you trust."
)


def warn_when_checked(field: OptionField, text: str = INSECURE_HTTP_WARNING) -> StatusLabel:
    """A warning under a check box, shown while it is checked."""
    warning = StatusLabel(camel(field.name) + "Warning", field.cell)
    field.add_note(warning)

    def update() -> None:
        if field.value():
            warning.show_message(_(text), "warning")
        else:
            warning.clear_message()

    field.changed.connect(update)
    update()
    return warning
