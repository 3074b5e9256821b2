"""The call history panel: search, filters, the table of calls and what a rep does with a call."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.call_export import export_csv, number_text
from a1dialer.core.calllog import CallLog, CallRecord, CallStatus
from a1dialer.core.errors import DialerError
from a1dialer.core.translation import N_, _, ngettext
from a1dialer.ui.history_model import (
    NAME,
    NOTE,
    NUMBER,
    OPTIONS,
    OUTCOME,
    RECORDED,
    TIME,
    HistoryModel,
    call_summary,
)
from a1dialer.ui.local_time import long_date_time, short_date_time
from a1dialer.ui.tables import RowMenu, row_table
from a1dialer.ui.tasks import TaskRunner, error_sentence

log = logging.getLogger(__name__)
# The search runs on a worker and only the latest result is shown, so the pause after a
# keystroke only spares the log a query per letter; short enough to feel immediate.
SEARCH_DELAY_MS = 100
# Pins the selected call's number to the tray's Favorites (or unpins it), as a browser bookmark.
PIN_SHORTCUT = "Ctrl+D"
# The call states the history can be limited to, as the rep reads them.
STATUS_FILTERS: tuple[tuple[str, CallStatus | None], ...] = (
    (N_("All calls"), None),
    (N_("Placed"), "placed"),
    (N_("Failed"), "failed"),
    (N_("Unknown (may have rung)"), "unknown"),
    (N_("Pending"), "pending"),
)


class HistoryView(QWidget):
    """The rep's past calls with a search box; redial, copy, play or delete a call.

    Signals:
        redialRequested(str, str): put this number (international format) and its contact name
            in the dialer.
        playRequested(object): play the recording of this ``CallRecord``.
        statusMessage(str): a sentence for the window's status line (deleted, exported, failed).
        pinToggled(object): pin this ``CallRecord``'s number to the favorites, or unpin it.
        doNotCallRequested(object): add this ``CallRecord``'s number to the do-not-call list.
    """

    redialRequested = Signal(str, str)
    playRequested = Signal(object)
    statusMessage = Signal(str)
    pinToggled = Signal(object)
    # Set by whoever keeps the favorites; until then the menu offers no pinning.
    is_pinned: Callable[[str], bool] | None = None
    doNotCallRequested = Signal(object)

    def __init__(
        self,
        call_log: CallLog,
        tasks: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        search_delay_ms: int = SEARCH_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._log = call_log
        self._tasks = tasks or TaskRunner(self)
        self.setObjectName("historyPanel")
        self.model = HistoryModel(call_log, self._tasks, self)
        self._keep_selected: str | None = None

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("historySearch")
        self.search_edit.setPlaceholderText(_("Search number (any format), name, outcome or note"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(_("Search call history"))
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("historyStatusFilter")
        for text, state in STATUS_FILTERS:
            self.status_combo.addItem(_(text), state)
        self.status_combo.setAccessibleName(_("Show calls"))
        # Narrow enough that the history fits beside the dialer on a laptop screen at 150%.
        self.status_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.status_combo.setMinimumContentsLength(9)
        self.status_combo.setToolTip(
            _(
                "Placed: the PBX accepted the call. Failed: it did not. Unknown: no definite "
                "answer came, so the PBX may have called (check your phone's call list)."
            )
        )
        self.recorded_check = QCheckBox(_("With rec&ording"), self)
        self.recorded_check.setObjectName("historyRecordedOnly")
        self.export_button = QPushButton(_("E&xport…"), self)
        self.export_button.setObjectName("historyExport")
        self.export_button.setToolTip(_("Save the calls shown as a CSV file for Excel"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("historyCount")

        # Fixed row height (row_table): the view never measures 100,000 rows to lay them out.
        self.table = row_table(self, self.model, "historyView", _("Call history"))
        header = self.table.horizontalHeader()
        widths = {TIME: 130, NUMBER: 150, NAME: 150, NOTE: 200, RECORDED: 75, OPTIONS: 250}
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(OUTCOME, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.status_combo)
        top.addWidget(self.recorded_check)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.details_label = QLabel(self)
        self.details_label.setObjectName("historyDetails")
        self.details_label.setAccessibleName(_("Details of the selected call"))
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.details_label.hide()
        layout.addWidget(self.details_label)
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(search_delay_ms)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.apply_search)
        self.status_combo.currentIndexChanged.connect(self.apply_search)
        self.recorded_check.toggled.connect(self.apply_search)
        self.export_button.clicked.connect(self.export)
        self.model.totalChanged.connect(self._show_count)
        self.model.searchApplied.connect(self._search_applied)
        self.model.searchFailed.connect(self.statusMessage)
        self.table.doubleClicked.connect(self._redial_index)
        self.table.selectionModel().selectionChanged.connect(self._show_details)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.model.modelReset.connect(self._show_details)
        self.model.dataChanged.connect(self._show_details)
        self.row_menu = RowMenu(self.table, lambda _row: self.context_menu())
        self._show_count(self.model.total)

        # Shortcuts on the table only: Enter in the search box searches, it does not redial.
        def on_table(sequence: QKeySequence, slot: Callable[[], None], what: str) -> None:
            shortcut = QShortcut(sequence, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.setWhatsThis(what)  # listed in Help, Keyboard shortcuts
            shortcut.activated.connect(slot)

        redial = _("in the call history: put the call's number in the dialer")
        on_table(QKeySequence(Qt.Key.Key_Return), self.redial_selected, redial)
        on_table(QKeySequence(Qt.Key.Key_Enter), self.redial_selected, redial)
        delete = _("in the call history: delete the call")
        on_table(QKeySequence(QKeySequence.StandardKey.Delete), self.delete_selected, delete)
        copy = _("in the call history: copy the number")
        on_table(QKeySequence(QKeySequence.StandardKey.Copy), self.copy_number, copy)
        pin = _("in the call history: pin or unpin the call")
        on_table(QKeySequence(PIN_SHORTCUT), self.toggle_pin_selected, pin)
        # Down from the search box goes to the results, as in a browser's address bar.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search_edit)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._focus_results)

    # --- searching --------------------------------------------------------------------------

    @Slot()
    def apply_search(self) -> None:
        """Start the search now (the box and filters), keeping the selected call if still shown."""
        self._search_timer.stop()
        selected = self.selected_record()
        self._keep_selected = selected.uuid if selected else None
        self.model.set_search(
            self.search_edit.text(),
            status=self.status_filter,
            recorded_only=self.recorded_check.isChecked(),
        )

    @property
    def status_filter(self) -> CallStatus | None:
        """The call state chosen in the filter, ``None`` for all calls."""
        state: CallStatus | None = self.status_combo.currentData()
        return state

    def show_status(self, state: CallStatus | None) -> None:
        """Limit the history to calls in ``state`` (``None``: all calls)."""
        states = [self.status_combo.itemData(row) for row in range(self.status_combo.count())]
        self.status_combo.setCurrentIndex(states.index(state))

    @Slot()
    def _search_applied(self) -> None:
        self._reselect(self._keep_selected)

    @Slot()
    def refresh(self) -> None:
        """Show calls added or finished since; connect to the dialer's placed/failed signals."""
        selected = self.selected_record()
        at_top = self.table.verticalScrollBar().value() == 0
        self.model.refresh()
        self._reselect(selected.uuid if selected else None, scroll=not at_top)
        if at_top:
            self.table.scrollToTop()

    def _reselect(self, uuid: str | None, *, scroll: bool = True) -> None:
        row = self.model.row_of(uuid) if uuid else None
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index)

    @Slot(int)
    def _show_count(self, total: int) -> None:
        filtered = bool(
            self.model.search_text.strip()
            or self.model.status is not None
            or self.model.recorded_only
        )
        if total == 0:
            text = _("No calls match this search.") if filtered else _("No calls yet.")
        elif filtered:
            text = ngettext("{n} call match", "{n} calls match", total).format(n=f"{total:,}")
        else:
            text = ngettext("{n} call", "{n} calls", total).format(n=f"{total:,}")
        self.count_label.setText(text)

    @Slot()
    def _focus_results(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setFocus()
        if not self.table.selectionModel().hasSelection():
            self._reselect(self.model.record_at(0).uuid)

    # --- the selected call ------------------------------------------------------------------

    @Slot()
    def _show_details(self, *_args: object) -> None:
        """The selected call's outcome and whole sentence under the table, where a column is
        too narrow for it."""
        record = self.selected_record()
        if record is None:
            self.details_label.clear()
            self.details_label.hide()
            return
        who = " ".join(part for part in (number_text(record), record.name) if part)
        # Translators: {who} is the number and the contact's name, {when} the call's date and time.
        heading = _("{who}, {when}").format(who=who, when=long_date_time(record.started_at))
        lines = [heading, call_summary(record)]
        if record.note:
            lines.append(_("Note: {note}").format(note=" ".join(record.note.split())[:500]))
        lines.append(_("Call id {call_id}").format(call_id=record.uuid))
        text = "\n".join(lines)
        self.details_label.setText(text)
        self.details_label.setAccessibleDescription(text)
        self.details_label.show()

    def selected_record(self) -> CallRecord | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.record_at(index.row())

    @Slot(QModelIndex)
    def _redial_index(self, index: QModelIndex) -> None:
        if index.isValid():
            record = self.model.record_at(index.row())
            self.redialRequested.emit(number_text(record), record.name)

    @Slot()
    def redial_selected(self) -> None:
        record = self.selected_record()
        if record is not None:
            # The international form, so a foreign number does not take the default country;
            # with its extension, so the rep is told again to ask for it.
            self.redialRequested.emit(number_text(record), record.name)

    @Slot()
    def copy_number(self) -> None:
        record = self.selected_record()
        if record is not None:
            QApplication.clipboard().setText(record.display_number)
            self.statusMessage.emit(_("Copied {number}.").format(number=record.display_number))

    @Slot()
    def copy_call_id(self) -> None:
        record = self.selected_record()
        if record is not None:
            QApplication.clipboard().setText(record.uuid)
            self.statusMessage.emit(_("Copied the call id."))

    @Slot()
    def play_selected(self) -> None:
        record = self.selected_record()
        if record is not None and record.record:
            self.playRequested.emit(record)

    @Slot()
    def toggle_pin_selected(self) -> None:
        record = self.selected_record()
        if record is not None and self.is_pinned is not None:
            self.pinToggled.emit(record)

    @classmethod
    def ask(cls, parent: QWidget, title: str, question: str) -> bool:
        """Ask a yes/no question; tests replace this instead of clicking a modal box."""
        answer = QMessageBox.question(
            parent,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def delete_selected(self) -> None:
        index = self.table.selectionModel().currentIndex()
        record = self.selected_record()
        if record is None:
            return
        who = f"{record.display_number} ({record.name})" if record.name else record.display_number
        when = short_date_time(record.started_at)
        # Translators: {who} is the number, with the contact's name in brackets if known.
        question = _("Delete the call to {who} at {when} from the history?").format(
            who=who, when=when
        )
        if not self.ask(self, _("Delete call"), question):
            return
        row = index.row()
        try:
            self.model.delete_row(row)
        except DialerError as exc:
            self.statusMessage.emit(exc.sentence)
            return
        self.statusMessage.emit(_("Deleted the call to {who} from the history.").format(who=who))
        # Keep the keyboard flow: the next call takes the deleted one's place.
        if self.model.rowCount():
            self._reselect(self.model.record_at(min(row, self.model.rowCount() - 1)).uuid)

    @Slot()
    def add_selected_to_do_not_call(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.doNotCallRequested.emit(record)

    def context_menu(self) -> QMenu:
        """The menu for the selected call (also what right-click shows)."""
        record = self.selected_record()
        menu = QMenu(self)
        redial = QAction(_("&Redial"), menu)
        redial.setShortcut(QKeySequence(Qt.Key.Key_Return))
        redial.triggered.connect(self.redial_selected)
        copy = QAction(_("&Copy number"), menu)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.triggered.connect(self.copy_number)
        copy_id = QAction(_("Copy call &id"), menu)
        copy_id.triggered.connect(self.copy_call_id)
        play = QAction(_("&Play recording"), menu)
        play.setEnabled(record is not None and record.record)
        if record is not None and not record.record:
            play.setToolTip(_("This call was not recorded"))
        play.triggered.connect(self.play_selected)
        delete = QAction(_("&Delete from history"), menu)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.triggered.connect(self.delete_selected)
        do_not_call = QAction(_("Add to do-&not-call list…"), menu)
        do_not_call.setEnabled(record is not None)
        do_not_call.triggered.connect(self.add_selected_to_do_not_call)
        menu.setDefaultAction(redial)
        for action in (redial, copy, copy_id, play):
            menu.addAction(action)
        if record is not None and self.is_pinned is not None:
            pinned = self.is_pinned(record.display_number)
            # "&Play recording" has P: Pin takes F.
            pin = QAction(_("Unpin from &favorites") if pinned else _("Pin to &favorites"), menu)
            pin.setObjectName("historyPinAction")
            pin.setShortcut(QKeySequence(PIN_SHORTCUT))
            pin.triggered.connect(self.toggle_pin_selected)
            menu.addAction(pin)
        menu.addSeparator()
        menu.addActions([do_not_call, delete])
        return menu

    # --- export -----------------------------------------------------------------------------

    @classmethod
    def ask_export_path(cls, parent: QWidget) -> str:
        """The file the rep picks for the export, "" if cancelled; tests replace this."""
        path, _filter = QFileDialog.getSaveFileName(
            parent, _("Export call history"), "call-history.csv", _("CSV files (*.csv)")
        )
        return path

    @Slot()
    def export(self) -> None:
        """Save the calls matching the current search and filters as CSV, off the GUI thread."""
        chosen = self.ask_export_path(self)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".csv")
        text = self.model.search_text
        status, recorded = self.model.status, self.model.recorded_only
        self.export_button.setEnabled(False)

        def done(count: int | None, error: BaseException | None) -> None:
            self.export_button.setEnabled(True)
            if error is None:
                shown = count or 0
                self.statusMessage.emit(
                    ngettext(
                        "Exported {n} call to {path}.", "Exported {n} calls to {path}.", shown
                    ).format(n=f"{shown:,}", path=path)
                )
            else:
                self.statusMessage.emit(
                    error_sentence(
                        error,
                        _("The export to {path} failed").format(path=path),
                        file=_("Could not write {path}").format(path=path),
                        advice=_("Choose another folder."),
                    )
                )

        self._tasks.run(
            lambda: export_csv(self._log, path, text, status, recorded), done, owner=self
        )
