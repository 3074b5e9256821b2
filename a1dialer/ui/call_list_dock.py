"""The call lists dock: pick a list, see its progress, and work through it with Dial next.

Dial next (Ctrl+N) fills the dialer with the next number due (``list_queue.pick_next``) and places
the call through the window's own dial path, so it is one originate per press, never while a call
is in flight. Do-not-call rows are passed over and flagged; a busy or unanswered number waits per
the list's retry rules; a call the PBX may have placed waits for the rep. The rep's outcome moves
the row on (done, retry later, call back at its time). With auto-advance on, a countdown after the
outcome dials the next number. Every change is written by the store off the GUI thread and
survives a restart.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QItemSelectionModel, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from a1dialer.core.call_lists import (
    CallListStore,
    CallListSummary,
    EntryNumber,
    ListEntry,
    ListRules,
    Progress,
)
from a1dialer.core.errors import DialerError
from a1dialer.core.list_queue import (
    BUSY,
    NO_ANSWER,
    RetryRules,
    after_failure,
    after_outcome,
    after_placed,
    after_unknown,
    is_open,
    pick_next,
    resolved,
    waits_for_rep,
)
from a1dialer.core.translation import N_, _, ngettext
from a1dialer.ui.auto_advance import Countdown
from a1dialer.ui.call_list_model import CallListModel, local_time
from a1dialer.ui.call_list_panel import DIAL_NEXT_SHORTCUT, CallListPanel
from a1dialer.ui.list_filter import CallListFilter, ListSearchBar
from a1dialer.ui.tables import RowMenu
from a1dialer.ui.tasks import TaskRunner, error_sentence

if TYPE_CHECKING:
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.outcome_panel import SavedOutcome

log = logging.getLogger(__name__)
T = TypeVar("T")

CURRENT_LIST_KEY = "lists/current"
DOCK_SHORTCUT = "Ctrl+Shift+L"
NO_LISTS = N_("No call lists yet: import a CSV file or Excel workbook (Lists → Import list…).")
LIST_FINISHED = N_("Every number in this list has been called or skipped.")
STORE_FAILED = N_("The call list could not be updated")


class CallListDock(QDockWidget):
    """Call lists beside the dialer: the list picker, progress, the numbers, and their actions.

    Signals:
        entryDialled(object): Dial next handed this ``ListEntry`` to the window's dial path.
        listChanged(int): another list was picked (0: none).
    """

    entryDialled = Signal(object)
    listChanged = Signal(int)

    def __init__(self, window: MainWindow, store: CallListStore, tasks: TaskRunner) -> None:
        super().__init__(_("Call lists"), window)
        self.setObjectName("callListDock")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea
            | Qt.DockWidgetArea.LeftDockWidgetArea
            | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self._window = window
        self._dialer = window.dialer
        self.store = store
        self._tasks = tasks
        self._list_id = 0
        self._wanted_list = 0
        self._summary: CallListSummary | None = None
        self._dialing: ListEntry | None = None
        self._loads = 0
        # Changes shown in the table before the store has them: a read queued before one of
        # them is stale when it comes back, and is made again.
        self._edits = 0
        self._store_calls: deque[Callable[[], object]] = deque()
        self._store_busy = False
        self._rules = ListRules()
        # The time the queue goes by; tests set their own to move through retry times.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        # Whether a row's number is on the do-not-call list now (the window sets it).
        self.blocked: Callable[[ListEntry], bool] = lambda _entry: False
        self.model = CallListModel(self)
        # The table shows the rows the search and view let through; Dial next sees them all.
        self.filter = CallListFilter(self.model, self)
        self.model.clock = lambda: self.clock()
        self._build()
        self._build_actions()
        self._dialer.placed.connect(self._call_placed)
        self._dialer.failed.connect(self._call_failed)
        self._dialer.unknown.connect(self._call_unknown)
        self._dialer.declined.connect(self._declined)
        # A call started any other way (Call, tray, a link) replaces the countdown.
        self._dialer.started.connect(self._call_started)
        self._dialer.can_call_changed.connect(lambda _can, _busy: self._update_actions())

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        panel = CallListPanel(self.filter, self)
        self.panel = panel
        self.list_combo = panel.list_combo
        self.archived_check = panel.archived_check
        self.menu_button = panel.menu_button
        self.progress_label = panel.progress_label
        self.progress_bar = panel.progress_bar
        self.table = panel.table
        self.dial_next_button = panel.dial_next_button
        self.skip_button = panel.skip_button
        self.up_button = panel.up_button
        self.down_button = panel.down_button
        self.message = panel.message
        self.search_bar = ListSearchBar(self.filter, panel)
        self.search_bar.table = self.table
        panel.add_above_table(self.search_bar)
        self.filter.filtered.connect(self._update_actions)
        self.countdown = Countdown(panel.countdown_label, self)
        self.countdown.fired.connect(self._advance)
        self.list_combo.currentIndexChanged.connect(self._combo_changed)
        self.archived_check.toggled.connect(lambda _on: self.reload_lists())
        self.row_menu = RowMenu(self.table, lambda _row: self.context_menu())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.setWidget(panel)

    def _build_actions(self) -> None:
        window = self._window
        self.dial_next_action = self._action(_("&Dial next"), DIAL_NEXT_SHORTCUT, self.dial_next)
        self.dial_next_action.setObjectName("dialNextAction")
        self.dial_next_action.setAutoRepeat(False)
        self.skip_action = self._action(_("&Skip"), "Ctrl+Shift+K", self.skip)
        self.up_action = self._action(_("Move &up"), "", self.move_up)
        self.down_action = self._action(_("Move do&wn"), "", self.move_down)
        self.import_action = self._action(_("&Import list…"), "", self.import_csv)
        self.import_action.setObjectName("importListAction")
        self.rename_action = self._action(_("&Rename…"), "", self.rename)
        self.archive_action = self._action(_("&Archive"), "", self.toggle_archived)
        self.archive_action.setObjectName("archiveListAction")
        self.delete_action = self._action(_("D&elete list…"), "", self.delete)
        self.add_entry_action = self._action(_("&Add a number…"), "", self.add_entry)
        self.add_entry_action.setObjectName("addListEntryAction")
        self.edit_entry_action = self._action(_("&Edit…"), "", self.edit_selected)
        self.edit_entry_action.setObjectName("editListEntryAction")
        self.search_bar.add_button.setDefaultAction(self.add_entry_action)
        self.auto_advance_action = self._action(_("A&uto-advance"), "", self.toggle_auto_advance)
        self.auto_advance_action.setObjectName("autoAdvanceAction")
        self.auto_advance_action.setCheckable(True)
        self.rules_action = self._action(_("Re&try rules…"), "", self.edit_rules)
        self.rules_action.setObjectName("retryRulesAction")
        self.dial_next_button.clicked.connect(self.dial_next)
        self.skip_button.clicked.connect(self.skip)
        self.up_button.clicked.connect(self.move_up)
        self.down_button.clicked.connect(self.move_down)
        window.addActions([self.dial_next_action, self.skip_action])

        self.menu = QMenu(_("&Lists"), window)
        self.menu.setObjectName("listsMenu")
        self.menu.addActions([self.dial_next_action, self.skip_action])
        self.menu.addSeparator()
        self.menu.addActions([self.import_action, self.add_entry_action])
        self.menu.addSeparator()
        self.menu.addActions([self.auto_advance_action, self.rules_action])
        self.menu.addSeparator()
        self.menu.addActions([self.rename_action, self.archive_action])
        self.menu.addAction(self.delete_action)
        self.menu_button.setMenu(self.menu)

        def on_table(sequence: QKeySequence, slot: Callable[[], object], what: str) -> None:
            shortcut = QShortcut(sequence, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.setWhatsThis(what)  # listed in Help, Keyboard shortcuts
            shortcut.activated.connect(slot)

        on_table(QKeySequence("Ctrl+Up"), self.move_up, _("in a call list: move the number up"))
        on_table(
            QKeySequence("Ctrl+Down"), self.move_down, _("in a call list: move the number down")
        )
        dial = _("in a call list: call the selected number")
        on_table(QKeySequence(Qt.Key.Key_Return), self.dial_selected, dial)
        on_table(QKeySequence(Qt.Key.Key_Enter), self.dial_selected, dial)
        on_table(
            QKeySequence(Qt.Key.Key_F2), self.edit_selected, _("in a call list: edit the number")
        )
        on_table(QKeySequence(Qt.Key.Key_Insert), self.add_entry, _("in a call list: add a number"))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.setWhatsThis(_("in a call list: search the list"))
        find.activated.connect(self.focus_search)
        self._update_actions()

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda *_: slot())
        return action

    # --- state ----------------------------------------------------------------------------------

    @property
    def list_id(self) -> int:
        """The list shown (0: none)."""
        return self._list_id

    @property
    def summary(self) -> CallListSummary | None:
        return self._summary

    @property
    def rules(self) -> ListRules:
        """The shown list's retry rules and auto-advance toggle, as stored."""
        return self._rules

    def retry_rules(self) -> RetryRules:
        """The shown list's retry rules, with the Settings default where it has none."""
        return resolved(self._rules, RetryRules.from_settings(self._window.settings))

    @property
    def dialing(self) -> ListEntry | None:
        """The entry whose call is in flight, if Dial next started it."""
        return self._dialing

    def restore_state(self, state: QSettings) -> None:
        """Pick the list of the last run when the lists are read (``reload_lists``)."""
        try:
            self._wanted_list = int(str(state.value(CURRENT_LIST_KEY, 0)))
        except ValueError:
            self._wanted_list = 0

    def save_state(self, state: QSettings) -> None:
        state.setValue(CURRENT_LIST_KEY, self._list_id)

    def show_message(self, text: str, kind: str = "note") -> None:
        self.message.show_message(text, kind)

    def focus_dial_next(self) -> None:
        """Ready for the next call: Enter (or Ctrl+N) dials the next number."""
        if self.isVisible() and self.dial_next_button.isEnabled():
            self.dial_next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._dialer.focus_number()

    # --- reading ----------------------------------------------------------------------------

    def _run(self, func: Callable[[], T], done: Callable[[T], None]) -> None:
        """Run ``func`` (a store call) off the GUI thread, after the ones asked for before.

        One at a time and in order: two quick Ctrl+Up presses are two moves that must reach
        the store in the order pressed. A failure is shown in the dock.
        """

        def finished(result: T | None, error: BaseException | None) -> None:
            try:
                if error is None:
                    done(result)  # type: ignore[arg-type]
                else:
                    self.show_message(error_sentence(error, _(STORE_FAILED)), "error")
            finally:
                self._store_busy = False
                self._next_store_call()

        self._store_calls.append(lambda: self._tasks.run(func, finished, owner=self))
        self._next_store_call()

    def _next_store_call(self) -> None:
        if not self._store_busy and self._store_calls:
            self._store_busy = True
            self._store_calls.popleft()()

    def reload_lists(self, select: int | None = None) -> None:
        """Read the lists again (after an import, a rename...); keep or pick ``select``."""
        if select is not None:
            self._wanted_list = select
        elif self._list_id:
            self._wanted_list = self._list_id
        archived = self.archived_check.isChecked()
        self._run(lambda: self.store.lists(include_archived=archived), self._lists_read)

    def _lists_read(self, lists: list[CallListSummary]) -> None:
        wanted = self._wanted_list
        self.list_combo.blockSignals(True)
        self.list_combo.clear()
        for summary in lists:
            label = (
                # Translators: {name} is a call list's name, in the list picker.
                _("{name} (archived)").format(name=summary.name)
                if summary.archived
                else summary.name
            )
            self.list_combo.addItem(label, summary.id)
        index = self.list_combo.findData(wanted) if wanted else -1
        if index < 0 and lists:
            index = 0
        self.list_combo.setCurrentIndex(index)
        self.list_combo.blockSignals(False)
        if not lists:
            self.show_message(_(NO_LISTS))
        self._open_list(int(self.list_combo.currentData() or 0))

    def _combo_changed(self, _index: int) -> None:
        self._open_list(int(self.list_combo.currentData() or 0))

    def _open_list(self, list_id: int) -> None:
        changed = list_id != self._list_id
        self._list_id = list_id
        if changed:
            self.model.set_entries([])
            self._summary = None
            self._rules = ListRules()
            self.countdown.cancel()
            if list_id:
                self.message.clear_message()
            self.listChanged.emit(list_id)
        self._wanted_list = list_id
        if not list_id:
            self._show_progress()
            return
        self._loads += 1
        load = self._loads
        edits = self._edits

        def read() -> tuple[CallListSummary, ListRules, list[ListEntry]]:
            return (
                self.store.summary(list_id),
                self.store.rules(list_id),
                self.store.entries(list_id),
            )

        def done(result: tuple[CallListSummary, ListRules, list[ListEntry]]) -> None:
            if load != self._loads or list_id != self._list_id:
                return
            if edits != self._edits:
                self._open_list(list_id)  # read again, after the changes reach the store
                return
            self._summary, self._rules, entries = result
            selected = self.selected_entry()
            self.model.set_entries(entries)
            if selected is not None:
                row = self.model.row_of(selected.id)
            else:
                due = pick_next(entries, self.clock()).entry
                row = self.model.row_of(due.id) if due is not None else self.model.next_todo()
            if row is not None:
                self._select_row(row)
            self._show_progress()

        self._run(read, done)

    def refresh_summary(self) -> None:
        list_id = self._list_id
        if not list_id:
            return

        def done(summary: CallListSummary) -> None:
            if list_id == self._list_id:
                self._summary = summary
                self._show_progress()

        self._run(lambda: self.store.summary(list_id), done)

    def _show_progress(self) -> None:
        summary = self._summary
        if summary is None:
            self.progress_label.setText("")
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
        else:
            locale = QLocale()
            # Translators: counts of a call list's numbers: "12 done · 3 skipped · 40 left".
            parts = [
                ngettext("{n} done", "{n} done", summary.done).format(
                    n=locale.toString(summary.done)
                )
            ]
            if summary.skipped:
                parts.append(
                    ngettext("{n} skipped", "{n} skipped", summary.skipped).format(
                        n=locale.toString(summary.skipped)
                    )
                )
            if summary.dnc:
                parts.append(
                    ngettext("{n} do-not-call", "{n} do-not-call", summary.dnc).format(
                        n=locale.toString(summary.dnc)
                    )
                )
            parts.append(
                ngettext("{n} left", "{n} left", summary.left).format(
                    n=locale.toString(summary.left)
                )
            )
            text = " · ".join(parts)
            self.progress_label.setText(text)
            self.progress_bar.setAccessibleDescription(text)
            self.progress_bar.setRange(0, max(1, summary.total))
            self.progress_bar.setValue(summary.done + summary.skipped + summary.dnc)
            self.archive_action.setText(_("Un&archive") if summary.archived else _("&Archive"))
        self._update_actions()

    def _update_actions(self) -> None:
        has_list = bool(self._list_id)
        todo = self.model.next_todo() is not None
        ready = not self._dialer.busy and self._dialing is None
        self.dial_next_action.setEnabled(has_list and todo and ready)
        self.dial_next_button.setEnabled(self.dial_next_action.isEnabled())
        self.dial_next_button.setText(_("Calling…") if not ready else _("&Dial next"))
        selected = self.selected_row()
        can_skip = has_list and (todo or selected is not None)
        self.skip_action.setEnabled(can_skip)
        self.skip_button.setEnabled(can_skip)
        rows = self.model.rowCount()
        self.up_button.setEnabled(selected is not None and selected > 0)
        self.up_action.setEnabled(self.up_button.isEnabled())
        self.down_button.setEnabled(selected is not None and selected < rows - 1)
        if self.filter.active:  # neighbours on screen need not be neighbours in the list
            self.up_button.setEnabled(False)
            self.down_button.setEnabled(False)
        self.down_action.setEnabled(self.down_button.isEnabled())
        for action in (
            self.rename_action,
            self.archive_action,
            self.delete_action,
            self.add_entry_action,
            self.auto_advance_action,
            self.rules_action,
        ):
            action.setEnabled(has_list)
        self.edit_entry_action.setEnabled(selected is not None)
        self.auto_advance_action.setChecked(has_list and self._rules.auto_advance)

    # --- the selection ------------------------------------------------------------------------

    def selected_row(self) -> int | None:
        """The model's row of the selected number (the table may show fewer rows)."""
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.filter.source_row(index.row())

    def selected_entry(self) -> ListEntry | None:
        row = self.selected_row()
        return self.model.entry_at(row) if row is not None else None

    def _select_row(self, row: int) -> None:
        shown = self.filter.shown_row(row)
        if shown is None:  # hidden by the search: the selection stays where it is
            return
        index = self.filter.index(shown, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    # --- dialling -----------------------------------------------------------------------------

    def dial_next(self) -> bool:
        """Dial the next number due; ``False`` if nothing was sent (the dock says why)."""
        self.countdown.cancel()
        self.countdown.resume_run()
        return self._dial_next()

    def _dial_next(self) -> bool:
        if not self.dial_next_action.isEnabled():
            if self._list_id and self.model.rowCount() and self.model.next_todo() is None:
                self.show_message(self._finished_text(), "ok")
            return False
        pick = pick_next(self.model.entries, self.clock(), self.blocked)
        for entry in pick.blocked:
            self.model.set_do_not_call(entry.id)
            self._edits += 1
        if pick.blocked:
            ids = [entry.id for entry in pick.blocked]

            def flag() -> None:
                for entry_id in ids:
                    self.store.mark_do_not_call(entry_id)

            self._run(flag, self._changed)
        passed = ""
        if pick.blocked:
            passed = ngettext(
                "Passed over {n} number on the do-not-call list.",
                "Passed over {n} numbers on the do-not-call list.",
                len(pick.blocked),
            ).format(n=len(pick.blocked))
        if pick.entry is None:
            if pick.next_due is not None:
                text = _("Nothing is due now: the next number is due at {time}.").format(
                    time=local_time(pick.next_due, self.clock())
                )
                if pick.waiting_for_rep:
                    text += " " + self._waiting_text(pick.waiting_for_rep)
            else:
                text = self._finished_text()
            self.show_message(f"{passed} {text}".strip(), "ok" if not passed else "warning")
            self._update_actions()
            return False
        row = self.model.row_of(pick.entry.id)
        assert row is not None
        if not self._dial(row):
            return False
        if passed:
            self.show_message(passed, "warning")
        return True

    def _finished_text(self) -> str:
        waiting = sum(1 for e in self.model.entries if waits_for_rep(e) and not e.dnc)
        if waiting:
            return _("No number is left to call.") + " " + self._waiting_text(waiting)
        return _(LIST_FINISHED)

    @staticmethod
    def _waiting_text(count: int) -> str:
        return ngettext(
            "{n} number waits for you: the PBX may have called it; check your phone, then "
            "call it from its row.",
            "{n} numbers wait for you: the PBX may have called them; check your phone, then "
            "call them from their rows.",
            count,
        ).format(n=count)

    def dial_selected(self) -> bool:
        """Dial the selected number, out of turn (Enter in the table)."""
        row = self.selected_row()
        if row is None or self._dialer.busy or self._dialing is not None:
            return False
        return self._dial(row)

    def _dial(self, row: int) -> bool:
        entry = self.model.entry_at(row)
        if not self._dialer.ready_to_call:
            return False
        if entry.dnc:
            who = entry.name or entry.display or entry.number
            self.show_message(
                _("{who} is marked do-not-call on this list: A1 Dialer will not dial it.").format(
                    who=who
                ),
                "error",
            )
            return False
        self._select_row(row)
        self._dialing = entry
        if not self._dialer.dial(entry.display or entry.number, entry.name, tag=entry):
            self._dialing = None  # ``_declined`` said why
            self._update_actions()
            return False
        self.message.clear_message()
        self._update_actions()
        self.entryDialled.emit(entry)
        return True

    def _call_started(self, _tag: object, _attempt: CallAttempt) -> None:
        self.countdown.cancel()

    def _own(self, tag: object) -> ListEntry | None:
        """The entry a call's result is about, if this dock dialled it (and no longer dials)."""
        if self._dialing is None or tag is not self._dialing:
            return None
        entry, self._dialing = self._dialing, None
        return entry

    def _declined(self, tag: object, reason: str, question: bool) -> None:
        entry = self._own(tag)
        if entry is None:
            return
        self._update_actions()
        if question:  # called moments ago: the same question, Enter confirms
            self.show_message(reason, "warning")
            self.focus_dial_next()
        else:
            # Translators: {number} is the list entry's number, {reason} a sentence saying why.
            text = _("{number} was not dialled: {reason}")
            self.show_message(
                text.format(number=entry.display or entry.number, reason=reason), "error"
            )

    def _call_placed(self, tag: object, attempt: CallAttempt, placed: CallPlaced) -> None:
        entry = self._own(tag)
        if entry is None:
            self._update_actions()
            return
        self._progress(entry, after_placed(entry), placed.uuid)
        self._update_actions()

    def _call_failed(self, tag: object, attempt: CallAttempt, error: DialerError) -> None:
        entry = self._own(tag)
        if entry is not None:
            cause = str(getattr(error, "cause", ""))
            progress = after_failure(entry, cause, self.clock(), self.retry_rules())
            self._progress(entry, progress)
            self.model.set_failure(entry.id, error.sentence)
            self.show_message(self._failure_text(entry, progress, error), "error")
        self._update_actions()
        if entry is not None:
            # Enter then goes on with the list (the failed row waits or comes last), not a
            # stray call from the number field.
            self.focus_dial_next()
            if progress.result in (BUSY, NO_ANSWER):
                # The customer's line said it all, as an outcome would: go on with the run. A
                # failure on the rep's side stops it (the next call would fail the same way).
                self._count_down()

    def _failure_text(self, entry: ListEntry, progress: Progress, error: DialerError) -> str:
        who = entry.name or entry.display or entry.number
        if progress.due_at is not None:
            retry = _("Dial next calls it again at {time}.").format(
                time=local_time(progress.due_at, self.clock())
            )
        elif progress.state == "done":
            retry = ngettext(
                "No more retries after {n} call.", "No more retries after {n} calls.",
                progress.attempts,
            ).format(n=progress.attempts)  # fmt: skip
        else:
            retry = _("Dial next tries it again after the others; Skip takes it off.")
        text = _("The call to {who} failed: {reason} {retry}")
        return text.format(who=who, reason=error.sentence, retry=retry)

    def _call_unknown(self, tag: object, attempt: CallAttempt, error: DialerError) -> None:
        # The PBX may be calling this number: it counts as a call (its id kept) and waits for
        # the rep, so Dial next moves on rather than inviting a second call to the customer.
        entry = self._own(tag)
        if entry is not None:
            self._progress(entry, after_unknown(entry), attempt.call_id)
            who = entry.name or entry.display or entry.number
            self.show_message(
                _("The PBX may be calling {who}: check your phone before calling again.").format(
                    who=who
                ),
                "warning",
            )
        self._update_actions()

    def _progress(self, entry: ListEntry, progress: Progress, call_uuid: str | None = None) -> None:
        """Show and store what a call did to ``entry``."""
        self.model.set_progress(entry.id, progress, call_uuid)
        self._edits += 1
        self._run(lambda: self.store.set_progress(entry.id, progress, call_uuid), self._changed)

    # --- outcomes and auto-advance --------------------------------------------------------------

    def outcome_saved(self, saved: SavedOutcome, *, advance: bool) -> None:
        """The rep saved an outcome: move its list row on (done, retry, call back); with
        ``advance`` (the panel closed on it) and auto-advance on, count down to the next call."""
        if not saved.outcome:
            return  # only a note was kept: the row stays as the call left it
        uuid, now = saved.call.uuid, self.clock()
        defaults = RetryRules.from_settings(self._window.settings)

        def work() -> ListEntry | None:
            entry = self.store.entry_for_call(uuid)
            if entry is None:
                return None
            rules = resolved(self.store.rules(entry.list_id), defaults)
            progress = after_outcome(entry, saved.outcome, saved.callback_at, now, rules)
            self.store.set_progress(entry.id, progress)
            return self.store.entry(entry.id)

        def done(entry: ListEntry | None) -> None:
            if entry is None or entry.list_id != self._list_id:
                return
            self.model.replace_entry(entry)
            self._update_actions()
            self.refresh_summary()
            if advance:
                self._count_down()

        self._run(work, done)

    def _count_down(self) -> None:
        if not self._rules.auto_advance or self._dialer.busy or self._dialing is not None:
            return
        pick = pick_next(self.model.entries, self.clock(), self.blocked)
        if pick.entry is None:
            return
        entry = pick.entry
        who = entry.name or entry.display or entry.number
        self.countdown.start(who if not entry.name else f"{who} ({entry.display or entry.number})")

    def _advance(self) -> None:
        """The countdown reached zero: Dial next, as if pressed (the same guards apply)."""
        if self._window.isVisible() and QApplication.activeModalWidget() is None:
            self._dial_next()

    def _changed(self, _result: object = None) -> None:
        self.refresh_summary()

    # --- skip, reset, reorder -----------------------------------------------------------------

    def skip(self) -> None:
        """Skip the selected number if it is still to call, else the next one."""
        selected = self.selected_entry()
        if selected is not None and selected.state == "todo":
            entry = selected
        else:
            row = self.model.next_todo()
            if row is None:
                return
            entry = self.model.entry_at(row)
        if self._dialing is not None and entry.id == self._dialing.id:
            return
        self.model.set_state(entry.id, "skipped")
        self._edits += 1
        row = self.model.row_of(entry.id)
        following = self.model.next_todo(row if row is not None else -1)
        if following is not None:
            self._select_row(following)
        self._update_actions()
        self._run(lambda: self.store.skip(entry.id), self._changed)

    def reset_selected(self) -> None:
        """Put the selected number back on the list to call."""
        entry = self.selected_entry()
        if entry is None or not _can_reset(entry):
            return
        self.model.set_progress(entry.id, Progress("todo", entry.attempts, None, ""))
        self._edits += 1
        self._update_actions()
        self._run(lambda: self.store.reset(entry.id), self._changed)

    def move_up(self) -> None:
        self._move(-1)

    def move_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        row = self.selected_row()
        if row is None:
            return
        other = row + step
        if not 0 <= other < self.model.rowCount():
            return
        entry = self.model.entry_at(row)
        position = self.model.entry_at(other).position
        self.model.swap(row, other)
        self._edits += 1
        self._select_row(other)
        self._update_actions()
        self._run(lambda: self.store.move(entry.id, position), lambda _r: None)

    # --- whole lists --------------------------------------------------------------------------

    def toggle_auto_advance(self) -> None:
        """Turn the shown list's auto-advance on or off (stored with the list)."""
        self._store_rules(replace(self._rules, auto_advance=self.auto_advance_action.isChecked()))

    def edit_rules(self) -> None:
        """The shown list's retry rules, in a small dialog."""
        from a1dialer.ui.retry_rules_dialog import RetryRulesDialog

        summary = self._summary
        if summary is None:
            return
        dialog = RetryRulesDialog(
            summary.name, self._rules, RetryRules.from_settings(self._window.settings), self
        )
        dialog.accepted.connect(lambda: self._store_rules(dialog.rules()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _store_rules(self, rules: ListRules) -> None:
        list_id = self._list_id
        if not list_id:
            return

        def done(_result: object) -> None:
            if list_id == self._list_id:
                self._rules = rules
                if not rules.auto_advance:
                    self.countdown.cancel()
                self._update_actions()

        self._run(lambda: self.store.set_rules(list_id, rules), done)

    def import_csv(self) -> None:
        from a1dialer.ui.list_import_dialog import ListImportDialog

        dialog = ListImportDialog(self.store, self._tasks, self._window.settings, self._window)
        dialog.imported.connect(lambda list_id: self.show_imported(list_id, dialog.result_text))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open_for_file()

    def show_imported(self, list_id: int, text: str) -> None:
        self.setVisible(True)
        self.archived_check.setChecked(False)
        self.reload_lists(select=list_id)
        self.show_message(text, "ok")

    @classmethod
    def ask_text(cls, parent: QWidget, title: str, label: str, text: str) -> str | None:
        """A line of text from the rep, ``None`` if cancelled; tests replace this."""
        answer, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return answer if ok else None

    @classmethod
    def ask(cls, parent: QWidget, title: str, question: str) -> bool:
        """A yes/no question; tests replace this."""
        answer = QMessageBox.question(
            parent,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def rename(self) -> None:
        summary = self._summary
        if summary is None:
            return
        name = self.ask_text(self, _("Rename list"), _("New name of the list:"), summary.name)
        if name is None or not name.strip() or name.strip() == summary.name:
            return
        list_id = summary.id
        self._run(lambda: self.store.rename(list_id, name.strip()), lambda _r: self.reload_lists())

    def toggle_archived(self) -> None:
        summary = self._summary
        if summary is None:
            return
        archive = not summary.archived
        list_id = summary.id

        def done(_result: object) -> None:
            said = _("Archived the list {name}.") if archive else _("Restored the list {name}.")
            self.show_message(said.format(name=summary.name), "ok")
            self.reload_lists(select=0 if archive and not self.archived_check.isChecked() else None)

        self._run(lambda: self.store.archive(list_id, archive), done)

    def delete(self) -> None:
        summary = self._summary
        if summary is None:
            return
        question = ngettext(
            "Delete the list {name} with its {n} number? Calls already made stay in the history.",
            "Delete the list {name} with its {n} numbers? Calls already made stay in the history.",
            summary.total,
        ).format(name=summary.name, n=QLocale().toString(summary.total))
        if not self.ask(self, _("Delete list"), question):
            return
        list_id = summary.id

        def done(_result: object) -> None:
            self.show_message(_("Deleted the list {name}.").format(name=summary.name), "ok")
            self.reload_lists(select=0)

        self._run(lambda: self.store.delete_list(list_id), done)

    # --- menus ------------------------------------------------------------------------------

    def context_menu(self) -> QMenu:
        """What right-click on a number offers."""
        entry = self.selected_entry()
        menu = QMenu(self)
        dial = menu.addAction(_("&Call this number now"))
        dial.setEnabled(entry is not None and self.dial_next_action.isEnabled())
        dial.triggered.connect(lambda *_: self.dial_selected())
        skip = menu.addAction(_("&Skip"))
        skip.setEnabled(entry is not None and entry.state == "todo")
        skip.triggered.connect(lambda *_: self.skip())
        reset = menu.addAction(_("Put &back on the list"))
        reset.setEnabled(entry is not None and _can_reset(entry))
        reset.triggered.connect(lambda *_: self.reset_selected())
        menu.addSeparator()
        menu.addAction(self.edit_entry_action)
        menu.addAction(self.add_entry_action)
        menu.addSeparator()
        menu.addAction(self.up_action)
        menu.addAction(self.down_action)
        return menu

    # --- rows typed by the rep, the search, another number ------------------------------------

    def focus_search(self) -> None:
        self.search_bar.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.search_edit.selectAll()

    def add_entry(self) -> None:
        """A dialog for a number typed by hand, added at the end of the list."""
        self.open_entry_dialog(None)

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.open_entry_dialog(entry)

    def open_entry_dialog(self, entry: ListEntry | None) -> None:
        """Edit ``entry`` (``None``: add one to the list shown) in a dialog; saved off-thread."""
        from a1dialer.ui.list_entry_dialog import ListEntryDialog

        list_id = entry.list_id if entry is not None else self._list_id
        if not list_id:
            return
        dialog = ListEntryDialog(
            self.store, self._tasks, self._window.settings, list_id, entry, self._window
        )
        dialog.saved.connect(self.show_entry)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def show_entry(self, entry: ListEntry) -> None:
        """The store has ``entry`` as edited or added: show it, selected."""
        if entry.list_id != self._list_id:
            return
        self.model.put_entry(self._with_progress(entry))
        row = self.model.row_of(entry.id)
        if row is not None:
            self._select_row(row)
        self.refresh_summary()

    def _entry_stored(self, entry: ListEntry) -> None:
        """The store's copy of a row changed here (its do-not-call flag may have too)."""
        if entry.list_id == self._list_id:
            self.model.put_entry(self._with_progress(entry))

    def _with_progress(self, stored: ListEntry) -> ListEntry:
        """``stored`` (an edit read back) with the progress the list shows: a call placed
        while the edit was being written is already in the model, not yet in that copy."""
        row = self.model.row_of(stored.id)
        if row is None:
            return stored
        shown = self.model.entry_at(row)
        progress = ("state", "call_uuid", "attempts", "due_at", "result")
        return replace(stored, **{name: getattr(shown, name) for name in progress})

    def use_number(self, entry_id: int, chosen: EntryNumber, *, call_now: bool) -> bool:
        """Dial ``chosen``, one of the row's numbers, for this row from now on; with
        ``call_now`` place the call at once, as Enter on the row would. ``False`` if no call
        was placed (or asked for)."""
        from a1dialer.core.list_entry_input import with_main_number

        row = self.model.row_of(entry_id)
        if row is None:
            return False
        entry = self.model.entry_at(row)
        if chosen.dial != entry.dial:
            switched = replace(
                entry, number=chosen.number, dial=chosen.dial, display=chosen.display
            )
            self.model.put_entry(switched)
            self._run(lambda: self.store.update_entry(entry_id, with_main_number(entry, chosen)),
                      self._entry_stored)  # fmt: skip
        if not call_now or self._dialer.busy or self._dialing is not None:
            return False
        return self._dial(row)


def _can_reset(entry: ListEntry) -> bool:
    """Whether "Put back on the list" changes anything: the row is not due now to be called."""
    return (not is_open(entry) and not entry.dnc) or entry.due_at is not None
