"""Editing widgets built from the option declarations, shared by Settings and the setup wizard."""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core import paths
from a1dialer.core.errors import BadInput, DialerError, LocalProblem
from a1dialer.core.secrets import KEY_ENV, NO_KEYRING, get_api_key, set_api_key
from a1dialer.core.server import check_transport, parse_server
from a1dialer.core.settings import (
    LINK_ACTIONS,
    NUMBER_FORMATS,
    OPTIONS_BY_NAME,
    PARAMETER_SPELLINGS,
    RINGBACK_TONES,
    Option,
    Settings,
    save_settings,
)
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CHOICES: dict[str, dict[str, str]] = {
    "number_format": NUMBER_FORMATS,
    "ringback": RINGBACK_TONES,
    "link_action": LINK_ACTIONS,
    "parameter_spelling": PARAMETER_SPELLINGS,
}
# What reps type for a country that is not its ISO code.
COUNTRY_ALIASES = {"UK": "GB", "USA": "US"}
COUNTRY_PROBLEM = "Pick a country from the list, or type its two-letter code such as US, GB or DE."
KEY_FROM_ENVIRONMENT = f"Taken from the {KEY_ENV} environment variable."
KEY_STORED = "Stored in the OS keyring — type to replace"
KEY_WANTED = "Paste the API key from your PBX administrator"
KEY_UNSTORABLE = "A typed key can be tested but not stored"
# The fields whose values a connection test depends on.
CONNECTION_OPTIONS = ("server", "ca_bundle", "allow_insecure_http", "parameter_spelling")
# How long a rep may pause typing before a problem with the value is pointed out.
REVEAL_DELAY_MS = 600
KEY_LOOKUP_DELAY_MS = 300
SAVE_FAILED = "The settings could not be saved; the log has details."


class Mnemonics:
    """Hands out Alt+letter shortcuts so that no two controls of one window share a letter."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set()
        self.reserve(taken)

    def reserve(self, texts: Iterable[str]) -> None:
        """Mark the letters already used by ``texts`` (button texts such as ``"&Next >"``)."""
        for text in texts:
            plain = text.replace("&&", "")
            at = plain.find("&")
            if 0 <= at < len(plain) - 1:
                self._taken.add(plain[at + 1].casefold())

    def reserve_buttons(self, buttons: Iterable[QAbstractButton]) -> None:
        self.reserve(button.text() for button in buttons)

    def mark(self, text: str) -> str:
        """``text`` with ``&`` before a free letter: a word's first letter if possible."""
        escaped = text.replace("&", "&&")
        starts = [i for i, ch in enumerate(text) if ch.isalnum() and (i == 0 or text[i - 1] == " ")]
        others = [i for i, ch in enumerate(text) if ch.isalnum() and i not in starts]
        for i in starts + others:
            letter = text[i].casefold()
            if letter not in self._taken:
                self._taken.add(letter)
                at = i + text[:i].count("&")
                return escaped[:at] + "&" + escaped[at:]
        return escaped


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
        for code, name in country_names():
            if name.casefold() == text.casefold():
                return code
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


def host_of(server: str) -> str | None:
    """The keyring user for ``server`` (its host), or ``None`` while the address is unusable."""
    try:
        return parse_server(server).host
    except BadInput:
        return None


def _key_is_stored(host: str) -> bool:
    return get_api_key(host) is not None


