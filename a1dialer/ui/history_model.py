"""The call history as a table model that reads the call log one page at a time, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from a1dialer.core.call_export import number_text, options_text
from a1dialer.core.calllog import CallLog, CallRecord, CallStatus
from a1dialer.core.errors import DialerError
from a1dialer.core.outcomes import outcome_label
from a1dialer.core.translation import N_, _
from a1dialer.pbx.causes import cause_in, cause_word
from a1dialer.ui.local_time import day_and_time, long_date_time, short_date_time
from a1dialer.ui.status_label import status_colour
from a1dialer.ui.tasks import TaskRunner

COLUMNS = (
    N_("Time"),
    N_("Number"),
    N_("Name"),
    N_("Outcome"),
    N_("Note"),
    N_("Recorded"),
    N_("Options"),
)
TIME, NUMBER, NAME, OUTCOME, NOTE, RECORDED, OPTIONS = range(len(COLUMNS))
PAGE_SIZE = 200
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class HistorySearch:
    """What the rep asked the history for: the search box, the call state and "With recording"."""

    text: str = ""
    status: CallStatus | None = None
    recorded_only: bool = False


class HistoryModel(QAbstractTableModel):
    """Calls matching the current search; rows are fetched from the call log as the view scrolls.

    Only pages the rep scrolled to are in memory, so 100,000 calls open as fast as 100. A search
    runs on ``tasks``' worker: while one is running, only the latest search asked for waits, and
    a result that is no longer what the rep asked for is dropped, so typing never blocks.

    Signals:
        totalChanged(int): how many calls match the search, after each search or refresh.
        searchApplied(): the rows now show the latest search asked for.
        searchFailed(str): a sentence when the call log could not be read.
    """

    totalChanged = Signal(int)
    searchApplied = Signal()
    searchFailed = Signal(str)

    def __init__(self, call_log: CallLog, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = call_log
        self._tasks = tasks
        self._rows: list[CallRecord] = []
        self._total = 0
        self._shown = self._wanted = HistorySearch()
        self._running = False
        # Bumped when the log changes under the rows (refresh, delete): a result read before
        # that is stale even for the same search.
        self._generation = 0
        self._load(PAGE_SIZE)

    # --- the search -------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many calls match, including rows not fetched yet."""
        return self._total

    @property
    def search_text(self) -> str:
        """The search the rows show (a newer one may still be running)."""
        return self._shown.text

    @property
    def status(self) -> CallStatus | None:
        """The call state the rows are limited to, ``None`` for every call."""
        return self._shown.status

    @property
    def recorded_only(self) -> bool:
        return self._shown.recorded_only

    @property
    def searching(self) -> bool:
        """True while the rows do not show the latest search asked for yet."""
        return self._running or self._wanted != self._shown

    def set_search(
        self, text: str, *, status: CallStatus | None = None, recorded_only: bool = False
    ) -> None:
        """Show the calls matching ``text`` and the filters, from the newest, once read."""
        wanted = HistorySearch(text, status, recorded_only)
        if wanted == self._wanted:
            return
        self._wanted = wanted
        self._start()

    def _start(self) -> None:
        if self._running:
            return  # the search running now is followed by the latest one when it lands
        if self._wanted == self._shown:
            self.searchApplied.emit()
            return
        search, generation = self._wanted, self._generation
        self._running = True

        def landed(found: tuple[list[CallRecord], int] | None, error: BaseException | None) -> None:
            self._running = False
            if error is not None:
                self._wanted = self._shown  # the rows still show what was read last
                if not isinstance(error, DialerError):
                    raise error
                self.searchFailed.emit(error.sentence)
            elif found is not None and search == self._wanted and generation == self._generation:
                self._show(search, *found)
                self.searchApplied.emit()
            else:
                self._start()  # stale: the rep typed on, or the log changed; read the latest

        self._tasks.run(lambda: self._read(search, PAGE_SIZE), landed, owner=self)

    def refresh(self) -> None:
        """Read the log again (a call was placed or finished), keeping as many rows loaded."""
        self._generation += 1
        self._load(max(PAGE_SIZE, len(self._rows)))

    def _load(self, rows: int) -> None:
        """Read on this thread; a log that cannot be read (damaged since it was opened) keeps
        the rows read last and is said by ``searchFailed``."""
        try:
            found = self._read(self._shown, rows)
        except DialerError as exc:
            self.searchFailed.emit(exc.sentence)
            return
        self._show(self._shown, *found)

    def _read(self, search: HistorySearch, rows: int) -> tuple[list[CallRecord], int]:
        """The first ``rows`` calls matching ``search`` and how many match (on any thread)."""
        found = self._log.search(
            search.text,
            limit=rows,
            status=search.status,
            recorded_only=search.recorded_only,
        )
        # A short first page is the whole answer: no second query to count it.
        if len(found) < rows:
            return found, len(found)
        total = self._log.count(
            search.text, status=search.status, recorded_only=search.recorded_only
        )
        return found, total

    def _show(self, search: HistorySearch, rows: list[CallRecord], total: int) -> None:
        self.beginResetModel()
        self._shown, self._rows, self._total = search, rows, total
        self.endResetModel()
        self.totalChanged.emit(self._total)

    # --- rows -------------------------------------------------------------------------------

    def record_at(self, row: int) -> CallRecord:
        return self._rows[row]

    def row_of(self, uuid: str) -> int | None:
        """The row showing call ``uuid`` among the rows fetched so far."""
        for row, record in enumerate(self._rows):
            if record.uuid == uuid:
                return row
        return None

    def delete_row(self, row: int) -> bool:
        """Delete the call in ``row`` from the log; ``False`` if it was already gone."""
        record = self._rows[row]
        deleted = self._log.delete(record.uuid)
        self._generation += 1
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._total = max(0, self._total - 1)
        self.endRemoveRows()
        self.totalChanged.emit(self._total)
        return deleted

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._log.search(
            self._shown.text,
            limit=PAGE_SIZE,
            offset=len(self._rows),
            status=self._shown.status,
            recorded_only=self._shown.recorded_only,
        )
        if not page:
            # Calls were deleted elsewhere (the CLI): the count was too high.
            self._total = len(self._rows)
            self.totalChanged.emit(self._total)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == OUTCOME:
            if record.status == "failed":
                return QColor("#c62828")
            if record.status == "unknown":  # neither failed (red) nor placed: it may have rung
                return status_colour("warning", QApplication.palette())
            if record.status == "pending":
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if (
            role == Qt.ItemDataRole.DecorationRole
            and column == OUTCOME
            and record.status == "unknown"
            and not record.outcome
        ):
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxQuestion)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RECORDED:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.AccessibleTextRole and column == RECORDED:
            return _("recorded") if record.record else _("not recorded")
        return None

    @staticmethod
    def _display(record: CallRecord, column: int) -> str:
        if column == TIME:
            return short_date_time(record.started_at)
        if column == NUMBER:
            return number_text(record)
        if column == NAME:
            return record.name
        if column == OUTCOME:
            return rep_outcome_text(record) or call_state(record)
        if column == NOTE:
            return " ".join(record.note.split())
        if column == RECORDED:
            return "✓" if record.record else ""
        return options_text(record)

    @staticmethod
    def _tooltip(record: CallRecord, column: int) -> str | None:
        if column == TIME:
            return long_date_time(record.started_at)
        if column == NUMBER:
            dialled = _("Dialled as {number}").format(number=record.number)
            return "\n".join(identity_lines(record, dialled))
        if column == OUTCOME:
            return call_summary(record)
        if column == NOTE and record.note:
            return record.note[:2000]
        if column == RECORDED:
            if record.recording_path is not None:
                return _("Recorded; saved at {path}").format(path=record.recording_path)
            if record.record:
                return _("Recorded: right-click and choose Play recording")
            return None
        return None


