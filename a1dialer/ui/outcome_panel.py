"""After a call: how did it go? An outcome (keys 1-9), a note and a call-back time, in the window.

Not a dialog: the panel sits under the call status, so the rep can type the note while talking and
still paste the next number. Keyboard only: a digit picks an outcome and moves on to the note (so
"1" then a sentence is an outcome and its note; Alt and a digit changes it), Enter saves, Esc
skips. The outcome is written to the call log off the GUI thread. Nothing typed is lost: a note is
kept when the rep skips, when the next call replaces the panel and when the window closes.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.callback_times import WorkWeek, default_callback_time, quick_picks
from a1dialer.core.calllog import CallLog
from a1dialer.core.outcomes import CALL_BACK, outcome_label
from a1dialer.core.translation import N_, _, pgettext
from a1dialer.ui.local_time import date_time_edit_format
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, error_sentence

log = logging.getLogger(__name__)

OUTCOME_COLUMNS = 3
NOTE_MAX = 2000
SAVE_FAILED = N_("The outcome could not be saved")
PICK_FIRST = N_("Pick an outcome first (keys 1-9), or press Esc to skip.")
# The "next week" quick pick, named after its day (ISO 1 = Monday): one whole phrase per day,
# since "next" takes the day's gender or case in many languages.
NEXT_WEEKDAY = {
    1: N_("Next Monday"),
    2: N_("Next Tuesday"),
    3: N_("Next Wednesday"),
    4: N_("Next Thursday"),
    5: N_("Next Friday"),
    6: N_("Next Saturday"),
    7: N_("Next Sunday"),
}


@dataclass(frozen=True)
class CallToLog:
    """The call the panel asks about."""

    uuid: str
    number: str  # as shown, "+1 208-555-1234"
    name: str = ""

    @property
    def who(self) -> str:
        if not self.name:
            return self.number
        # Translators: a contact's name and phone number, said in sentences about the call.
        return _("{name} ({number})").format(name=self.name, number=self.number)


@dataclass(frozen=True)
class SavedOutcome:
    """What the rep saved for a call."""

    call: CallToLog
    outcome: str
    note: str
    callback_at: datetime | None  # aware, UTC


def locale_work_week(locale: QLocale | None = None) -> WorkWeek:
    """The working days and first day of the week of ``locale`` (the rep's, by default)."""
    locale = locale or QLocale()
    return WorkWeek(
        frozenset(day.value for day in locale.weekdays()), locale.firstDayOfWeek().value
    )


def _as_qt(moment: datetime) -> QDateTime:
    """A local wall-clock time for the date-time editor."""
    return QDateTime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    )