class ApiKeyField(QObject):
    """The API key: masked, with Show; says where the key in use comes from, never shows it.

    Empty means "keep the stored key". With ``A1DIALER_API_KEY`` set, the field is disabled. The
    keyring is asked (off the GUI thread) whether it holds a key for the current server's host.

    Signals:
        changed: the typed key changed.
        status_changed(str): ``environment``, ``checking``, ``stored``, ``missing`` or
            ``unavailable`` (no usable keyring; the note says why).
    """

    changed = Signal()
    status_changed = Signal(str)

    def __init__(self, parent: QWidget, tasks: TaskRunner, *, hint: bool = False) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._host: str | None = None
        self._lookup = 0
        self._status = ""
        self.edit = QLineEdit(parent)
        self.edit.setObjectName("apiKeyEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName("API key")
        self.edit.setAccessibleDescription("The API key for your PBX; kept in the OS keyring")
        self.edit.setToolTip("Kept in the OS keyring, never in the settings file")
        self.edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self.edit.textChanged.connect(self._typed)
        self.show_button = QToolButton(parent)
        self.show_button.setObjectName("apiKeyShowButton")
        self.show_button.setCheckable(True)
        self.show_button.setText("Show")
        self.show_button.setAccessibleName("Show the typed API key")
        self.show_button.setEnabled(False)
        self.show_button.toggled.connect(self._reveal)
        self.note = StatusLabel("apiKeyNote", parent)
        self.label: QLabel | None = None
        self.cell = QWidget(parent)
        self.cell.setObjectName("apiKeyCell")
        column = QVBoxLayout(self.cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(6)
        line.addWidget(self.edit, 1)
        line.addWidget(self.show_button)
        column.addLayout(line)
        column.addWidget(self.note)
        if hint:
            hint_label = QLabel(
                "Ask your PBX administrator for it. It is kept in the OS keyring, never in a file.",
                self.cell,
            )
            hint_label.setObjectName("apiKeyHint")
            hint_label.setWordWrap(True)
            hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            column.addWidget(hint_label)
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(KEY_LOOKUP_DELAY_MS)
        self._lookup_timer.timeout.connect(self._ask_keyring)

    def make_label(self, mnemonics: Mnemonics) -> QLabel:
        self.label = QLabel(mnemonics.mark("API key") + ":", self.cell.parentWidget())
        self.label.setObjectName("apiKeyLabel")
        self.label.setBuddy(self.edit)
        return self.label

    def mark_show(self, mnemonics: Mnemonics) -> None:
        self.show_button.setText(mnemonics.mark("Show"))

    def key(self) -> str:
        """The key typed in this form (stripped); empty means 'keep the stored one'."""
        return "" if self._status == "environment" else self.edit.text().strip()

    @property
    def status(self) -> str:
        return self._status

    def set_server(self, server: str, *, at_once: bool = False) -> None:
        """Follow the server field: the keyring holds one key per host."""
        if os.environ.get(KEY_ENV, "").strip():
            self._set_status("environment")
            return
        host = host_of(server)
        if host == self._host and self._status not in ("", "checking"):
            return
        self._host = host
        self._lookup += 1  # any answer still on its way is for another host now
        if host is None:
            self._set_status("missing")
            return
        self._set_status("checking")
        if at_once:
            self._ask_keyring()
        else:
            self._lookup_timer.start()

    def _ask_keyring(self) -> None:
        host = self._host
        if host is None:
            return
        self._lookup += 1
        lookup = self._lookup
        self._tasks.run(
            lambda: _key_is_stored(host),
            lambda stored, error: self._answer(lookup, stored, error),
            owner=self,
        )

    def _answer(self, lookup: int, stored: bool | None, error: BaseException | None) -> None:
        if lookup != self._lookup:
            return
        if isinstance(error, DialerError):
            self._set_status("unavailable", error.sentence)
        elif error is not None:
            log.error("Could not ask the OS keyring for the API key", exc_info=error)
            self._set_status("unavailable", "The OS keyring could not be read.")
        else:
            self._set_status("stored" if stored else "missing")

    def _set_status(self, status: str, sentence: str = "") -> None:
        self._status = status
        environment = status == "environment"
        # Without a keyring a typed key can still be tested, just not stored.
        self.edit.setEnabled(not environment)
        if environment:
            self.edit.clear()
            self.edit.setPlaceholderText("")
            self.note.show_message(KEY_FROM_ENVIRONMENT, "note")
        elif status == "unavailable":
            self.edit.setPlaceholderText(KEY_UNSTORABLE if sentence == NO_KEYRING else KEY_WANTED)
            self.note.show_message(sentence, "error")
        else:
            self.note.clear_message()
            self.edit.setPlaceholderText(
                {"stored": KEY_STORED, "checking": "Checking the OS keyring…"}.get(
                    status, KEY_WANTED
                )
            )
        self.status_changed.emit(status)

    def _typed(self, text: str) -> None:
        self.show_button.setEnabled(bool(text))
        if not text and self.show_button.isChecked():
            self.show_button.setChecked(False)
        self.changed.emit()

    def _reveal(self, on: bool) -> None:
        # A pressed "Show" toggle (like an eye icon) keeps the mnemonic letter stable.
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.show_button.setAccessibleName(f"{'Hide' if on else 'Show'} the typed API key")


class OptionForm(QObject):
    """The option fields of one window, the API key, and the settings their values make.

    Signals:
        changed: any field (or the typed key) changed.
        validity_changed(bool): whether every field holds a value that can be saved.
    """

    changed = Signal()
    validity_changed = Signal(bool)

    def __init__(
        self, base: Settings, parent: QWidget, tasks: TaskRunner, *, hints: bool = False
    ) -> None:
        super().__init__(parent)
        self.base = base
        self.tasks = tasks
        self.mnemonics = Mnemonics()
        self._parent = parent
        self._hints = hints
        self.fields: dict[str, OptionField] = {}
        self.api_key: ApiKeyField | None = None
        self._valid = True

    def add(self, name: str) -> OptionField:
        field = make_field(name, getattr(self.base, name), self._parent, hint=self._hints)
        self.fields[name] = field
        field.changed.connect(lambda: self._field_changed(name))
        if name == "server":
            field.add_check(self._transport_problem)
        # Plain HTTP to a remote server is refused unless allowed: two fields, one rule.
        pair = ("server", "allow_insecure_http")
        if name in pair and all(other in self.fields for other in pair):
            self.fields["allow_insecure_http"].changed.connect(self.fields["server"].revalidate)
            self.fields["server"].revalidate()
        self._update_validity()
        return field

    def add_api_key(self) -> ApiKeyField:
        self.api_key = ApiKeyField(self._parent, self.tasks, hint=self._hints)
        self.api_key.changed.connect(self.changed)
        self.api_key.set_server(self.value("server"), at_once=True)
        return self.api_key

    def add_rows(self, layout: QFormLayout, names: Sequence[str]) -> list[QWidget]:
        """Add the named fields (``"api_key"`` for the key) as rows; return them in tab order."""
        focus: list[QWidget] = []
        for name in names:
            if name == "api_key":
                key = self.api_key or self.add_api_key()
                layout.addRow(key.make_label(self.mnemonics), key.cell)
                key.mark_show(self.mnemonics)
                focus += [key.edit, key.show_button]
                continue
            field = self.fields.get(name) or self.add(name)
            if isinstance(field, FlagField):
                field.mark_text(self.mnemonics)
                add_unlabelled_row(layout, field.cell)
            else:
                layout.addRow(field.make_label(self.mnemonics), field.cell)
            focus.append(field.editor)
            if isinstance(field, FileField):
                field.mark_browse(self.mnemonics)
                focus.append(field.browse)
        return focus

    def value(self, name: str) -> Any:
        field = self.fields.get(name)
        return field.value() if field is not None else getattr(self.base, name)

    def changes(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self.fields.items()}

    @property
    def is_valid(self) -> bool:
        return self._valid

    def problems(self, names: Iterable[str] | None = None) -> dict[str, str]:
        chosen = self.fields if names is None else {n: self.fields[n] for n in names}
        return {name: f.problem for name, f in chosen.items() if f.problem is not None}

    def reveal_problems(self) -> None:
        for field in self.fields.values():
            field.reveal_problem()

    def settings(self) -> Settings:
        """The settings these fields make, on top of ``base``; ``BadInput`` names a bad field."""
        problems = self.problems()
        if problems:
            name, problem = next(iter(problems.items()))
            raise BadInput(f"{OPTIONS_BY_NAME[name].label}: {problem}")
        return self.base.validated(**self.changes())

    def connection_fingerprint(self) -> tuple[Any, ...]:
        """What a connection test depends on, so a result can be matched to the current values."""
        key = self.api_key.key() if self.api_key else ""
        digest = hashlib.sha256(key.encode()).hexdigest() if key else ""
        return (*(self.value(name) for name in CONNECTION_OPTIONS), digest)

    def _transport_problem(self, value: Any) -> str | None:
        if not value:
            return None
        try:
            check_transport(
                parse_server(str(value)),
                allow_insecure_http=bool(self.value("allow_insecure_http")),
            )
        except BadInput as exc:
            return exc.sentence
        return None

    def _field_changed(self, name: str) -> None:
        if name == "server" and self.api_key is not None:
            self.api_key.set_server(str(self.value("server")))
        self._update_validity()
        self.changed.emit()

    def _update_validity(self) -> None:
        valid = all(field.problem is None for field in self.fields.values())
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)


def check_connection(settings: Settings, typed_key: str) -> str:
    """Ask the PBX (blocking) whether the server, TLS and key work; return its one sentence."""
    from a1dialer.pbx.connect import client_for

    with client_for(settings, typed_key) as client:
        sentence: str = client.check_connection()
    return sentence


class ConnectionTester(QWidget):
    """The Test connection button and its one-sentence result, using the values in the form.

    The check runs on the task runner; the button is disabled and says "Testing…" meanwhile.

    Signals:
        finished(bool, str): the test ended; whether it succeeded, and the sentence shown.
    """

    finished = Signal(bool, str)

    def __init__(self, form: OptionForm, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("testConnection")
        self._form = form
        self._running = False
        self._label = "Test connection"
        self.succeeded_for: tuple[Any, ...] | None = None
        self.button = QPushButton(self._label, self)
        self.button.setObjectName("testConnectionButton")
        self.button.setToolTip("Checks the server, its certificate and the API key without a call")
        self.button.clicked.connect(self.start)
        self.result = StatusLabel("testConnectionResult", self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.result)

    def mark(self, mnemonics: Mnemonics) -> None:
        self._label = mnemonics.mark("Test connection")
        self.button.setText(self._label)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        if self._running:
            return
        try:
            settings = self._form.settings()
            host = parse_server(settings.server).host
        except BadInput as exc:
            self._form.reveal_problems()
            self._report(False, exc.sentence)
            return
        fingerprint = self._form.connection_fingerprint()
        typed_key = self._form.api_key.key() if self._form.api_key else ""
        self._running = True
        self.button.setEnabled(False)
        self.button.setText("Testing…")
        self.result.show_message(f"Testing the connection to {host}…", "note")
        self._form.tasks.run(
            lambda: check_connection(settings, typed_key),
            lambda sentence, error: self._done(fingerprint, sentence, error),
            owner=self,
        )

    def _done(self, fingerprint: tuple[Any, ...], sentence: str | None, error: Any) -> None:
        self._running = False
        self.button.setEnabled(True)
        self.button.setText(self._label)
        if error is None:
            self.succeeded_for = fingerprint
            self._report(True, sentence or "The connection works.")
        elif isinstance(error, DialerError):
            self.succeeded_for = None
            log.info("Connection test failed: %s %s", error.sentence, error.details)
            self._report(False, error.sentence)
        else:
            self.succeeded_for = None
            log.error("Connection test failed unexpectedly", exc_info=error)
            self._report(False, "The connection test failed unexpectedly; the log has details.")

    def _report(self, ok: bool, sentence: str) -> None:
        self.result.show_message(sentence, "ok" if ok else "error")
        self.finished.emit(ok, sentence)


def save_settings_and_key(settings: Settings, api_key: str) -> None:
    """Write ``settings.toml`` and, if one was typed, the key to the keyring (blocking).

    The one save used by the settings dialog and the setup wizard. Raises ``DialerError`` with a
    sentence saying what was and was not saved.
    """
    if api_key and not settings.server:
        raise BadInput("Enter the PBX server before the API key: the key is kept per server.")
    try:
        save_settings(settings)
    except OSError as exc:
        raise LocalProblem(
            f"Could not save the settings to {paths.settings_file()}: {exc.strerror}."
        ) from None
    if api_key:
        try:
            set_api_key(parse_server(settings.server).host, api_key)
        except LocalProblem as exc:
            raise LocalProblem(
                f"Your settings were saved, but the API key was not: {exc.sentence}", exc.details
            ) from None
    log.info("Saved the settings%s", " and the API key" if api_key else "")


def align_label_columns(layouts: Iterable[QFormLayout]) -> None:
    """Give every form the same label width so fields line up across group boxes."""
    labels: list[QWidget] = [
        label
        for layout in layouts
        for row in range(layout.rowCount())
        if (item := layout.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and (label := item.widget()) is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def add_unlabelled_row(layout: QFormLayout, field: QWidget) -> None:
    """A row aligned with the fields but without a label (check boxes, buttons).

    An empty widget stands in for the label: with no label at all, QFormLayout sizes the row by
    its size hint instead of its height for the width, leaving gaps under wrapped text.
    """
    blank = QWidget(field.parentWidget())
    blank.setObjectName(field.objectName() + "Blank")
    layout.addRow(blank, field)


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
