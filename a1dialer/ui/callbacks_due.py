"""The "Call-backs due" window: every promised call-back due by tonight, across the history
and all call lists; call one (through the ``Dialer``) or mark it done.

Reachable from the View menu (Ctrl+Shift+B), the status bar's "Call back" button and the tray's
call-back notice. The list is read off the GUI thread each time the window is shown, after an
outcome is saved and after a call-back is marked done.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from a1dialer import APP_NAME
from a1dialer.core.callbacks_due import DueCallback, due_callbacks, mark_callback_done
from a1dialer.core.calllog import CallLog
from a1dialer.core.translation import _, ngettext
from a1dialer.ui.dialer import Dialer
from a1dialer.ui.status_label import StatusLabel
from a1dialer.ui.tasks import TaskRunner, error_sentence

SHORTCUT = "Ctrl+Shift+B"
DUE, NAME, NUMBER, LIST, NOTE = range(5)
_CALLBACK_ROLE = Qt.ItemDataRole.UserRole
_OVERDUE = QColor("#b3261e")


def column_names() -> list[str]:
    return [_("Due"), _("Name"), _("Number"), _("List"), _("Note")]


def due_text(when: datetime, now: datetime) -> str:
    """ "14:30", or "Tue 03 Mar 10:00" for a day before today (both in local time)."""
    local = when.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


class CallbacksDueDialog(QDialog):
    """The call-backs due by the end of today, the most overdue first.

    Signals:
        changed(): a call-back was marked done.
    """

    changed = Signal()

    def __init__(
        self, call_log: CallLog, tasks: TaskRunner, dialer: Dialer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksDueDialog")
        self.setWindowTitle(_("Call-backs due — {app}").format(app=APP_NAME))
        self._log = call_log
        self._tasks = tasks
        self._dialer = dialer
        self._reads = 0
        self._select = ""
        self._calling: DueCallback | None = None
        self.callbacks: list[DueCallback] = []

        self.summary = QLabel(self)
        self.summary.setObjectName("callbacksDueSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(column_names()), self)
        self.table.setObjectName("callbacksDueTable")
        self.table.setAccessibleName(_("Call-backs due"))
        self.table.setHorizontalHeaderLabels(column_names())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in {DUE: 120, NAME: 140, NUMBER: 130, LIST: 110}.items():
            self.table.setColumnWidth(column, width)
        self.table.itemActivated.connect(lambda _item: self.call_selected())
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())

        self.call_button = QPushButton(_("&Call"), self)
        self.call_button.setObjectName("callbacksDueCall")
        self.call_button.setDefault(True)
        self.call_button.clicked.connect(self.call_selected)
        self.done_button = QPushButton(_("Mark &done"), self)
        self.done_button.setObjectName("callbacksDueDone")
        self.done_button.setToolTip(_("The call-back is settled: take it off this list (Del)"))
        self.done_button.clicked.connect(self.mark_selected_done)
        close_button = QPushButton(_("Close"), self)
        close_button.clicked.connect(self.close)
        done_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        done_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        done_key.activated.connect(self.mark_selected_done)
        buttons = QHBoxLayout()
        buttons.addWidget(self.call_button)
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        buttons.addWidget(close_button)
        self.message = StatusLabel("callbacksDueMessage", self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(720, 360)
        dialer.placed.connect(self._placed)
        dialer.unknown.connect(self._placed)
        dialer.failed.connect(self._failed)
        dialer.declined.connect(self._declined)
        self._update_buttons()

    # --- reading ----------------------------------------------------------------------------

    def show_due(self, select_uuid: str = "") -> None:
        """Show the window (raised) and read the call-backs again; select ``select_uuid``."""
        self._select = select_uuid
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            return
        self._reads += 1
        read = self._reads

        def done(found: list[DueCallback] | None, error: BaseException | None) -> None:
            if read != self._reads:
                return
            if error is not None:
                self.message.show_message(
                    error_sentence(error, _("The call-backs could not be read")), "error"
                )
                return
            self._fill(found or [])

        self._tasks.run(lambda: due_callbacks(self._log), done, owner=self)

    def _fill(self, callbacks: list[DueCallback]) -> None:
        current = self.selected()
        keep = self._select or (current.uuid if current is not None else "")
        self._select = ""
        self.callbacks = callbacks
        now = datetime.now().astimezone()
        self.table.setRowCount(len(callbacks))
        select_row = 0
        for row, callback in enumerate(callbacks):
            overdue = callback.callback_at < now
            texts = {
                DUE: due_text(callback.callback_at, now),
                NAME: callback.name,
                NUMBER: callback.display_number,
                LIST: callback.list_name,
                NOTE: " ".join(callback.note.split()),
            }
            for column, text in texts.items():
                item = QTableWidgetItem(text)
                item.setData(_CALLBACK_ROLE, callback.uuid)
                if column == NOTE and callback.note:
                    item.setToolTip(callback.note[:1000])
                if column == DUE and overdue:
                    item.setForeground(_OVERDUE)
                    item.setToolTip(_("Overdue"))
                self.table.setItem(row, column, item)
            if callback.uuid == keep:
                select_row = row
        overdue_count = sum(1 for callback in callbacks if callback.callback_at < now)
        if not callbacks:
            self.summary.setText(_("No call-backs due today."))
        else:
            text = ngettext(
                "{n} call-back due by tonight", "{n} call-backs due by tonight", len(callbacks)
            ).format(n=len(callbacks))
            if overdue_count:
                text = ngettext(
                    "{n} call-back due by tonight, {late} overdue.",
                    "{n} call-backs due by tonight, {late} overdue.",
                    len(callbacks),
                ).format(n=len(callbacks), late=overdue_count)
            else:
                text += "."
            self.summary.setText(text)
        if callbacks:
            self.table.selectRow(select_row)
        self._update_buttons()

    def selected(self) -> DueCallback | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.callbacks) or not self.table.selectionModel().hasSelection():
            return None
        return self.callbacks[row]

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.call_button.setEnabled(has and self._calling is None)
        self.done_button.setEnabled(has)

    # --- calling and marking done -----------------------------------------------------------

    def call_selected(self) -> bool:
        """Call the selected call-back through the dialer; ``False`` if nothing was sent."""
        callback = self.selected()
        if callback is None or self._calling is not None:
            return False
        self._calling = callback
        self._update_buttons()
        if not self._dialer.dial(callback.display_number, callback.name, tag=callback):
            if self._calling is callback:  # no ``declined`` came (a call already in flight)
                self._calling = None
                self.message.show_message(_("A call is still being placed; try again."), "note")
            self._update_buttons()
            return False
        who = callback.name or callback.display_number
        self.message.show_message(_("Calling {who}…").format(who=who), "note")
        return True

    def _own(self, tag: object) -> DueCallback | None:
        if self._calling is None or tag is not self._calling:
            return None
        callback, self._calling = self._calling, None
        self._update_buttons()
        return callback

    def _placed(self, tag: object, *_args: object) -> None:
        callback = self._own(tag)
        if callback is not None:
            who = callback.name or callback.display_number
            self.message.show_message(
                _("Called {who}: mark it done once the call-back is settled.").format(who=who),
                "ok",
            )

    def _failed(self, tag: object, _attempt: object, error: object) -> None:
        if self._own(tag) is not None:
            self.message.show_message(getattr(error, "sentence", str(error)), "error")

    def _declined(self, tag: object, reason: str, _question: bool) -> None:
        if self._own(tag) is not None:
            self.message.show_message(reason, "warning")

    def mark_selected_done(self) -> None:
        callback = self.selected()
        if callback is None:
            return

        def done(_result: object, error: BaseException | None) -> None:
            if error is not None:
                self.message.show_message(
                    error_sentence(error, _("The call-back could not be marked done")), "error"
                )
                return
            who = callback.name or callback.display_number
            self.message.show_message(_("Marked the call-back to {who} done.").format(who=who))
            self.changed.emit()
            self.refresh()

        self._tasks.run(lambda: mark_callback_done(self._log, callback.uuid), done, owner=self)
