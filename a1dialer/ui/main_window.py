"""The dialer window: the number and its live preview, the call options, Call, and the outcome.

Keyboard first: Enter or Ctrl+Enter calls, Ctrl+L goes to the number, Esc clears, and digits typed
while any control has focus go to the number. A call runs on the task runner (``CallPlacer``), so
the window stays responsive while the PBX rings the rep's phone; one click, a double click or a
held Enter key sends one originate. Calling a number the PBX took (or may have taken) in the last
two minutes asks for one more Enter first, whichever path (tray, link, hotkey, list) dials it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME, __version__
from a1dialer.core import paths
from a1dialer.core.errors import AuthRejected, BadInput, DialerError, LocalProblem, OutcomeUnknown
from a1dialer.core.settings import RINGBACK_TONES, Settings
from a1dialer.ui.call_placer import CallAttempt, CallPlacer
from a1dialer.ui.contact_name import ContactNameGuard, number_key
from a1dialer.ui.country_picker import CountryPicker
from a1dialer.ui.dial_pad import PAD_CHARACTERS, DialPad, scaled_font
from a1dialer.ui.icons import app_icon, icon, palette_icon
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, shared_tasks

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent
    from PySide6.QtWidgets import QPlainTextEdit

    from a1dialer.core.calllog import CallLog, CallRecord
    from a1dialer.core.numbers import DialTarget
    from a1dialer.pbx.client import CallPlaced, PbxClient
    from a1dialer.ui.call_followup import CallFollowUp
    from a1dialer.ui.history_view import HistoryView
    from a1dialer.ui.player_widget import RecordingPlayerDialog

log = logging.getLogger(__name__)

WINDOW_STATE_FILE = "window.ini"
# Width given to the history dock when the rep opens it.
HISTORY_WIDTH = 720
# Set on the application while it quits for real, so closing the window is not "hide to tray".
QUITTING_PROPERTY = "a1dialerQuitting"
DEFAULT_WIDTH = 400
# A problem with a half-typed number is pointed out once the rep pauses, not on every keystroke.
PREVIEW_PROBLEM_DELAY_MS = 500
EMPTY_HINT = "Type or paste a number in any format"
# Calling a number again this soon after a call the PBX took (or may have taken) asks first.
REDIAL_GUARD_S = 120
# The confirming Enter counts this long after the question (and not as its double click).
CONFIRM_WINDOW_MS = 10_000
# The Call button's green is the one brand colour of the window besides the icon; white on it
# reads at 5.3:1, and the window's own palette never shows through, so light and dark both work.
CALL_BUTTON_STYLE = """
QPushButton#callButton {
    background-color: #1e7e34; color: #ffffff; border: none; border-radius: 8px;
    padding: 8px 16px;
}
QPushButton#callButton:hover { background-color: #1a6f2e; }
QPushButton#callButton:pressed { background-color: #145724; }
QPushButton#callButton:focus { border: 2px solid palette(highlight); }
QPushButton#callButton:disabled { background-color: #5b8f68; color: #e6efe8; }
"""
# The demo banner brings its own background, so its dark text reads in either theme.
DEMO_BANNER_STYLE = """
QLabel#demoBanner {
    background-color: #ffcf40; color: #1f1a00; padding: 7px 14px;
    border-bottom: 1px solid #c79a00;
}
"""
SHORTCUTS = (
    ("Enter or Ctrl+Enter", "call the number"),
    ("Ctrl+L", "go to the number field"),
    ("Esc", "clear the number and name"),
    ("Ctrl+Backspace", "clear the number"),
    ("Digits, *, #, +", "typed anywhere, go to the number"),
    ("Ctrl+V", "paste a number from anywhere in the window"),
    ("Menu key or Shift+F10", "in a table: the menu of the row you are on"),
    ("Hold 0 on the dial pad", "type +"),
    ("Ctrl+,", "settings"),
    ("Ctrl+Shift+L", "call lists"),
    ("Ctrl+N", "dial the next number of the call list"),
    ("Ctrl+Shift+K", "skip a number of the call list"),
    ("1-9, Enter, Esc", "after a call: pick the outcome, save it, or skip"),
)


class CallOptionsPanel(QWidget):
    """Ringback tone, auto-answer and record for the next call, pre-set from settings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callOptions")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)

        self.ringback_combo = QComboBox(self)
        self.ringback_combo.setObjectName("ringbackCombo")
        for tone, tone_name in RINGBACK_TONES.items():
            self.ringback_combo.addItem(tone_name, tone)
        self.ringback_combo.setAccessibleName("Ringback tone")
        self.ringback_combo.setAccessibleDescription(
            "The tone you hear while the customer's phone rings"
        )
        self.ringback_combo.setToolTip("What you hear while the customer's phone rings")
        label = QLabel("&Ringback tone:", self)
        label.setObjectName("ringbackLabel")
        label.setBuddy(self.ringback_combo)
        ringback_row = QHBoxLayout()
        ringback_row.setSpacing(8)
        ringback_row.addWidget(label)
        ringback_row.addWidget(self.ringback_combo, 1)
        column.addLayout(ringback_row)

        self.auto_answer_check = QCheckBox("&Auto-answer my phone", self)
        self.auto_answer_check.setObjectName("autoAnswerCheck")
        self.auto_answer_check.setAccessibleName("Auto-answer my phone")
        self.auto_answer_check.setAccessibleDescription(
            "Your desk phone answers by itself, so the customer is dialled at once"
        )
        self.auto_answer_check.setToolTip(
            "Your desk phone answers by itself, so the customer is dialled at once "
            "(if your phone supports it)"
        )
        self.record_check = QCheckBox("R&ecord this call", self)
        self.record_check.setObjectName("recordCheck")
        self.record_check.setAccessibleName("Record this call")
        self.record_check.setAccessibleDescription("The PBX records the conversation")
        self.record_check.setToolTip("The PBX records the conversation")
        checks_row = QHBoxLayout()
        checks_row.setSpacing(16)
        checks_row.addWidget(self.auto_answer_check)
        checks_row.addWidget(self.record_check)
        checks_row.addStretch(1)
        column.addLayout(checks_row)

    @property
    def ringback(self) -> str:
        return str(self.ringback_combo.currentData())

    @ringback.setter
    def ringback(self, tone: str) -> None:
        self.ringback_combo.setCurrentIndex(max(0, self.ringback_combo.findData(tone)))

    def follow_new_defaults(self, old: Settings, new: Settings) -> None:
        """The rep changed a default in Settings: show it, leave the others as they were."""
        if new.ringback != old.ringback:
            self.ringback = new.ringback
        if new.auto_answer != old.auto_answer:
            self.auto_answer_check.setChecked(new.auto_answer)
        if new.record != old.record:
            self.record_check.setChecked(new.record)

    def restore(self, state: QSettings, settings: Settings) -> None:
        """The options of the last run, or the defaults from settings."""
        tone = str(state.value("options/ringback", settings.ringback))
        self.ringback = tone if tone in RINGBACK_TONES else settings.ringback
        self.auto_answer_check.setChecked(
            _as_bool(state.value("options/auto_answer"), settings.auto_answer)
        )
        self.record_check.setChecked(_as_bool(state.value("options/record"), settings.record))

    def save(self, state: QSettings) -> None:
        state.setValue("options/ringback", self.ringback)
        state.setValue("options/auto_answer", self.auto_answer_check.isChecked())
        state.setValue("options/record", self.record_check.isChecked())


