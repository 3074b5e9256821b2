"""Call-back reminders: when a "Call back at" time comes, say so once, and offer to call.

A timer asks the call log for due call-backs (off the GUI thread); each is marked reminded in the
same step, so a reminder is given once even if the app restarts. The window shows a "Call back"
button in its status bar; the tray (when there is one) shows a notification.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from a1dialer.core.calllog import CallLog, CallRecord
from a1dialer.core.translation import _, ngettext
from a1dialer.ui.local_time import time_of_day
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CHECK_INTERVAL_MS = 30_000


def reminder_text(record: CallRecord) -> str:
    """ "Call back Dana Whitfield (+1 208-555-1234), due 10:00. Note: wants the price list"."""
    number = record.display_number
    if record.callback_at is None:
        if record.name:
            text = _("Call back {name} ({number}).").format(name=record.name, number=number)
        else:
            text = _("Call back {number}.").format(number=number)
    else:
        due = time_of_day(record.callback_at)
        if record.name:
            text = _("Call back {name} ({number}), due {time}.").format(
                name=record.name, number=number, time=due
            )
        else:
            text = _("Call back {number}, due {time}.").format(number=number, time=due)
    if record.note:
        # Translators: {note} is what the rep wrote when saving the outcome.
        text += " " + _("Note: {note}").format(note=record.note)
    return text


class CallbackReminders(QObject):
    """Checks for due call-backs every ``interval_ms`` and at ``check``.

    Signals:
        due(object): a ``CallRecord`` whose call-back time has come (given once).
    """

    due = Signal(object)

    def __init__(
        self,
        call_log: CallLog,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._log = call_log
        self._tasks = tasks
        self._checking = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()
        self.check()

    def check(self) -> None:
        """Look for due call-backs now (one look at a time)."""
        if self._checking:
            return
        self._checking = True
        self._tasks.run(self._take_due, self._found, owner=self)

    def _take_due(self) -> list[CallRecord]:
        """Runs on the worker: the due call-backs, each marked reminded."""
        due = self._log.due_callbacks(datetime.now(UTC))
        for record in due:
            self._log.mark_callback_reminded(record.uuid)
        return due

    def _found(self, due: list[CallRecord] | None, error: BaseException | None) -> None:
        self._checking = False
        if error is not None:
            log.warning("Could not look for due call-backs: %s", error)
            return
        for record in due or []:
            log.info("Call-back due for call %s", record.uuid)
            self.due.emit(record)


class CallbackButton(QToolButton):
    """The status bar's "Call back ..." button, shown while a call-back is due.

    A click puts that number in the dialer (it is not dialled).

    Signals:
        callBackRequested(object): the rep clicked it; carries the due ``CallRecord``.
    """

    callBackRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callbackReminderButton")
        self.setAccessibleName(_("Call back"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._due: list[CallRecord] = []
        self.clicked.connect(self._clicked)
        self.hide()

    @property
    def pending(self) -> list[CallRecord]:
        return list(self._due)

    def add(self, record: CallRecord) -> None:
        self._due.append(record)
        self._show_first()

    def discard(self, uuid: str) -> None:
        """The rep took up this call-back elsewhere (the tray notification)."""
        self._due = [record for record in self._due if record.uuid != uuid]
        self._show_first()

    def _show_first(self) -> None:
        if not self._due:
            self.hide()
            return
        record = self._due[0]
        more = len(self._due) - 1
        who = record.name or record.display_number
        if more:
            # Translators: the status bar button; {who} is a name or number, {n} how many more
            # call-backs are due.
            text = ngettext("Call back {who} (+{n} more)", "Call back {who} (+{n} more)", more)
            self.setText(text.format(who=who, n=more))
        else:
            self.setText(_("Call back {who}").format(who=who))
        self.setToolTip(reminder_text(record) + "\n" + _("Click to put the number in the dialer."))
        self.setAccessibleName(self.text())
        self.setAccessibleDescription(reminder_text(record))
        self.show()

    def _clicked(self) -> None:
        if self._due:
            record = self._due.pop(0)
            self._show_first()
            self.callBackRequested.emit(record)
