"""The dialer window: lays out the dialer panel, the menus and the docks, and keeps its size.

What the panel does (the number, its preview, the call) is the ``Dialer`` controller's; the keys
are ``KeyRouting``'s; the services come from the application object (``Services``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core import paths
from a1dialer.core.errors import LocalProblem
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _, pgettext
from a1dialer.ui.call_options import stored_bool
from a1dialer.ui.dialer import Dialer, load_number_rules
from a1dialer.ui.dialer_column import DialerColumn
from a1dialer.ui.dialer_panel import DialerPanel, demo_banner
from a1dialer.ui.history_dock import HistoryDock
from a1dialer.ui.icons import app_icon
from a1dialer.ui.key_routing import KeyRouting
from a1dialer.ui.services import Services
from a1dialer.ui.status_bar import ElidingStatusBar
from a1dialer.ui.window_dialogs import ask_to_open_settings, show_about, show_shortcuts
from a1dialer.ui.window_fit import fit_size, keep_on_screen

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from a1dialer.core.calllog import CallLog, CallRecord
    from a1dialer.ui.call_followup import CallFollowUp
    from a1dialer.ui.call_list_dock import CallListDock
    from a1dialer.ui.history_view import HistoryView
    from a1dialer.ui.player_widget import RecordingPlayerDialog

log = logging.getLogger(__name__)

# What the follow-up (call lists, outcome panel, reminders, do-not-call check) imports, loaded
# on a worker after the first paint so building it takes one short turn on the GUI thread.
FOLLOW_UP_MODULES = ("a1dialer.ui.call_followup", "a1dialer.core.do_not_call")

WINDOW_STATE_FILE = "window.ini"
# Set on the application while it quits for real, so closing the window is not "hide to tray".
QUITTING_PROPERTY = "a1dialerQuitting"
DEFAULT_WIDTH = 400
READ_ONLY_SENTENCE = N_(
    "The call log cannot be written (its folder or disk is read-only or full): the history "
    "and saved recordings still open, but no call can be placed until that folder is writable."
)


class MainWindow(QMainWindow):
    """The dialer window.

    ``services`` come from the application object (or ``Services.create`` for a window of its
    own); ``demo_hint`` turns on the demo banner with that text. The window's size and the last
    call options are kept in ``window.ini`` in the profile folder.

    Signals:
        first_painted(): the window has painted once; work the first paint need not wait for
            (the tray, the history) starts then.
        cannotRun(object): the call log could not be opened (a ``LocalProblem``); the app
            cannot go on.
        callLogDamaged(object): the call log turned out damaged after it was opened (a
            ``LocalProblem``, from any thread); said once in the status.
    """

    first_painted = Signal()
    cannotRun = Signal(object)
    callLogDamaged = Signal(object)

    def __init__(
        self, services: Services, *, demo_hint: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        # Start-up steps still to come build this window: none may run once it is gone.
        self.destroyed.connect(services.startup.stop)
        self.tasks = services.tasks
        self.placer = services.placer
        self._player: RecordingPlayerDialog | None = None
        self._follow_up: CallFollowUp | None = None
        self._list_dock: CallListDock | None = None
        self._painted = False
        self.demo = demo_hint is not None
        # Translators: {app} is the product name, A1 Dialer.
        self.setWindowTitle(_("{app} — Demo").format(app=APP_NAME) if self.demo else APP_NAME)
        self.setWindowIcon(app_icon())
        self.state = QSettings(
            str(paths.profile_dir() / WINDOW_STATE_FILE), QSettings.Format.IniFormat, self
        )
        self._build(demo_hint)
        self.dialer = Dialer(self.panel, services, self)
        self.dialer.can_call_changed.connect(self._show_can_call)
        # The outcome panel and hooks must see the call's result: built at the latest now.
        self.dialer.started.connect(lambda _tag, _attempt: self.follow_up)
        self.keys = KeyRouting(self, self.panel, self.dialer)
        self.panel.status.settings_requested.connect(self.open_settings)
        services.settings.changed.connect(self._settings_changed)
        self.history_dock = HistoryDock(self, self._make_history)
        self._build_menus()
        self._restore_state()
        self._show_can_call(not self.placer.busy, self.placer.busy)
        self._queue_start_up()

    def _build(self, demo_hint: str | None) -> None:
        central = QWidget(self)
        central.setObjectName("central")
        # Beside a dock the dialer takes its own width and the dock the rest; alone, all of it.
        central.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.setCentralWidget(central)
        self.demo_banner: QLabel | None = None
        if demo_hint is not None:
            self.demo_banner = demo_banner(demo_hint, central)
            outer.addWidget(self.demo_banner)
        self.panel = panel = DialerPanel(self.settings, central)
        self.dialer_column = DialerColumn(panel, central)
        outer.addWidget(self.dialer_column, 1)
        self.setStatusBar(ElidingStatusBar(self))
        # The panel's controls by the names tests and accessibility tools know them.
        self.number_edit = panel.number_edit
        self.name_edit = panel.name_edit
        self.country_combo = panel.country_combo
        self.preview_label = panel.preview_label
        self.dial_pad = panel.dial_pad
        self.options = panel.options
        self.ringback_combo = panel.options.ringback_combo
        self.auto_answer_check = panel.options.auto_answer_check
        self.record_check = panel.options.record_check
        self.call_button = panel.call_button
        self.status = panel.status
        self.status_label = panel.status.label

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(_("&File"))
        self.settings_action = QAction(_("&Settings…"), self)
        self.settings_action.setObjectName("settingsAction")
        preferences = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.settings_action.setShortcuts([QKeySequence("Ctrl+,"), *preferences])
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        open_recording = QAction(_("Open &recording by call id…"), self)
        open_recording.setObjectName("openRecordingAction")
        open_recording.setShortcut(QKeySequence("Ctrl+O"))
        open_recording.triggered.connect(self.open_recording_by_id)
        file_menu.addActions([open_recording, self.settings_action])
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.quit_app)
        file_menu.addAction(quit_action)

        call_menu = menu_bar.addMenu(pgettext("menu", "&Call"))
        self.call_action = QAction(pgettext("action", "&Call"), self)
        self.call_action.setObjectName("callAction")
        self.call_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.call_action.setAutoRepeat(False)
        self.call_action.triggered.connect(lambda: self.dialer.dial())
        focus_action = QAction(_("Go to the &number"), self)
        focus_action.setShortcut(QKeySequence("Ctrl+L"))
        focus_action.triggered.connect(self.dialer.focus_number)
        clear_action = QAction(_("C&lear the number and name"), self)
        clear_action.setShortcut(QKeySequence("Esc"))
        clear_action.triggered.connect(self.dialer.clear_all)
        # In the number field itself the key filter does this: the field claims Ctrl+Backspace.
        clear_number_action = QAction(_("Clear the n&umber"), self)
        clear_number_action.setShortcut(QKeySequence("Ctrl+Backspace"))
        clear_number_action.triggered.connect(self.dialer.clear_number)
        call_menu.addActions([self.call_action, focus_action, clear_action, clear_number_action])
        call_menu.addSeparator()
        self.dial_pad_action = QAction(_("Show the &dial pad"), self)
        self.dial_pad_action.setCheckable(True)
        self.dial_pad_action.setChecked(True)
        self.dial_pad_action.toggled.connect(self.dial_pad.setVisible)
        call_menu.addAction(self.dial_pad_action)

        view_menu = menu_bar.addMenu(_("&View"))
        history_action = self.history_dock.toggleViewAction()
        history_action.setText(_("Call &history"))
        history_action.setShortcut(QKeySequence("Ctrl+H"))
        view_menu.addAction(history_action)
        self._view_menu = view_menu

        help_menu = menu_bar.addMenu(_("&Help"))
        self._help_menu = help_menu
        shortcuts_action = QAction(_("&Keyboard shortcuts"), self)
        shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        shortcuts_action.triggered.connect(lambda: show_shortcuts(self))
        about_action = QAction(_("&About {app}").format(app=APP_NAME), self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(lambda: show_about(self))
        help_menu.addActions([shortcuts_action, about_action])

    def _show_can_call(self, can_call: bool, busy: bool) -> None:
        self.call_button.setEnabled(can_call)
        self.call_button.setText(_("Calling…") if busy else pgettext("button", "Call"))
        if hasattr(self, "call_action"):  # the menus come after the dialer
            self.call_action.setEnabled(can_call)

    # ------------------------------------------------------------------------------ services

    @property
    def settings(self) -> Settings:
        return self.services.settings.current

    @property
    def call_log(self) -> CallLog:
        """The call log, opened after the first paint or at first use; ``LocalProblem`` if it
        cannot be."""
        return self.services.call_log()

    @property
    def follow_up(self) -> CallFollowUp:
        """Call lists, the outcome panel, CRM hooks, reminders and the do-not-call check.

        Built after the first paint (a start-up step), or at first use if that comes sooner: the
        first paint does not wait for the lists' widgets and modules.
        """
        return self._follow_up or self._build_follow_up()

    def _make_list_dock(self) -> None:
        from a1dialer.ui.call_followup import make_list_dock

        if self._follow_up is None and self._list_dock is None:
            self._list_dock = make_list_dock(self)

    def _build_follow_up(self) -> CallFollowUp:
        from a1dialer.ui.call_followup import CallFollowUp

        follow_up = CallFollowUp(self, self._list_dock)
        self._view_menu.addActions([follow_up.dock_action, follow_up.callbacks_action])
        self.menuBar().insertMenu(self._help_menu.menuAction(), follow_up.dock.menu)
        follow_up.restore_state(self.state)
        self._follow_up = follow_up
        self.dialer.set_refusal_check(follow_up.refusal)
        return follow_up

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings (saved in the Settings dialog or the wizard) everywhere."""
        self.services.settings.replace(settings)

    def _settings_changed(self, settings: Settings, old: Settings) -> None:
        self.options.follow_new_defaults(old, settings)

    def open_settings(self) -> Settings | None:
        """The Settings dialog; saved settings are used at once. ``None`` if cancelled."""
        from a1dialer.ui.settings_dialog import SettingsDialog

        saved = SettingsDialog.edit(self.settings, self)
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
        if ask_to_open_settings(problem, self):
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

    def _restore_state(self) -> None:
        geometry = self.state.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            hint = self.sizeHint()
            self.resize(fit_size(self, QSize(max(DEFAULT_WIDTH, hint.width()), hint.height())))
        keep_on_screen(self)
        self.dial_pad_action.setChecked(stored_bool(self.state.value("window/dial_pad"), True))
        self.history_dock.setVisible(stored_bool(self.state.value("window/history"), False))
        self.options.restore(self.state, self.settings)

    # ------------------------------------------------------------------- history and recordings

    def _make_history(self, parent: QWidget) -> HistoryView:
        from a1dialer.ui.history_view import HistoryView

        history = HistoryView(self.call_log, self.tasks, parent)
        history.redialRequested.connect(self.redial)
        history.playRequested.connect(self.play_recording)
        history.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
        history.doNotCallRequested.connect(self.follow_up.add_to_do_not_call)
        placer = self.placer
        for signal in (placer.started, placer.placed, placer.failed, placer.unknown):
            signal.connect(history.refresh)
        if self._player is not None:
            self._player.recordingReady.connect(history.refresh)
        return history

    @property
    def history(self) -> HistoryView | None:
        """The history table, once the dock was shown after the first paint."""
        return self.history_dock.view

    def redial(self, number: str, name: str = "") -> None:
        """Put a number (and its name) from the history into the dialer; Enter dials it."""
        self.dialer.set_number(number, name)
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.dialer.focus_number()

    def recording_player(self) -> RecordingPlayerDialog:
        """The one recording player, made at first use (QtMultimedia loads only then)."""
        if self._player is None:
            from a1dialer.core.recording_cache import RecordingCache
            from a1dialer.ui.player_widget import RecordingPlayerDialog

            self._player = RecordingPlayerDialog(
                RecordingCache(limit_mb=self.settings.recording_cache_mb),
                self.services.download_client,
                self.tasks,
                self.call_log,
                self,
            )
            if self.history is not None:
                self._player.recordingReady.connect(self.history.refresh)
        return self._player

    def play_recording(self, record: CallRecord) -> None:
        self.recording_player().open_call(record)

    def open_recording_by_id(self) -> None:
        player = self.recording_player()
        player.show()
        player.raise_()
        player.activateWindow()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Now the window manager's frame is known: a restored size may still overhang, and
            # the panel's final size is known: show it whole if the screen has room.
            QTimer.singleShot(0, self, self._fit_after_first_paint)
            QTimer.singleShot(0, self, self.first_painted.emit)
            self.services.startup.start()

    def _fit_after_first_paint(self) -> None:
        self.dialer_column.show_all()
        keep_on_screen(self)

    def _queue_start_up(self) -> None:
        """The window's steps after the first paint (see ``docs/architecture.md``): open the
        call log and load the modules and number rules on a worker, then build the follow-up and
        let the history build when shown, each in an event-loop turn of its own."""
        startup = self.services.startup
        startup.then_off_thread(self.services.call_log, self._call_log_opened)
        startup.then_import(FOLLOW_UP_MODULES)
        country = self.settings.default_country
        startup.then_off_thread(lambda: load_number_rules(country))
        startup.then(self.dialer.identity_ready)
        startup.then(self._make_list_dock)
        startup.then(lambda: self.follow_up)
        startup.then(lambda: self.follow_up.start())
        startup.then(self.history_dock.allow_building)

    def _call_log_opened(self, _log: object, error: BaseException | None) -> None:
        if isinstance(error, LocalProblem):
            log.error("Cannot open the call log: %s %s", error.sentence, error.details)
            self.services.startup.stop()
            self.cannotRun.emit(error)
            return
        if error is not None:
            raise error
        self.callLogDamaged.connect(
            lambda problem: self.status.show_message(problem.sentence, "error")
        )
        call_log = self.call_log
        call_log.on_damaged(self.callLogDamaged.emit)
        if call_log.read_only:
            self.status.show_message(_(READ_ONLY_SENTENCE), "warning")

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