class OutcomePanel(QFrame):
    """Asks for the outcome of the last placed call; saves it with ``CallLog.set_outcome``.

    Signals:
        saved(object): the outcome was stored; carries a ``SavedOutcome``.
        closed(): the panel was hidden, after Save or Skip (the window puts the focus back).
    """

    saved = Signal(object)
    closed = Signal()

    def __init__(
        self,
        call_log: CallLog,
        tasks: TaskRunner,
        outcomes: tuple[str, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outcomePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(_("Call outcome"))
        self._log = call_log
        self._tasks = tasks
        self._call: CallToLog | None = None
        self._saving = False

        self.title = QLabel(self)
        self.title.setObjectName("outcomeTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)

        self.choices = QWidget(self)
        self.choices.setObjectName("outcomeChoices")
        self._grid = QGridLayout(self.choices)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.buttonToggled.connect(self._picked)
        self.buttons: list[QRadioButton] = []

        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("outcomeNote")
        self.note_edit.setPlaceholderText(_("Note (optional)"))
        self.note_edit.setAccessibleName(_("Note about the call"))
        self.note_edit.setMaxLength(NOTE_MAX)
        self.note_edit.setClearButtonEnabled(True)

        self.callback_label = QLabel(_("Call &back at:"), self)
        self.callback_edit = QDateTimeEdit(self)
        self.callback_edit.setObjectName("outcomeCallbackAt")
        self.callback_edit.setAccessibleName(_("Call back at"))
        self.callback_edit.setCalendarPopup(True)
        self.callback_edit.setDisplayFormat(date_time_edit_format())
        self.callback_label.setBuddy(self.callback_edit)
        self.quick_buttons: dict[str, QPushButton] = {}
        # Two by two under the time: four in a row are cut off in a narrow dialer column (and in
        # German or Russian at any width).
        quick_grid = QGridLayout()
        quick_grid.setSpacing(4)
        for index, (key, text) in enumerate(
            (
                ("in_one_hour", _("In 1 hour")),
                ("this_afternoon", _("This afternoon")),
                ("tomorrow_morning", _("Tomorrow morning")),
                ("next_week", ""),  # named after the day in ``_name_quick_picks``
            )
        ):
            button = QPushButton(text, self)
            button.setObjectName("outcomeCallback_" + key)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, key=key: self.pick_callback_time(key))
            quick_grid.addWidget(button, *divmod(index, 2))
            self.quick_buttons[key] = button
        callback_row = QGridLayout()
        callback_row.addWidget(self.callback_label, 0, 0)
        callback_row.addWidget(self.callback_edit, 0, 1)
        callback_row.addLayout(quick_grid, 1, 0, 1, 2)
        callback_row.setColumnStretch(1, 1)
        self.callback_row = QWidget(self)
        self.callback_row.setObjectName("outcomeCallbackRow")
        self.callback_row.setLayout(callback_row)
        callback_row.setContentsMargins(0, 0, 0, 0)
        self.callback_row.hide()

        self.save_button = QPushButton(pgettext("button", "Save"), self)
        self.save_button.setObjectName("outcomeSave")
        self.save_button.setAccessibleName(_("Save the outcome"))
        self.save_button.setToolTip(_("Save the outcome and note (Enter)"))
        self.save_button.clicked.connect(self.save)
        self.skip_button = QPushButton(pgettext("button", "Skip"), self)
        self.skip_button.setObjectName("outcomeSkip")
        self.skip_button.setAccessibleName(_("Skip the outcome"))
        self.skip_button.setToolTip(_("Close without saving an outcome (Esc)"))
        self.skip_button.clicked.connect(self.skip)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.save_button)

        self.message = StatusLabel("outcomeMessage", self)

        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        column.setSpacing(6)
        column.addWidget(self.title)
        column.addWidget(self.choices)
        column.addWidget(self.note_edit)
        column.addWidget(self.callback_row)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.set_outcomes(outcomes)
        self.hide()

    # --- what the rep can pick ----------------------------------------------------------------

    def set_outcomes(self, outcomes: tuple[str, ...]) -> None:
        """Offer ``outcomes`` (standard and custom); the first nine get the keys 1-9."""
        picked = self.outcome
        for button in self.buttons:
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = []
        for number, outcome in enumerate(outcomes, start=1):
            shown = outcome_label(outcome)
            text = f"&{number} {shown}" if number <= 9 else shown.replace("&", "&&")
            button = QRadioButton(text, self.choices)
            button.setObjectName(f"outcome{number}")
            button.setAccessibleName(shown)
            button.setProperty("outcome", outcome)
            button.installEventFilter(self)
            self.group.addButton(button, number)
            row, col = divmod(number - 1, OUTCOME_COLUMNS)
            self._grid.addWidget(button, row, col)
            self.buttons.append(button)
            if outcome == picked:
                button.setChecked(True)
        self._chain()

    def _chain(self) -> None:
        widgets: list[QWidget] = [
            *self.buttons,
            self.note_edit,
            self.callback_edit,
            *self.quick_buttons.values(),
            self.skip_button,
            self.save_button,
        ]
        for widget in widgets[len(self.buttons) :]:
            widget.installEventFilter(self)
        for first, second in itertools.pairwise(widgets):
            QWidget.setTabOrder(first, second)

    @property
    def outcome(self) -> str:
        button = self.group.checkedButton()
        return str(button.property("outcome")) if button is not None else ""

    def pick(self, outcome: str) -> None:
        for button in self.buttons:
            if button.property("outcome") == outcome:
                button.setChecked(True)
                return
        raise ValueError(f"no outcome {outcome!r}")

    @property
    def call(self) -> CallToLog | None:
        """The call being asked about while the panel is shown."""
        return self._call

    @property
    def saving(self) -> bool:
        return self._saving

    def has_input(self) -> bool:
        """Whether the rep picked an outcome or typed a note not saved yet."""
        return self._call is not None and bool(self.outcome or self.note_edit.text().strip())

    # --- asking -------------------------------------------------------------------------------

    def ask(self, call: CallToLog, *, focus: bool = True) -> None:
        """Show the panel for ``call``: nothing picked, no note, call back the next working day
        at 10:00."""
        self._call = call
        self.title.setText(_("How did the call to {who} go?").format(who=call.who))
        self.setAccessibleDescription(self.title.text())
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)
        self.note_edit.clear()
        self.callback_edit.setDateTime(
            _as_qt(default_callback_time(datetime.now(), locale_work_week()))
        )
        self._name_quick_picks()
        self.callback_row.hide()
        self.message.clear_message()
        self._update_buttons()
        self.show()
        if focus and self.buttons:
            self.buttons[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def pick_callback_time(self, key: str) -> None:
        """Set the call-back time to a quick pick (``in_one_hour``, ``this_afternoon``,
        ``tomorrow_morning`` or ``next_week``), counted from now."""
        picked = getattr(quick_picks(datetime.now(), locale_work_week()), key)
        if picked is not None:
            self.callback_edit.setDateTime(_as_qt(picked))
        self._name_quick_picks()

    def _name_quick_picks(self) -> None:
        week = locale_work_week()
        picks = quick_picks(datetime.now(), week)
        locale = QLocale()
        self.quick_buttons["next_week"].setText(_(NEXT_WEEKDAY[picks.next_week.isoweekday()]))
        # Once the afternoon has begun, "this afternoon" would mean a time already past.
        self.quick_buttons["this_afternoon"].setEnabled(picks.this_afternoon is not None)
        for key, button in self.quick_buttons.items():
            moment = getattr(picks, key)
            if moment is not None:
                when = locale.toString(_as_qt(moment), QLocale.FormatType.ShortFormat)
                button.setToolTip(_("Call back {when}").format(when=when))
                button.setAccessibleDescription(button.toolTip())

    def callback_at(self) -> datetime | None:
        """The chosen call-back time in UTC, when the outcome is "Call back"."""
        if self.outcome != CALL_BACK:
            return None
        local = self.callback_edit.dateTime().toPython()
        assert isinstance(local, datetime)
        return local.astimezone().astimezone(UTC)

    def save(self) -> None:
        """Store the picked outcome and the note for the call; the panel closes when stored."""
        call = self._call
        if call is None or self._saving:
            return
        outcome = self.outcome
        if not outcome:
            self.message.show_message(_(PICK_FIRST), "warning")
            (self.buttons[0] if self.buttons else self.note_edit).setFocus()
            return
        saved = SavedOutcome(call, outcome, self.note_edit.text().strip(), self.callback_at())
        self._saving = True
        self._update_buttons()
        self.message.show_message(_("Saving…"))
        self._tasks.run(
            lambda: self._log.set_outcome(call.uuid, outcome, saved.note, saved.callback_at),
            lambda _result, error: self._stored(saved, error),
            owner=self,
        )

    def _unsaved(self) -> SavedOutcome | None:
        """What the rep entered and did not save yet (an outcome, a note or both)."""
        call = self._call
        if call is None or self._saving or not self.has_input():
            return None
        return SavedOutcome(call, self.outcome, self.note_edit.text().strip(), self.callback_at())

    def save_quietly(self) -> None:
        """Keep what the rep entered when the next call replaces the panel (nothing is lost)."""
        saved = self._unsaved()
        if saved is None:
            return
        self._tasks.run(
            lambda: self._log.set_outcome(
                saved.call.uuid, saved.outcome, saved.note, saved.callback_at
            ),
            lambda _result, error: self._stored_quietly(saved, error),
            owner=self,
        )

    def save_now(self) -> None:
        """Keep what the rep entered at once, on this thread: the window is closing and a
        worker might not finish. The panel stays as it is."""
        saved = self._unsaved()
        if saved is None:
            return
        try:
            self._log.set_outcome(saved.call.uuid, saved.outcome, saved.note, saved.callback_at)
        except Exception:
            log.exception("Keeping the note of %s at close failed", saved.call.uuid)

    def skip(self) -> None:
        """Close without an outcome; a note typed is still kept with the call."""
        if self._saving:
            return
        if self.note_edit.text().strip():
            self.save_quietly()
        self._close()

    def _stored(self, saved: SavedOutcome, error: BaseException | None) -> None:
        self._saving = False
        self._update_buttons()
        if error is not None:
            self.message.show_message(error_sentence(error, _(SAVE_FAILED)), "error")
            return
        self.saved.emit(saved)
        if self._call == saved.call:
            self._close()

    def _stored_quietly(self, saved: SavedOutcome, error: BaseException | None) -> None:
        if error is None:
            self.saved.emit(saved)
        else:
            log.error("Saving the outcome of %s failed", saved.call.uuid, exc_info=error)

    def _close(self) -> None:
        self._call = None
        self.message.clear_message()
        self.hide()
        self.closed.emit()

    def _picked(self, button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        self.callback_row.setVisible(self.outcome == CALL_BACK)
        if self.message.kind == "warning":
            self.message.clear_message()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(not self._saving)
        self.skip_button.setEnabled(not self._saving)

    # --- keys ---------------------------------------------------------------------------------

    @classmethod
    def key_help(cls) -> list[tuple[str, str]]:
        """The keys handled here, for the list of shortcuts."""
        return [
            (
                # Translators: the keys of the outcome panel, as written on the keyboard.
                _("1-9, Enter, Esc"),
                _("after a call: pick the outcome, save it, or skip"),
            )
        ]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        typing = watched in (self.note_edit, self.callback_edit)
        handled = key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter) or (
            not typing and Qt.Key.Key_1 <= key <= Qt.Key.Key_9
        )
        if not handled:
            if kind == QEvent.Type.KeyPress and watched in self.buttons and _printable(event):
                # Typing on the outcomes goes to the note rather than vanishing.
                self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self.note_edit.insert(event.text())
                return True
            return False
        if kind == QEvent.Type.ShortcutOverride:
            # Claim the key from the window's shortcuts (Esc clears the number there).
            event.accept()
            return True
        if event.isAutoRepeat():
            return True
        if key == Qt.Key.Key_Escape or watched is self.skip_button:
            self.skip()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save()
        else:
            index = key - Qt.Key.Key_1
            if index < len(self.buttons):
                self.buttons[index].setChecked(True)
                # What the rep types next is the note (a digit included): "1" then a sentence.
                self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True


def _printable(event: QKeyEvent) -> bool:
    text = event.text()
    return bool(text) and text.isprintable()
