"""Editing widgets built from the option declarations, shared by Settings and the setup wizard."""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.errors import BadInput
from a1dialer.core.settings import (
    LINK_ACTIONS,
    NUMBER_FORMATS,
    OPTIONS_BY_NAME,
    PARAMETER_SPELLINGS,
    RINGBACK_TONES,
    Option,
    Settings,
)
from a1dialer.ui.form_layout import Mnemonics
from a1dialer.ui.status_label import StatusLabel

CHOICES: dict[str, dict[str, str]] = {
    "number_format": NUMBER_FORMATS,
    "ringback": RINGBACK_TONES,
    "link_action": LINK_ACTIONS,
    "parameter_spelling": PARAMETER_SPELLINGS,
}
# What reps type for a country that is not its ISO code.
COUNTRY_ALIASES = {"UK": "GB", "USA": "US"}
COUNTRY_PROBLEM = "Pick a country from the list, or type its two-letter code such as US, GB or DE."


# How long a rep may pause typing before a problem with the value is pointed out.
REVEAL_DELAY_MS = 600


def camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _reason(option: Option, sentence: str) -> str:
    """The refusal without the field's own label, which the rep is already looking at."""
    prefix = option.label + " "
    if sentence.startswith(prefix):
        sentence = sentence[len(prefix) :]
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
        editor.setAccessibleName(option.label)
        editor.setAccessibleDescription(option.help)
        editor.setToolTip(option.help)
        self.label: QLabel | None = None
        self.cell = QWidget(parent)
        self.cell.setObjectName(camel(option.name) + "Cell")
        self._column = QVBoxLayout(self.cell)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(2)
        self.problem_label = StatusLabel(camel(option.name) + "Problem", self.cell)
        self.hint_label: QLabel | None = None
        if hint:
            self.hint_label = QLabel(option.help, self.cell)
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
        self.label = QLabel(mnemonics.mark(self.option.label) + ":", self.cell.parentWidget())
        self.label.setObjectName(camel(self.option.name) + "Label")
        self.label.setBuddy(self.editor)
        self.label.setToolTip(self.option.help)
        return self.label

    @property
    def name(self) -> str:
        return self.option.name

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
            Settings().validated(**{self.name: value})
        except BadInput as exc:
            self._problem = _reason(self.option, exc.sentence)
        else:
            self._problem = next((p for check in self._checks if (p := check(value))), None)

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
        if shown:
            self.problem_label.show_message(self._problem or "", "error")
            self.editor.setAccessibleDescription(f"{self._problem} {self.option.help}")
        else:
            self.problem_label.clear_message()
            self.editor.setAccessibleDescription(self.option.help)
        self.editor.setProperty("invalid", shown)
        if isinstance(self.editor, QLineEdit):
            if self._mark is None:
                icon = self.editor.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                self._mark = self.editor.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
            self._mark.setVisible(shown)
            self._mark.setToolTip(self._problem or "")


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


class FileField(TextField):
    """A file path in a line edit with a Browse... button."""

    def __init__(self, option: Option, value: str, parent: QWidget, *, hint: bool) -> None:
        self.browse = QPushButton("Browse…", parent)
        super().__init__(option, value, parent, hint=hint)
        self.browse.setObjectName(camel(option.name) + "BrowseButton")
        self.browse.setAccessibleName(f"Browse for the {option.label.lower()}")
        self.browse.clicked.connect(self._choose)

    def _finish_cell(self, row: QWidget | QHBoxLayout) -> None:
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.line, 1)
        line.addWidget(self.browse)
        super()._finish_cell(line)

    def mark_browse(self, mnemonics: Mnemonics) -> None:
        self.browse.setText(mnemonics.mark("Browse") + "…")

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.editor.window(),
            f"Choose the {self.option.label.lower()}",
            os.path.dirname(os.path.expanduser(self.value())) if self.value() else "",
            "Certificates (*.pem *.crt *.cer);;All files (*)",
        )
        if path:
            self.set_value(path)


class LinesField(OptionField):
    """A list of short texts, typed one per line (custom call outcomes)."""

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


class ChoiceField(OptionField):
    """One of a fixed set of values, shown by their plain labels."""

    suffix = "Combo"

    def __init__(
        self, option: Option, value: str, parent: QWidget, choices: dict[str, str], *, hint: bool
    ) -> None:
        self.combo = QComboBox(parent)
        for key, label in choices.items():
            self.combo.addItem(label, key)
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
    """``(code, English name)`` for every region phonenumbers knows, sorted by name."""
    import phonenumbers
    from PySide6.QtCore import QLocale

    def name(code: str) -> str:
        return QLocale.territoryToString(QLocale.codeToTerritory(code)) or code

    def sort_key(item: tuple[str, str]) -> str:
        plain = unicodedata.normalize("NFKD", item[1]).encode("ascii", "ignore").decode()
        return plain.casefold()

    return tuple(sorted(((c, name(c)) for c in phonenumbers.SUPPORTED_REGIONS), key=sort_key))


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
        line.setAccessibleName(option.label)
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
            self._problem = COUNTRY_PROBLEM

    def _tidy(self) -> None:
        """Show a typed code or name as the full entry once the rep leaves the field."""
        if self.problem is None:
            self.set_value(self.value())
        self.reveal_problem()


class FlagField(OptionField):
    """An on/off option as a check box carrying its own label."""

    suffix = "Check"

    def __init__(self, option: Option, value: bool, parent: QWidget, *, hint: bool) -> None:
        self.check = QCheckBox(option.label, parent)
        self.check.setChecked(bool(value))
        super().__init__(option, self.check, parent, hint=hint)
        self.check.toggled.connect(lambda _on: self._edited())
        self._finish_cell(self.check)
        if self.hint_label is not None:
            style = self.check.style()
            indent = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
                QStyle.PixelMetric.PM_CheckBoxLabelSpacing
            )
            self.hint_label.setIndent(indent)

    def mark_text(self, mnemonics: Mnemonics) -> None:
        self.check.setText(mnemonics.mark(self.option.label))

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
        self.spin.setSingleStep(100)
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


def make_field(name: str, value: Any, parent: QWidget, *, hint: bool = False) -> OptionField:
    """The right editor for option ``name``, decided by its declaration."""
    option = OPTIONS_BY_NAME[name]
    if name in CHOICES:
        return ChoiceField(option, value, parent, CHOICES[name], hint=hint)
    if name == "default_country":
        return CountryField(option, value, parent, hint=hint)
    if name == "ca_bundle":
        return FileField(option, value, parent, hint=hint)
    if isinstance(option.default, (tuple, list)):
        return LinesField(option, value, parent, hint=hint)
    if isinstance(option.default, bool):
        return FlagField(option, value, parent, hint=hint)
    if isinstance(option.default, int):
        return NumberField(option, value, parent, hint=hint)
    return TextField(option, value, parent, hint=hint)


INSECURE_HTTP_WARNING = (
    "The API key will travel unencrypted to a non-local server: turn this on only on a network "
    "you trust."
)


def warn_when_checked(field: OptionField, text: str = INSECURE_HTTP_WARNING) -> StatusLabel:
    """A warning under a check box, shown while it is checked."""
    warning = StatusLabel(camel(field.name) + "Warning", field.cell)
    field.add_note(warning)

    def update() -> None:
        if field.value():
            warning.show_message(text, "warning")
        else:
            warning.clear_message()

    field.changed.connect(update)
    update()
    return warning