def call_state(record: CallRecord) -> str:
    """What became of the call in a word or two, to scan the history by: "Placed", "Busy",
    "Unknown", "Failed"; the sentence saying why is ``call_summary``'s."""
    if record.status == "placed":
        return _("Placed")
    if record.status == "pending":
        return _("Calling…")
    if record.status == "unknown":
        return _("Unknown")
    return cause_word(cause_in(record.details)) or _("Failed")


def call_summary(record: CallRecord) -> str:
    """The outcome and the whole sentence about the call, for its tooltip and details."""
    lines = [rep_outcome_text(record)]
    if record.status == "placed":
        lines.append(_("Placed: the PBX accepted the call."))
    elif record.status == "pending":
        lines.append(_("Calling: the PBX has not answered yet."))
    elif record.status == "unknown":
        lines.append(_("Unknown: no definite answer came, so the PBX may have called."))
        lines.append(record.error)
    else:
        lines.append(record.error or _("Failed."))
    return "\n".join(line for line in lines if line)


def identity_lines(record: CallRecord, dialled: str) -> list[str]:
    """The number's details: how it was dialled, the caller ID used, the phone that rang first."""
    lines = [dialled]
    if record.cid_number:
        shown = f"{record.cid_number}, {record.cid_name}" if record.cid_name else record.cid_number
        lines.append(_("Customer saw {caller_id}").format(caller_id=shown))
    if record.ring_me_at:
        lines.append(_("Rang {number} first").format(number=record.ring_me_at))
    lines.append(_("Call id {call_id}").format(call_id=record.uuid))
    return lines


def rep_outcome_text(record: CallRecord) -> str:
    """The outcome the rep saved: "Voicemail", "Call back Tue 10:00"; "" if none."""
    if record.outcome and record.callback_at is not None:
        shown = outcome_label(record.outcome)
        # Translators: {outcome} is the saved outcome ("Call back"), {when} the day and time
        # to call back ("Tue 10:00", or a date further off).
        return _("{outcome} {when}").format(outcome=shown, when=day_and_time(record.callback_at))
    return outcome_label(record.outcome)
