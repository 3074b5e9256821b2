"""Everything around a call in the window: call lists, the outcome panel, CRM hooks, call-back
reminders and the do-not-call check.

The window creates one ``CallFollowUp`` and wires it in with a few lines; the logic lives here and
in the modules it puts together.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence

from a1dialer.core.call_lists import CallListStore, ListEntry
from a1dialer.core.errors import DialerError
from a1dialer.core.outcomes import outcome_choices
from a1dialer.core.settings import Settings
from a1dialer.core.translation import _
from a1dialer.ui.call_list_dock import DOCK_SHORTCUT, CallListDock
from a1dialer.ui.callback_reminders import CallbackButton, CallbackReminders, reminder_text
from a1dialer.ui.contact_card import ContactCard, follow_call_list
from a1dialer.ui.outcome_panel import CallToLog, OutcomePanel, SavedOutcome
from a1dialer.ui.tasks import error_sentence

if TYPE_CHECKING:
    from a1dialer.core.calllog import CallRecord
    from a1dialer.core.do_not_call import DoNotCallList
    from a1dialer.core.numbers import DialTarget
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.callbacks_due import CallbacksDueDialog
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DOCK_VISIBLE_KEY = "window/call_lists"
# Width given to the call lists dock when the rep opens it.
DOCK_WIDTH = 680
STATUS_MS = 10_000


class CallFollowUp(QObject):
    """The call lists dock, outcome panel, hooks, reminders and do-not-call check of a window.

    ``dock`` is the call lists dock if it was made already (``make_list_dock``, a start-up step
    of its own: the first table of the process is the slow part).
    """

    def __init__(self, window: MainWindow, dock: CallListDock | None = None) -> None:
        super().__init__(window)
        self.window = window
        call_log, tasks = window.call_log, window.tasks
        self.tasks = tasks
        self.dock = dock or make_list_dock(window)
        self.store = self.dock.store
        self._do_not_call: DoNotCallList | None = None

        self.panel = OutcomePanel(call_log, tasks, outcome_choices(window.settings), window.panel)
        window.panel.add_below_status(self.panel)
        self.panel.saved.connect(self._outcome_saved)
        self.dock.blocked = self._list_entry_blocked
        self.panel.closed.connect(self._panel_closed)
        # Over the outcome panel: who the rep is talking with while noting how it went.
        self.card = ContactCard(window.panel)
        window.panel.add_below_status(self.card)
        follow_call_list(self.card, self.dock, window.dialer, self.panel.closed)

        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock_action = self.dock.toggleViewAction()
        self.dock_action.setText("Call &lists")
        self.dock_action.setObjectName("callListsAction")
        self.dock_action.setShortcut(QKeySequence(DOCK_SHORTCUT))
        self.dock_action.triggered.connect(self._dock_toggled)
        self.do_not_call_action = QAction("Do-&not-call list…", window)
        self.do_not_call_action.setObjectName("doNotCallAction")
        self.do_not_call_action.triggered.connect(self.open_do_not_call)
        self.dock.menu.addSeparator()
        self.dock.menu.addAction(self.do_not_call_action)

        self.reminders = CallbackReminders(call_log, tasks, self)
        self.callback_button = CallbackButton(window)
        self.reminders.due.connect(self._callback_due)
        self.callback_button.callBackRequested.connect(self.fill_callback)
        self._callbacks_due: CallbacksDueDialog | None = None
        self.callbacks_action = QAction(_("Call-&backs due…"), window)
        self.callbacks_action.setObjectName("callbacksDueAction")
        self.callbacks_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.callbacks_action.triggered.connect(lambda: self.show_callbacks_due())

        from a1dialer.ui.today_counts import TodayCountsLabel

        self.today = TodayCountsLabel(call_log, tasks, window)
        window.dialer.placed.connect(lambda *_: self.today.refresh())
        window.dialer.unknown.connect(lambda *_: self.today.refresh())

        window.dialer.placed.connect(self._placed)
        window.dialer.unknown.connect(self._unknown)
        window.services.settings.changed.connect(self._settings_changed)

    # --- window state -------------------------------------------------------------------------

    def restore_state(self, state: QSettings) -> None:
        shown = str(state.value(DOCK_VISIBLE_KEY, "false")).lower() in ("true", "1")
        self.dock.setVisible(shown)
        self.dock.restore_state(state)

    def save_state(self, state: QSettings) -> None:
        self.panel.save_now()  # the window is closing: a note half typed is kept
        state.setValue(DOCK_VISIBLE_KEY, self.dock.isVisible())
        self.dock.save_state(state)

    def start(self) -> None:
        """After the first paint: read the lists, start looking for due call-backs."""
        self.window.statusBar().addPermanentWidget(self.callback_button)
        self.window.statusBar().addPermanentWidget(self.today)
        self.today.refresh()
        self.dock.reload_lists()
        self.reminders.start()

    def _dock_toggled(self, shown: bool) -> None:
        window = self.window
        if shown:
            if not window.isMaximized():
                central = window.centralWidget()
                dialer = central.width() if central is not None else window.width()
                window.resize(max(window.width(), dialer + DOCK_WIDTH), window.height())
                window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
            self.dock.reload_lists()
            self.dock.raise_()
            self.dock.focus_dial_next()

    # --- do not call ----------------------------------------------------------------------------

    @property
    def do_not_call(self) -> DoNotCallList:
        """The do-not-call list, loaded at first use (it brings the number rules and the CSV
        reader, which the first paint does not need)."""
        if self._do_not_call is None:
            from a1dialer.core.do_not_call import DoNotCallList

            self._do_not_call = DoNotCallList(self.window.call_log)
        return self._do_not_call

    def refusal(self, target: DialTarget) -> str | None:
        """Why ``target`` will not be dialled (it is on the do-not-call list), or ``None``.

        One indexed lookup, cheap enough for the live preview; ``place_call`` checks again.
        """
        from a1dialer.core.do_not_call import refusal_sentence

        try:
            entry = self.do_not_call.contains(target)
        except DialerError as exc:
            log.warning("Could not check the do-not-call list: %s", exc)
            return None
        return None if entry is None else refusal_sentence(entry)

    def _list_entry_blocked(self, entry: ListEntry) -> bool:
        """Whether a list row's number is on the do-not-call list now (Dial next passes it)."""
        try:
            return self.do_not_call.contains(entry.dial) is not None
        except DialerError as exc:
            log.warning("Could not check the do-not-call list: %s", exc)
            return False  # the dial path checks again before anything is sent

    def reload_do_not_call(self) -> None:
        """The list changed: check the number in the dialer again."""
        self.window.dialer.recheck()

    def add_to_do_not_call(self, record: CallRecord) -> None:
        """History's "Add to do-not-call list…": ask why, then add the call's number."""
        from a1dialer.ui.do_not_call_dialog import ask_reason

        reason = ask_reason(self.window, record.display_number)
        if reason is None:
            return

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                self.show_status(
                    error_sentence(error, f"Could not add {record.display_number} to the list")
                )
                return
            self.show_status(f"{record.display_number} is on the do-not-call list now.")
            self.reload_do_not_call()

        self.tasks.run(
            lambda: self.do_not_call.add(record.number, record.display_number, reason),
            done,
            owner=self,
        )

    def open_do_not_call(self) -> None:
        from a1dialer.ui.do_not_call_dialog import DoNotCallDialog

        dialog = DoNotCallDialog(self.do_not_call, self.tasks, self.window.settings, self.window)
        dialog.changed.connect(self.reload_do_not_call)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # --- after a call ---------------------------------------------------------------------------

    def _placed(self, _tag: object, attempt: CallAttempt, placed: CallPlaced) -> None:
        if self.panel.has_input():
            self.panel.save_quietly()
        call = CallToLog(placed.uuid, attempt.target.display, attempt.options.contact_name)
        self.panel.ask(call)
        self._run_hooks("call_placed", call)

    def _unknown(self, _tag: object, attempt: CallAttempt, _error: DialerError) -> None:
        # The PBX may well have connected it: the rep can still note what became of the call.
        # No "call placed" hooks: nobody knows that it was.
        if self.panel.has_input():
            self.panel.save_quietly()
        self.panel.ask(
            CallToLog(attempt.call_id, attempt.target.display, attempt.options.contact_name)
        )

    def _outcome_saved(self, saved: SavedOutcome) -> None:
        self.today.refresh()
        if self._callbacks_due is not None:
            self._callbacks_due.refresh()
        # The panel closes on the call it just saved; a quiet save is for a call it left.
        self.dock.outcome_saved(saved, advance=self.panel.call == saved.call)
        if self.window.history is not None:
            self.window.history.refresh()
        if not saved.outcome:  # a note kept on Esc: no outcome for the CRM yet
            self.show_status(_("Kept your note for the call to {who}.").format(who=saved.call.who))
            return
        self._run_hooks("outcome_saved", saved.call)
        text = f"Saved “{saved.outcome}” for the call to {saved.call.who}."
        if saved.callback_at is not None:
            when = saved.callback_at.astimezone().strftime("%a %Y-%m-%d %H:%M")
            text += f" A reminder comes at {when}."
        self.show_status(text)

    def _panel_closed(self) -> None:
        if self.dock.isVisible() and self.dock.list_id:
            self.dock.focus_dial_next()
        else:
            self.window.dialer.focus_number()

    def _run_hooks(self, event: str, call: CallToLog) -> None:
        """Open the CRM link and start the command of ``event``, if set, off the GUI thread."""
        from a1dialer.core.crm_hooks import HOOK_OPTIONS, hook_values_for, run_hooks

        settings = self.window.settings
        if not any(getattr(settings, name) for name in HOOK_OPTIONS[event]):
            return
        call_log = self.window.call_log

        def run() -> list[str]:
            record = call_log.get(call.uuid)
            if record is None:
                return []
            return run_hooks(event, settings, hook_values_for(record, settings))

        def done(errors: list[str] | None, error: BaseException | None) -> None:
            if error is not None:
                self.show_status(error_sentence(error, "The CRM action after the call failed"))
            elif errors:
                self.show_status(" ".join(errors))

        self.tasks.run(run, done, owner=self)

    def show_status(self, text: str) -> None:
        """A sentence in the window's status bar (never a modal box)."""
        self.window.statusBar().showMessage(text, STATUS_MS)

    # --- reminders ------------------------------------------------------------------------------

    def _callback_due(self, record: CallRecord) -> None:
        self.callback_button.add(record)
        if self._callbacks_due is not None:
            self._callbacks_due.refresh()
        if self.window.isVisible():
            self.show_status(reminder_text(record))

    def fill_callback(self, record: CallRecord) -> None:
        """Put a due call-back's number and name in the dialer (Enter then dials it)."""
        self.callback_button.discard(record.uuid)
        self.window.redial(record.display_number, record.name)
        self.show_callbacks_due(record.uuid)

    def show_callbacks_due(self, select_uuid: str = "") -> CallbacksDueDialog:
        """The "Call-backs due" window, shown and read again; ``select_uuid`` selected."""
        if self._callbacks_due is None:
            from a1dialer.ui.callbacks_due import CallbacksDueDialog

            window = self.window
            self._callbacks_due = CallbacksDueDialog(
                window.call_log, self.tasks, window.dialer, window
            )
        self._callbacks_due.show_due(select_uuid)
        return self._callbacks_due

    def _settings_changed(self, settings: Settings, _old: Settings) -> None:
        self.panel.set_outcomes(outcome_choices(settings))


def make_list_dock(window: MainWindow) -> CallListDock:
    """The call lists dock of ``window``, not yet docked."""
    return CallListDock(window, CallListStore(window.call_log), window.tasks)