class CallStatus(QFrame):
    """Where the window says what is happening: ready, ringing, placed (with the call id), failed.

    A failure shows its one sentence; the technical details open on demand. The text can be
    selected and copied, and the call id has its own Copy button.

    Signals:
        settings_requested: the rep clicked "Open Settings" under a problem only Settings fixes.
        details_created(object): the details box was made (the first time details were shown).
    """

    settings_requested = Signal()
    details_created = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusArea")
        self.call_id = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(2, 4, 2, 0)
        column.setSpacing(4)

        self.label = StatusLabel("statusLabel", self)
        self.label.setAccessibleName("Call status")
        self.label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.setMinimumHeight(self.label.fontMetrics().lineSpacing() * 2 + 2)
        column.addWidget(self.label)

        self.details_button = self._button("detailsButton", "Details", "Show the technical details")
        self.details_button.setCheckable(True)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = self._button("copyCallIdButton", "Copy call id", "Copy the call id")
        self.copy_button.setToolTip("Copy the call id to the clipboard")
        self.copy_button.clicked.connect(self.copy_call_id)
        self.settings_button = self._button("openSettingsButton", "Open Settings", "Open Settings")
        self.settings_button.clicked.connect(self.settings_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.details_button, self.copy_button, self.settings_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)

        self._details = ""
        self._details_text: QPlainTextEdit | None = None

    @property
    def details_text(self) -> QPlainTextEdit:
        """The technical details box, made the first time it is needed (not before the paint)."""
        if self._details_text is None:
            from PySide6.QtGui import QFontDatabase, QTextOption
            from PySide6.QtWidgets import QPlainTextEdit

            text = QPlainTextEdit(self)
            text.setObjectName("detailsText")
            text.setReadOnly(True)
            text.setAccessibleName("Technical details")
            fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            text.setFont(scaled_font(fixed, 0.9))
            # Details hold URLs and excerpts with no spaces; they must wrap, not widen the window.
            text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            text.setFixedHeight(text.fontMetrics().lineSpacing() * 4 + 14)
            text.setPlainText(self._details)
            text.hide()
            column = self.layout()
            assert column is not None
            column.addWidget(text)
            QWidget.setTabOrder(self.settings_button, text)
            self._details_text = text
            self.details_created.emit(text)
        return self._details_text

    def _button(self, name: str, text: str, accessible: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAccessibleName(accessible)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.hide()
        return button

    @property
    def focusable(self) -> tuple[QWidget, ...]:
        made = (self._details_text,) if self._details_text is not None else ()
        return (self.details_button, self.copy_button, self.settings_button, *made)

    def show_message(
        self, text: str, kind: str = "note", *, details: str = "", settings: bool = False
    ) -> None:
        """Show ``text``; a Details toggle when there are ``details``; Open Settings if asked."""
        self.call_id = ""
        self.label.show_message(text, kind)
        self._set_buttons(details=details, call_id=False, settings=settings)

    def show_placed(self, text: str, call_id: str, log_problem: str = "") -> None:
        """The PBX accepted the call; ``log_problem`` says the call log could not take it."""
        if log_problem:
            self.label.show_message(f"{text}\nCall id {call_id}\n{log_problem}", "warning")
        else:
            self.label.show_message(f"{text}\nCall id {call_id}", "ok")
        self.call_id = call_id
        self._set_buttons(details="", call_id=True, settings=False)

    def show_unknown(self, text: str, call_id: str, details: str) -> None:
        """The PBX may be calling: neither placed nor failed; the call id is in the details."""
        self.label.show_message(text, "warning")
        self.call_id = call_id
        self._set_buttons(details=details, call_id=True, settings=False)

    def copy_call_id(self) -> None:
        if self.call_id:
            QGuiApplication.clipboard().setText(self.call_id)
            self.copy_button.setText("Copied")
            QTimer.singleShot(1500, self, lambda: self.copy_button.setText("Copy call id"))

    @property
    def text(self) -> str:
        return self.label.text()

    @property
    def kind(self) -> str:
        return self.label.kind

    def _set_buttons(self, *, details: str, call_id: bool, settings: bool) -> None:
        self._details = details
        if self._details_text is not None:
            self._details_text.setPlainText(details)
        self.details_button.setChecked(False)
        self.details_button.setVisible(bool(details))
        self.copy_button.setVisible(call_id)
        self.settings_button.setVisible(settings)
        self._update_icons()

    def _toggle_details(self, shown: bool) -> None:
        if shown or self._details_text is not None:
            self.details_text.setVisible(shown)
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
        self.details_button.setAccessibleName(
            "Hide the technical details" if shown else "Show the technical details"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_icons()

    def _update_icons(self) -> None:
        """Tint the icons of the buttons on show; hidden ones get theirs when they appear."""
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        for button, name in ((self.copy_button, "copy"), (self.settings_button, "settings")):
            if not button.isHidden():
                button.setIcon(palette_icon(name, colour))


READ_ONLY_SENTENCE = (
    "The call log cannot be written (its folder or disk is read-only or full): the history "
    "and saved recordings still open, but no call can be placed until that folder is writable."
)


class MainWindow(QMainWindow):
    """The dialer window.

    ``settings`` are the rep's settings; ``call_log`` receives every call (through
    ``place_call``; without one the window opens the profile's after its first paint);
    ``demo_hint`` turns on the demo banner with that text. The window's size and
    the last call options are kept in ``window.ini`` in the profile folder.

    Signals:
        settings_changed(object): the rep saved new ``Settings`` (Settings dialog or wizard).
        first_painted(): the window has painted once; work the first paint need not wait for
            (the tray, the history) starts then.
        cannotRun(object): the call log could not be opened (a ``LocalProblem``); the app
            cannot go on.
        callLogDamaged(object): the call log turned out damaged after it was opened (a
            ``LocalProblem``, from any thread); said once in the status.
    """

    settings_changed = Signal(object)
    first_painted = Signal()
    cannotRun = Signal(object)
    callLogDamaged = Signal(object)

    def __init__(
        self,
        settings: Settings,
        call_log: CallLog | None = None,
        *,
        tasks: TaskRunner | None = None,
        demo_hint: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._settings = settings
        self._call_log = call_log
        self._call_log_lock = threading.Lock()
        self.history: HistoryView | None = None
        self._player: RecordingPlayerDialog | None = None
        self.demo = demo_hint is not None
        self.setWindowTitle(f"{APP_NAME} — Demo" if self.demo else APP_NAME)
        self.setWindowIcon(app_icon())
        # The application owns the runner: a call still held by the PBX when the window goes
        # away must deliver into a live runner (which then drops the gone window's callback).
        self.tasks = tasks or shared_tasks()
        self.placer = CallPlacer(settings, lambda: self.call_log, self.tasks, self)
        self.placer.started.connect(self._call_started)
        self.placer.placed.connect(self._call_placed)
        self.placer.failed.connect(self._call_failed)
        self.placer.unknown.connect(self._call_unknown)
        self.state = QSettings(
            str(paths.profile_dir() / WINDOW_STATE_FILE), QSettings.Format.IniFormat, self
        )
        self._target: DialTarget | None = None
        self._attempt: CallAttempt | None = None
        self._elapsed = QElapsedTimer()
        # Restarted at each call. Until a double-click interval has passed, Call does nothing
        # more, so a double click (or a click and Enter) sends one originate even when the PBX
        # answers at once. The button is not greyed for it: that would flicker after every call.
        self._last_start = QElapsedTimer()
        # The number text a "you called it moments ago" question was asked for, and since when.
        self._confirm_for: str | None = None
        self._confirm_asked = QElapsedTimer()
        self.redial_question = ""
        self._warmed_up = False
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._show_ringing)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_PROBLEM_DELAY_MS)
        self._preview_timer.timeout.connect(lambda: self._update_preview(reveal=True))

        self._build(demo_hint)
        self._build_history_dock()
        self._refused = False
        self._follow_up: CallFollowUp | None = None
        self._build_menus()
        self._restore_state()
        self._update_preview(reveal=True)
        self._show_ready()
        self._update_call_button()

    # ----------------------------------------------------------------------------------- layout

    def _build(self, demo_hint: str | None) -> None:
        central = QWidget(self)
        central.setObjectName("central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.setCentralWidget(central)
        self.demo_banner: QLabel | None = None
        if demo_hint is not None:
            self.demo_banner = self._make_demo_banner(demo_hint, central)
            outer.addWidget(self.demo_banner)

        body = QWidget(central)
        body.setObjectName("body")
        column = QVBoxLayout(body)
        column.setContentsMargins(16, 14, 16, 14)
        column.setSpacing(8)
        outer.addWidget(body, 1)

        self.number_edit = self._make_number_edit(body)
        self.country_combo = CountryPicker(self._settings.default_country, body)
        self.country_combo.currentIndexChanged.connect(self._country_picked)
        number_row = QHBoxLayout()
        number_row.setSpacing(6)
        number_row.addWidget(self.number_edit, 1)
        number_row.addWidget(self.country_combo)
        column.addLayout(number_row)
        self.preview_label = StatusLabel("previewLabel", body)
        self.preview_label.setAccessibleName("What will be dialled")
        self.preview_label.setContentsMargins(2, 0, 2, 2)
        column.addWidget(self.preview_label)
        self.name_edit = self._make_name_edit(body)
        self.name_guard = ContactNameGuard(self.name_edit)
        column.addWidget(self.name_edit)
        column.addSpacing(4)

        self.dial_pad = DialPad(body)
        self.dial_pad.typed.connect(self._pad_typed)
        self.dial_pad.backspace_pressed.connect(self._pad_backspace)
        self.dial_pad.clear_pressed.connect(self.clear_number)
        column.addWidget(self.dial_pad)
        column.addSpacing(2)

        self.options = CallOptionsPanel(body)
        self.ringback_combo = self.options.ringback_combo
        self.auto_answer_check = self.options.auto_answer_check
        self.record_check = self.options.record_check
        column.addWidget(self.options)
        column.addSpacing(4)

        self.call_button = self._make_call_button(body)
        column.addWidget(self.call_button)
        self.status = CallStatus(body)
        self.status.settings_requested.connect(self.open_settings)
        # Keys in the details box reach the window as from the other controls (made later).
        self.status.details_created.connect(lambda text: text.installEventFilter(self))
        self.status_label = self.status.label
        column.addWidget(self.status)
        column.addStretch(1)

        chain: list[QWidget] = [
            self.number_edit,
            self.country_combo,
            self.name_edit,
            self.ringback_combo,
            self.auto_answer_check,
            self.record_check,
            self.call_button,
            *self.status.focusable,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        for widget in (self, *chain, self.status_label):
            widget.installEventFilter(self)
        self.number_edit.setFocus()

    def _make_demo_banner(self, text: str, parent: QWidget) -> QLabel:
        banner = QLabel(text, parent)
        banner.setObjectName("demoBanner")
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.PlainText)
        banner.setStyleSheet(DEMO_BANNER_STYLE)
        banner.setAccessibleName("Demo mode")
        banner.setAccessibleDescription(text)
        return banner

    def _make_number_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName("numberEdit")
        edit.setPlaceholderText("Number to call")
        edit.setClearButtonEnabled(True)
        edit.setMaxLength(200)
        edit.setAccessibleName("Number to call")
        edit.setToolTip(
            "Type or paste a number in any format: (208) 555-1234, +44 20 7946 0123, "
            "1-800-FLOWERS, a tel: link or an extension. Ctrl+L comes back here."
        )
        edit.setFont(scaled_font(edit.font(), 1.6))
        edit.setTextMargins(6, 5, 6, 5)
        edit.textChanged.connect(self._number_changed)
        edit.editingFinished.connect(lambda: self.name_guard.settle())
        return edit

    def _make_name_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName("nameEdit")
        edit.setPlaceholderText("Contact name (optional)")
        edit.setClearButtonEnabled(True)
        edit.setMaxLength(80)
        edit.setAccessibleName("Contact name")
        edit.setAccessibleDescription(
            "Optional. Shown on your phone while it rings, so you know who you are calling"
        )
        edit.setToolTip("Shown on your phone while it rings")
        edit.setTextMargins(2, 2, 2, 2)
        return edit

    def _make_call_button(self, parent: QWidget) -> QPushButton:
        button = QPushButton("Call", parent)
        button.setObjectName("callButton")
        button.setIcon(icon("call"))
        button.setIconSize(QSize(22, 22))
        button.setStyleSheet(CALL_BUTTON_STYLE)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        font = scaled_font(button.font(), 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        button.setFont(font)
        button.setMinimumHeight(max(48, button.fontMetrics().height() * 2 + 8))
        button.setAccessibleName("Call")
        button.setAccessibleDescription(
            "Rings your phone first, then the PBX calls the number (Enter)"
        )
        button.setToolTip("Ring your phone, then call the number (Enter)")
        button.clicked.connect(self.dial)
        return button

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setObjectName("settingsAction")
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([QKeySequence("Ctrl+,"), *preferences])
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        open_recording = QAction("Open &recording by call id…", self)
        open_recording.setObjectName("openRecordingAction")
        open_recording.setShortcut(QKeySequence("Ctrl+O"))
        open_recording.triggered.connect(self.open_recording_by_id)
        file_menu.addActions([open_recording, self.settings_action])
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.quit_app)
        file_menu.addAction(quit_action)

        call_menu = menu_bar.addMenu("&Call")
        self.call_action = QAction("&Call", self)
        self.call_action.setObjectName("callAction")
        self.call_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.call_action.setAutoRepeat(False)
        self.call_action.triggered.connect(self.dial)
        focus_action = QAction("Go to the &number", self)
        focus_action.setShortcut(QKeySequence("Ctrl+L"))
        focus_action.triggered.connect(self.focus_number)
        clear_action = QAction("C&lear the number and name", self)
        clear_action.setShortcut(QKeySequence("Esc"))
        clear_action.triggered.connect(self.clear_all)
        # In the number field itself the key filter does this: the field claims Ctrl+Backspace.
        clear_number_action = QAction("Clear the n&umber", self)
        clear_number_action.setShortcut(QKeySequence("Ctrl+Backspace"))
        clear_number_action.triggered.connect(self.clear_number)
        call_menu.addActions([self.call_action, focus_action, clear_action, clear_number_action])
        call_menu.addSeparator()
        self.dial_pad_action = QAction("Show the &dial pad", self)
        self.dial_pad_action.setCheckable(True)
        self.dial_pad_action.setChecked(True)
        self.dial_pad_action.toggled.connect(self.dial_pad.setVisible)
        call_menu.addAction(self.dial_pad_action)

        view_menu = menu_bar.addMenu("&View")
        history_action = self.history_dock.toggleViewAction()
        history_action.setText("Call &history")
        history_action.setShortcut(QKeySequence("Ctrl+H"))
        history_action.triggered.connect(self._make_room_for_history)
        view_menu.addAction(history_action)
        self._view_menu = view_menu

        help_menu = menu_bar.addMenu("&Help")
        self._help_menu = help_menu
        shortcuts_action = QAction("&Keyboard shortcuts", self)
        shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        shortcuts_action.triggered.connect(self._show_shortcuts)
        about_action = QAction(f"&About {APP_NAME}", self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self._show_about)
        help_menu.addActions([shortcuts_action, about_action])

    # ------------------------------------------------------------------------------ public API

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def target(self) -> DialTarget | None:
        """What the number field will dial, or ``None`` while it cannot be dialled."""
        return self._target

    @property
    def call_log(self) -> CallLog:
        """The call log. A window given none opens the profile's once it has painted (sqlite
        need not delay the paint), or at first use; ``LocalProblem`` if it cannot."""
        with self._call_log_lock:  # a call placed at once may ask for it from its worker
            if self._call_log is None:
                from a1dialer.core.calllog import CallLog

                self._call_log = CallLog()
            return self._call_log

    @property
    def follow_up(self) -> CallFollowUp:
        """Call lists, the outcome panel, CRM hooks, reminders and the do-not-call check.

        Built after the first paint (``_warm_up``), or at first use if that comes sooner: the
        first paint does not wait for the lists' widgets and modules.
        """
        return self._follow_up or self._build_follow_up()

    def _build_follow_up(self) -> CallFollowUp:
        from a1dialer.ui.call_followup import CallFollowUp

        follow_up = CallFollowUp(self)
        self._view_menu.addAction(follow_up.dock_action)
        self.menuBar().insertMenu(self._help_menu.menuAction(), follow_up.dock.menu)
        follow_up.restore_state(self.state)
        self._follow_up = follow_up
        self.recheck_number()
        return follow_up

    @property
    def last_call_id(self) -> str:
        """The id of the call placed (or of unknown outcome) last, while it is shown; else
        empty."""
        return self.status.call_id

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings: for the next call, the preview, and changed per-call defaults."""
        old, self._settings = self._settings, settings
        self.placer.set_settings(settings)
        self.options.follow_new_defaults(old, settings)
        if settings.default_country != old.default_country:
            self.country_combo.set_default_country(settings.default_country)
        self._update_preview(reveal=True)
        if not self.placer.busy:
            self._show_ready()
        self.settings_changed.emit(settings)

    def set_number(self, text: str, name: str | None = None) -> None:
        """Put ``text`` (a number, a tel: link) in the number field, as if pasted.

        A number from elsewhere is one of the default country. ``name`` is the contact's name
        that came with it; without one, the name field keeps only a name of this same number.
        """
        self.country_combo.reset()
        self.number_edit.setText(text.strip())
        self._update_preview(reveal=True)
        if name is None:
            self.name_guard.drop_waiting()
        else:
            self.name_edit.setText(name.strip())
        self.focus_number()

    def recheck_number(self) -> None:
        """Check the number again (the do-not-call list changed)."""
        self._update_preview(reveal=self.preview_label.kind == "error")
        self._update_call_button()

    def dial(self) -> bool:
        """Call the number in the field. ``False`` if nothing was sent; the window shows why."""
        if self.placer.busy or self._in_double_click_guard():
            return False
        self._preview_timer.stop()
        self._update_preview(reveal=True)
        if self._target is None or self._refused:
            self.focus_number()
            return False
        if not self._redial_confirmed(self._target):
            return False
        self._last_start.start()
        self.name_guard.settle()
        return self.placer.place(
            self._target,
            contact_name=self.name_edit.text(),
            ringback=self.options.ringback,
            auto_answer=self.auto_answer_check.isChecked(),
            record=self.record_check.isChecked(),
        )

    @property
    def redial_confirmable(self) -> bool:
        """Whether Enter (or Call) now confirms "you called this number moments ago": asked for
        the number shown, not the second half of a double click, not too long ago."""
        if self._confirm_for != self.number_edit.text() or not self._confirm_asked.isValid():
            return False
        elapsed = self._confirm_asked.elapsed()
        return QApplication.doubleClickInterval() <= elapsed < CONFIRM_WINDOW_MS

    def _redial_confirmed(self, target: DialTarget) -> bool:
        """Whether ``target`` may be dialled now: ``False`` (and the question shown) when it was
        called moments ago and the rep has not pressed Enter again to confirm."""
        text = self.number_edit.text()
        if self.redial_confirmable:
            self._reset_redial_question()
            return True
        if (
            self._confirm_for == text
            and self._confirm_asked.isValid()
            and self._confirm_asked.elapsed() < QApplication.doubleClickInterval()
        ):
            return False  # the second click of a double click is no confirmation
        try:
            recent = self.call_log.recent_call_to(target.dial, REDIAL_GUARD_S)
        except DialerError as exc:  # placing the call tells the rep about the log, if it matters
            log.warning("Could not look for a recent call to %s: %s", target.dial, exc)
            return True
        if recent is None:
            self._reset_redial_question()
            return True
        seconds = max(1, int((datetime.now(UTC) - recent.started_at).total_seconds()))
        ago = _duration(seconds)
        if recent.status == "placed":
            question = f"You called {target.display} {ago} ago."
        else:
            question = (
                f"The PBX may still be calling {target.display} from {ago} ago: check your phone."
            )
        self.redial_question = f"{question} Press Enter again to call anyway."
        self._confirm_for = text
        self._confirm_asked.start()
        self.status.show_message(self.redial_question, "warning")
        return False

    def _reset_redial_question(self) -> None:
        self._confirm_for = None
        self._confirm_asked.invalidate()
        if self.redial_question and self.status.text == self.redial_question:
            self._show_ready()
        self.redial_question = ""

    def focus_number(self) -> None:
        self.number_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.number_edit.selectAll()

    def clear_number(self) -> None:
        self.number_edit.clear()
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_all(self) -> None:
        """Esc: a fresh start for the next call (number and name; the outcome stays)."""
        self.name_edit.clear()
        self.clear_number()

    def open_settings(self) -> Settings | None:
        """The Settings dialog; saved settings are used at once. ``None`` if cancelled."""
        from a1dialer.ui.settings_dialog import SettingsDialog

        saved = SettingsDialog.edit(self._settings, self)
        if saved is not None:
            self.apply_settings(saved)
        return saved

    def run_first_time_setup(self) -> Settings | None:
        """The setup wizard, for a rep with nothing configured."""
        from a1dialer.ui.setup_wizard import SetupWizard

        saved = SetupWizard.run_first_time(self)
        if saved is not None:
            self.apply_settings(saved)
        return saved

    def report_settings_problem(self, problem: LocalProblem) -> Settings | None:
        """Say the settings file cannot be read and offer Settings; the file is left alone."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("settingsProblemBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText("Your settings could not be read.")
        box.setInformativeText(
            f"{problem.sentence}\n\nThe file stays as it is until you save new settings."
        )
        open_button = box.addButton("Open Settings…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        if box.clickedButton() is open_button:
            return self.open_settings()
        return None

    def save_state(self) -> None:
        """Remember the window's size and the call options for the next start."""
        self.state.setValue("window/geometry", self.saveGeometry())
        self.state.setValue("window/dial_pad", self.dial_pad_action.isChecked())
        self.state.setValue("window/history", self.history_dock.isVisible())
        self.options.save(self.state)
        if self._follow_up is not None:
            self._follow_up.save_state(self.state)
        self.state.sync()

    # ------------------------------------------------------------------------------- the call

    @property
    def ready_to_call(self) -> bool:
        """Whether Call would place a call now (none in flight, not the tail of a double click)."""
        return not self.placer.busy and not self._in_double_click_guard()

    def _in_double_click_guard(self) -> bool:
        return (
            self._last_start.isValid()
            and self._last_start.elapsed() < QApplication.doubleClickInterval()
        )

    def _call_started(self, attempt: CallAttempt) -> None:
        if self._follow_up is None:  # so the call's outcome panel and hooks see its result
            self._build_follow_up()
        self._attempt = attempt
        self._elapsed.start()
        self._ticker.start()
        self._show_ringing()
        self._update_call_button()

    def _show_ringing(self) -> None:
        attempt = self._attempt
        if attempt is None:
            return
        seconds = self._elapsed.elapsed() // 1000
        then = "It answers by itself" if attempt.auto_answer else "Pick it up"
        self.status.show_message(
            f"Ringing your phone (ext {attempt.extension})... {seconds} s\n"
            f"{then}; then the PBX calls {attempt.target.display}."
        )

    def _call_placed(self, attempt: CallAttempt, placed: CallPlaced) -> None:
        self._call_finished()
        self.status.show_placed(
            f"Call placed: the PBX is now calling {attempt.target.display}."
            f"{ask_for_extension(attempt.target)}",
            placed.uuid,
            placed.log_problem,
        )
        self._reset_country_after(attempt.target)
        # The next paste or typed number replaces this one.
        if self.number_edit.hasFocus() or self.call_button.hasFocus():
            self.focus_number()

    def _call_failed(self, attempt: CallAttempt, error: DialerError) -> None:
        self._call_finished()
        self.status.show_message(
            error.sentence,
            "error",
            details=error.details,
            settings=isinstance(error, (AuthRejected, LocalProblem)),
        )

    def _call_unknown(self, attempt: CallAttempt, error: OutcomeUnknown) -> None:
        self._call_finished()
        self.status.show_unknown(
            f"The PBX may be calling your phone (ext {attempt.extension}): check it before "
            "calling again.",
            attempt.call_id,
            f"Call id {attempt.call_id}\n{error.sentence}\n{error.details}".strip(),
        )

    def _call_finished(self) -> None:
        self._ticker.stop()
        self._attempt = None
        self._update_call_button()

    def _update_call_button(self) -> None:
        busy = self.placer.busy
        self.call_button.setEnabled(not busy and not self._refused)
        self.call_button.setText("Calling…" if busy else "Call")
        self.call_action.setEnabled(not busy and not self._refused)

    def _show_ready(self) -> None:
        missing = self._settings.missing_for_calls()
        if missing:
            self.status.show_message(
                f"Not set up yet: {', '.join(missing)} missing. Open Settings to finish.",
                "warning",
                settings=True,
            )
        else:
            self.status.show_message(
                f"Ready. Your phone (ext {self._settings.extension}) rings first, "
                "then the PBX calls the number."
            )

    # ---------------------------------------------------------------------------- the number

    def _number_changed(self, text: str) -> None:
        # A paste from a spreadsheet or an e-mail can bring tabs and line breaks along.
        if any(c in text for c in "\t\r\n"):
            self.number_edit.setText(" ".join(text.split()))
            return
        if self._confirm_for is not None and text != self._confirm_for:
            self._reset_redial_question()
        if not text:  # the next number is one of the default country again
            self.country_combo.reset()
        self._update_preview(reveal=False)

    def _country_picked(self, _index: int) -> None:
        self._update_preview(reveal=True)

    def _reset_country_after(self, target: DialTarget) -> None:
        """After a call to a number of a picked country, the default country again.

        The number stays for a redial, written with its country code so it still reads as the
        number just called; a number the rep has started typing meanwhile keeps the pick.
        """
        if self.country_combo.country == self.country_combo.default_country:
            return
        if self._target is None or number_key("", self._target) != number_key("", target):
            return
        hint = f" ext. {target.extension_hint}" if target.extension_hint else ""
        self.number_edit.setText(target.display + hint)
        self.country_combo.reset()

    def _update_preview(self, *, reveal: bool) -> None:
        text = self.number_edit.text()
        self._preview_timer.stop()
        if self._refused:
            self._refused = False
            self._update_call_button()
        if not text.strip():
            self._target = None
            self.name_guard.follow("", complete=False)
            self.preview_label.show_message(EMPTY_HINT, "note")
            self.number_edit.setAccessibleDescription(EMPTY_HINT)
            return
        from a1dialer.ui.country_picker import target_for_country

        try:
            # What ``placing.target_for`` does, for the country picked for this call, without
            # pulling the PBX client (requests) onto the GUI thread.
            self._target = target_for_country(text, self.country_combo.country, self._settings)
        except BadInput as exc:
            self._target = None
            self.name_guard.follow(number_key(text, None), complete=False)
            self.number_edit.setAccessibleDescription(exc.sentence)
            if reveal or self.preview_label.kind == "error":
                self.preview_label.show_message(exc.sentence, "error")
            else:
                self._preview_timer.start()
            return
        self.name_guard.follow(
            number_key(text, self._target), complete=not self._target.is_extension
        )
        shown = self._target.describe()
        refusal = self._follow_up.refusal(self._target) if self._follow_up is not None else ""
        if refusal:
            self._refused = True
            self._update_call_button()
            shown = f"{shown}\n{refusal}"
        self.preview_label.show_message(shown, "error" if refusal else "ok")
        self.number_edit.setAccessibleDescription(shown)

    def _pad_typed(self, character: str) -> None:
        self._keep_number_focus()
        self.number_edit.insert(character)

    def _pad_backspace(self) -> None:
        self._keep_number_focus()
        self.number_edit.backspace()

    def _keep_number_focus(self) -> None:
        if not self.number_edit.hasFocus():
            self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.number_edit.deselect()
            self.number_edit.end(False)

    # ------------------------------------------------------------------------------- keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key_pressed(watched, event)
        return super().eventFilter(watched, event)

    def _key_pressed(self, watched: QObject, event: QKeyEvent) -> bool:
        """Keys from any control of the window; ``True`` when the key was used here."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ControlModifier,
        ):
            if watched in self.status.focusable:
                return False
            # A held Enter repeats: only the first press may place a call.
            if not event.isAutoRepeat():
                self.dial()
            return True
        if (
            watched is self.number_edit
            and key == Qt.Key.Key_Backspace
            and modifiers == Qt.KeyboardModifier.ControlModifier
        ):
            self.clear_number()
            return True
        text = event.text()
        in_text_field = watched in (self.number_edit, self.name_edit)
        if text and text in PAD_CHARACTERS:
            if watched is self.number_edit:
                self.dial_pad.flash(text)
                return False
            if not in_text_field:
                self.dial_pad.flash(text)
                self._pad_typed(text)
                return True
        if event.matches(QKeySequence.StandardKey.Paste) and not in_text_field:
            self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.number_edit.selectAll()
            self.number_edit.paste()
            return True
        return False

    # --------------------------------------------------------------------------- window state

    def _restore_state(self) -> None:
        geometry = self.state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(DEFAULT_WIDTH, self.sizeHint().height())
        self.dial_pad_action.setChecked(_as_bool(self.state.value("window/dial_pad"), True))
        self.history_dock.setVisible(_as_bool(self.state.value("window/history"), False))
        self.options.restore(self.state, self._settings)

    # ------------------------------------------------------------------- history and recordings

    def _build_history_dock(self) -> None:
        """The history docks beside the dialer; its table is built after the first paint."""
        self.history_dock = QDockWidget("Call history", self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()

    def _fill_history_dock(self) -> None:
        from a1dialer.ui.history_view import HistoryView

        history = HistoryView(self.call_log, self.tasks, self.history_dock)
        history.redialRequested.connect(self.redial)
        history.playRequested.connect(self.play_recording)
        history.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
        history.doNotCallRequested.connect(self.follow_up.add_to_do_not_call)
        self.placer.started.connect(history.refresh)
        self.placer.placed.connect(history.refresh)
        self.placer.failed.connect(history.refresh)
        self.placer.unknown.connect(history.refresh)
        self.history_dock.setWidget(history)
        self.history = history

    def _make_room_for_history(self, shown: bool) -> None:
        """Widen the window for the history rather than squeezing the dialer."""
        if shown and not self.isMaximized():
            central = self.centralWidget()
            dialer_width = central.width() if central is not None else DEFAULT_WIDTH
            self.resize(max(self.width(), dialer_width + HISTORY_WIDTH), self.height())
            self.resizeDocks([self.history_dock], [HISTORY_WIDTH], Qt.Orientation.Horizontal)

    def redial(self, number: str, name: str = "") -> None:
        """Put a number (and its name) from the history into the dialer; Enter dials it."""
        self.set_number(number, name)
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.focus_number()

    def recording_player(self) -> RecordingPlayerDialog:
        """The one recording player, made at first use (QtMultimedia loads only then)."""
        if self._player is None:
            from a1dialer.core.recording_cache import RecordingCache
            from a1dialer.ui.player_widget import RecordingPlayerDialog

            self._player = RecordingPlayerDialog(
                RecordingCache(limit_mb=self._settings.recording_cache_mb),
                self.recording_client,
                self.tasks,
                self.call_log,
                self,
            )
            if self.history is not None:
                self._player.recordingReady.connect(self.history.refresh)
        return self._player

    def recording_client(self) -> PbxClient:
        """A PBX client for downloads; runs on the worker (it reads the keyring)."""
        from a1dialer.pbx.connect import client_for
        from a1dialer.pbx.placing import require_configured

        require_configured(self._settings)
        return client_for(self._settings)

    def play_recording(self, record: CallRecord) -> None:
        self.recording_player().open_call(record)

    def open_recording_by_id(self) -> None:
        player = self.recording_player()
        player.show()
        player.raise_()
        player.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._warmed_up:
            self._warmed_up = True
            QTimer.singleShot(0, self, self._warm_up)
            QTimer.singleShot(0, self, self.first_painted.emit)

    def _warm_up(self) -> None:
        """After the first paint, load the number rules (phonenumbers) off the GUI thread.

        They take a noticeable moment to load; done here, neither the first paint nor the rep's
        first keystroke waits for them.
        """
        try:
            self.call_log  # noqa: B018 - opened here when the window was given none
        except LocalProblem as unusable:
            log.error("Cannot open the call log: %s %s", unusable.sentence, unusable.details)
            self.cannotRun.emit(unusable)
            return
        self.callLogDamaged.connect(
            lambda problem: self.status.show_message(problem.sentence, "error")
        )
        self.call_log.on_damaged(self.callLogDamaged.emit)
        if self.call_log.read_only:
            self.status.show_message(READ_ONLY_SENTENCE, "warning")
        country = self._settings.default_country
        self.tasks.run(lambda: _load_number_rules(country), _log_warm_up, owner=self)
        self._fill_history_dock()
        self.follow_up.start()

    def quit_app(self) -> None:
        """Quit the app, not only this window (which the tray would keep alive)."""
        app = QApplication.instance()
        if app is None:
            self.close()
            return
        app.setProperty(QUITTING_PROPERTY, True)
        self.close()
        QApplication.quit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self._player is not None:
            self._player.close()
        if self.placer.busy:
            # The worker still writes the outcome; if the app quits first, the row stays pending
            # and becomes "unknown" at a later start, never "failed".
            log.info("Window closed while the PBX still holds a call; its outcome is still logged")
        super().closeEvent(event)

    # ---------------------------------------------------------------------------------- help

    def _show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td><b>{keys}</b>&nbsp;&nbsp;</td><td>{what}</td></tr>"
            for keys, what in SHORTCUTS
        )
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{rows}</table>")

    def _show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nClick-to-call for A1PBX phone systems: it asks your PBX "
            "to ring your own phone, then connects the number you dial.",
        )


def ask_for_extension(target: DialTarget) -> str:
    """The sentence that reminds the rep of the extension pasted with the number (the PBX
    cannot dial it: its API sends no tones), with a leading space; "" when there is none."""
    if not target.extension_hint:
        return ""
    return f" When the customer's line answers, ask for extension {target.extension_hint}."


def _load_number_rules(country: str) -> None:
    from a1dialer.core.numbers import parse_dial_input

    with contextlib.suppress(BadInput):  # only loading the country's metadata mattered
        parse_dial_input("2085550100", country)


def _log_warm_up(result: object, error: BaseException | None) -> None:
    if error is not None:
        log.warning("Preparing the call path failed: %s", error)


def _duration(seconds: int) -> str:
    """ "40 seconds", "1 minute", "1 minute 30 seconds"."""
    minutes, seconds = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    if seconds or not minutes:
        parts.append(f"{seconds} second{'s' if seconds != 1 else ''}")
    return " ".join(parts)


def _as_bool(value: object, default: bool) -> bool:
    """QSettings' INI format hands booleans back as the strings "true" and "false"."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")
