"""The call lists dock: pick a list, see its progress, and work through it with Dial next.

Dial next (Ctrl+N) fills the dialer with the next number still to call and places the call through
the window's own dial path, so it is one originate per press, never while a call is in flight.
A placed call marks its entry called with the call id; a failed one leaves it to do with the
failure shown. Every change is written by the store off the GUI thread and survives a restart.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from a1dialer.core.call_lists import CallListStore, CallListSummary, ListEntry
from a1dialer.core.errors import DialerError
from a1dialer.ui.call_list_model import CallListModel
from a1dialer.ui.call_list_panel import DIAL_NEXT_SHORTCUT, CallListPanel
from a1dialer.ui.tables import RowMenu
from a1dialer.ui.tasks import TaskRunner, error_sentence

if TYPE_CHECKING:
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)
T = TypeVar("T")

CURRENT_LIST_KEY = "lists/current"
DOCK_SHORTCUT = "Ctrl+Shift+L"
NO_LISTS = "No call lists yet: import a CSV file or Excel workbook (Lists → Import list…)."
LIST_FINISHED = "Every number in this list has been called or skipped."
STORE_FAILED = "The call list could not be updated"


class CallListDock(QDockWidget):
    """Call lists beside the dialer: the list picker, progress, the numbers, and their actions.

    Signals:
        entryDialled(object): Dial next handed this ``ListEntry`` to the window's dial path.
        listChanged(int): another list was picked (0: none).
    """

    entryDialled = Signal(object)
    listChanged = Signal(int)

    def __init__(self, window: MainWindow, store: CallListStore, tasks: TaskRunner) -> None:
        super().__init__("Call lists", window)
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
        self._store_calls: deque[Callable[[], object]] = deque()
        self._store_busy = False
        self.model = CallListModel(self)
        self._build()
        self._build_actions()
        self._dialer.placed.connect(self._call_placed)
        self._dialer.failed.connect(self._call_failed)
        self._dialer.unknown.connect(self._call_unknown)
        self._dialer.declined.connect(self._declined)
        self._dialer.can_call_changed.connect(lambda _can, _busy: self._update_actions())

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        panel = CallListPanel(self.model, self)
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
        self.list_combo.currentIndexChanged.connect(self._combo_changed)
        self.archived_check.toggled.connect(lambda _on: self.reload_lists())
        self.row_menu = RowMenu(self.table, lambda _row: self.context_menu())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.setWidget(panel)

    def _build_actions(self) -> None:
        window = self._window
        self.dial_next_action = self._action("&Dial next", DIAL_NEXT_SHORTCUT, self.dial_next)
        self.dial_next_action.setObjectName("dialNextAction")
        self.dial_next_action.setAutoRepeat(False)
        self.skip_action = self._action("&Skip", "Ctrl+Shift+K", self.skip)
        self.up_action = self._action("Move &up", "", self.move_up)
        self.down_action = self._action("Move do&wn", "", self.move_down)
        self.import_action = self._action("&Import list…", "", self.import_csv)
        self.import_action.setObjectName("importListAction")
        self.rename_action = self._action("&Rename…", "", self.rename)
        self.archive_action = self._action("&Archive", "", self.toggle_archived)
        self.archive_action.setObjectName("archiveListAction")
        self.delete_action = self._action("D&elete list…", "", self.delete)
        self.dial_next_button.clicked.connect(self.dial_next)
        self.skip_button.clicked.connect(self.skip)
        self.up_button.clicked.connect(self.move_up)
        self.down_button.clicked.connect(self.move_down)
        window.addActions([self.dial_next_action, self.skip_action])

        self.menu = QMenu("&Lists", window)
        self.menu.setObjectName("listsMenu")
        self.menu.addActions([self.dial_next_action, self.skip_action])
        self.menu.addSeparator()
        self.menu.addActions([self.import_action, self.rename_action, self.archive_action])
        self.menu.addAction(self.delete_action)
        self.menu_button.setMenu(self.menu)

        def on_table(sequence: QKeySequence, slot: Callable[[], object]) -> None:
            shortcut = QShortcut(sequence, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        on_table(QKeySequence("Ctrl+Up"), self.move_up)
        on_table(QKeySequence("Ctrl+Down"), self.move_down)
        on_table(QKeySequence(Qt.Key.Key_Return), self.dial_selected)
        on_table(QKeySequence(Qt.Key.Key_Enter), self.dial_selected)
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
                    self.show_message(error_sentence(error, STORE_FAILED), "error")
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
            label = summary.name + (" (archived)" if summary.archived else "")
            self.list_combo.addItem(label, summary.id)
        index = self.list_combo.findData(wanted) if wanted else -1
        if index < 0 and lists:
            index = 0
        self.list_combo.setCurrentIndex(index)
        self.list_combo.blockSignals(False)
        if not lists:
            self.show_message(NO_LISTS)
        self._open_list(int(self.list_combo.currentData() or 0))

    def _combo_changed(self, _index: int) -> None:
        self._open_list(int(self.list_combo.currentData() or 0))

    def _open_list(self, list_id: int) -> None:
        changed = list_id != self._list_id
        self._list_id = list_id
        if changed:
            self.model.set_entries([])
            self._summary = None
            if list_id:
                self.message.clear_message()
            self.listChanged.emit(list_id)
        self._wanted_list = list_id
        if not list_id:
            self._show_progress()
            return
        self._loads += 1
        load = self._loads

        def read() -> tuple[CallListSummary, list[ListEntry]]:
            return self.store.summary(list_id), self.store.entries(list_id)

        def done(result: tuple[CallListSummary, list[ListEntry]]) -> None:
            if load != self._loads or list_id != self._list_id:
                return
            self._summary, entries = result
            selected = self.selected_entry()
            self.model.set_entries(entries)
            row = self.model.row_of(selected.id) if selected else self.model.next_todo()
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
            parts = [f"{summary.done:,} done"]
            if summary.skipped:
                parts.append(f"{summary.skipped:,} skipped")
            parts.append(f"{summary.left:,} left")
            text = " · ".join(parts)
            self.progress_label.setText(text)
            self.progress_bar.setAccessibleDescription(text)
            self.progress_bar.setRange(0, max(1, summary.total))
            self.progress_bar.setValue(summary.done + summary.skipped)
            self.archive_action.setText("Un&archive" if summary.archived else "&Archive")
        self._update_actions()

    def _update_actions(self) -> None:
        has_list = bool(self._list_id)
        todo = self.model.next_todo() is not None
        ready = not self._dialer.busy and self._dialing is None
        self.dial_next_action.setEnabled(has_list and todo and ready)
        self.dial_next_button.setEnabled(self.dial_next_action.isEnabled())
        self.dial_next_button.setText("Calling…" if not ready else "&Dial next")
        selected = self.selected_row()
        can_skip = has_list and (todo or selected is not None)
        self.skip_action.setEnabled(can_skip)
        self.skip_button.setEnabled(can_skip)
        rows = self.model.rowCount()
        self.up_button.setEnabled(selected is not None and selected > 0)
        self.up_action.setEnabled(self.up_button.isEnabled())
        self.down_button.setEnabled(selected is not None and selected < rows - 1)
        self.down_action.setEnabled(self.down_button.isEnabled())
        for action in (self.rename_action, self.archive_action, self.delete_action):
            action.setEnabled(has_list)

    # --- the selection ------------------------------------------------------------------------

    def selected_row(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return index.row()

    def selected_entry(self) -> ListEntry | None:
        row = self.selected_row()
        return self.model.entry_at(row) if row is not None else None

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    # --- dialling -----------------------------------------------------------------------------

    def dial_next(self) -> bool:
        """Dial the next number still to call; ``False`` if nothing was sent (the dock says why)."""
        if not self.dial_next_action.isEnabled():
            if self._list_id and self.model.rowCount() and self.model.next_todo() is None:
                self.show_message(LIST_FINISHED, "ok")
            return False
        row = self.model.next_todo()
        if row is None:
            self.show_message(LIST_FINISHED, "ok")
            return False
        return self._dial(row)

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
            self.show_message(f"{entry.display or entry.number} was not dialled: {reason}", "error")

    def _call_placed(self, tag: object, attempt: CallAttempt, placed: CallPlaced) -> None:
        entry = self._own(tag)
        if entry is None:
            self._update_actions()
            return
        self.model.set_state(entry.id, "done", placed.uuid)
        self._update_actions()
        self._run(lambda: self.store.mark_called(entry.id, placed.uuid), self._changed)

    def _call_failed(self, tag: object, attempt: CallAttempt, error: DialerError) -> None:
        entry = self._own(tag)
        if entry is not None:
            self.model.set_failure(entry.id, error.sentence)
            who = entry.name or entry.display or entry.number
            self.show_message(
                f"The call to {who} failed: {error.sentence} It stays on the list; Skip moves on.",
                "error",
            )
        self._update_actions()
        if entry is not None:
            # Enter then tries this number again through the list (so it is marked when it
            # goes through), not as a stray call from the number field.
            self.focus_dial_next()

    def _call_unknown(self, tag: object, attempt: CallAttempt, error: DialerError) -> None:
        # The PBX may be calling this number: it counts as called (its call id kept), so Dial
        # next moves on rather than inviting a second call to the same customer.
        entry = self._own(tag)
        if entry is not None:
            self.model.set_state(entry.id, "done", attempt.call_id)
            who = entry.name or entry.display or entry.number
            self.show_message(
                f"The PBX may be calling {who}: check your phone before calling again.",
                "warning",
            )
            self._run(lambda: self.store.mark_called(entry.id, attempt.call_id), self._changed)
        self._update_actions()

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
        row = self.model.row_of(entry.id)
        following = self.model.next_todo(row if row is not None else -1)
        if following is not None:
            self._select_row(following)
        self._update_actions()
        self._run(lambda: self.store.skip(entry.id), self._changed)

    def reset_selected(self) -> None:
        """Put the selected number back on the list to call."""
        entry = self.selected_entry()
        if entry is None or entry.state == "todo":
            return
        self.model.set_state(entry.id, "todo")
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
        self._select_row(other)
        self._update_actions()
        self._run(lambda: self.store.move(entry.id, position), lambda _r: None)

    # --- whole lists --------------------------------------------------------------------------

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
        name = self.ask_text(self, "Rename list", "New name of the list:", summary.name)
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
            verb = "Archived" if archive else "Restored"
            self.show_message(f"{verb} the list {summary.name}.", "ok")
            self.reload_lists(select=0 if archive and not self.archived_check.isChecked() else None)

        self._run(lambda: self.store.archive(list_id, archive), done)

    def delete(self) -> None:
        summary = self._summary
        if summary is None:
            return
        question = (
            f"Delete the list {summary.name} with its {summary.total:,} numbers? "
            "Calls already made stay in the history."
        )
        if not self.ask(self, "Delete list", question):
            return
        list_id = summary.id

        def done(_result: object) -> None:
            self.show_message(f"Deleted the list {summary.name}.", "ok")
            self.reload_lists(select=0)

        self._run(lambda: self.store.delete_list(list_id), done)

    # --- menus ------------------------------------------------------------------------------

    def context_menu(self) -> QMenu:
        """What right-click on a number offers."""
        entry = self.selected_entry()
        menu = QMenu(self)
        dial = menu.addAction("&Call this number now")
        dial.setEnabled(entry is not None and self.dial_next_action.isEnabled())
        dial.triggered.connect(lambda *_: self.dial_selected())
        skip = menu.addAction("&Skip")
        skip.setEnabled(entry is not None and entry.state == "todo")
        skip.triggered.connect(lambda *_: self.skip())
        reset = menu.addAction("Put &back on the list")
        reset.setEnabled(entry is not None and entry.state != "todo")
        reset.triggered.connect(lambda *_: self.reset_selected())
        menu.addSeparator()
        menu.addAction(self.up_action)
        menu.addAction(self.down_action)
        return menu
