"""The numbers of one call list as a table: position, name, number, company, notes and state.

The State column says what became of a row and when it is next due: "Busy — retry 14:30",
"Call back Tue 10:00", "Connected", "Do not call" (struck through), in local time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from a1dialer.core.call_lists import ListEntry, Progress
from a1dialer.core.list_queue import BUSY, CALLED, FAILED, NO_ANSWER, UNKNOWN, is_open
from a1dialer.core.outcomes import CALL_BACK
from a1dialer.core.translation import _, ngettext

COLUMNS = ("#", "Name", "Number", "Company", "Notes", "State")
POSITION, NAME, NUMBER, COMPANY, NOTES, STATE = range(len(COLUMNS))
_Index = QModelIndex | QPersistentModelIndex


class CallListModel(QAbstractTableModel):
    """The entries of the list shown in the dock, in calling order.

    A failed call leaves its entry to do; the failure sentence is kept here (for this session) and
    shown in the State column, so the rep sees why before dialling it again or skipping it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ListEntry] = []
        self._failures: dict[int, str] = {}
        # "Today" for the State column's times (the dock's clock, so tests can move it).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def set_entries(self, entries: list[ListEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    @property
    def entries(self) -> list[ListEntry]:
        return self._entries

    def entry_at(self, row: int) -> ListEntry:
        return self._entries[row]

    def row_of(self, entry_id: int) -> int | None:
        for row, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return row
        return None

    def next_todo(self, after_row: int = -1) -> int | None:
        """The row of the first entry still to call some time (after ``after_row``): to do, not
        do-not-call, not waiting for the rep; ``None`` if there is none."""
        for row in range(after_row + 1, len(self._entries)):
            if is_open(self._entries[row]):
                return row
        return None

    def set_progress(
        self, entry_id: int, progress: Progress, call_uuid: str | None = None
    ) -> ListEntry | None:
        """Show what a call or an outcome did to ``entry_id``; return the entry as it is now."""
        row = self.row_of(entry_id)
        if row is None:
            return None
        changes: dict[str, Any] = {
            "state": progress.state,
            "attempts": progress.attempts,
            "due_at": progress.due_at,
            "result": progress.result,
        }
        if call_uuid is not None:
            changes["call_uuid"] = call_uuid
        self._entries[row] = replace(self._entries[row], **changes)
        if progress.result != FAILED:
            self._failures.pop(entry_id, None)
        self._row_changed(row)
        return self._entries[row]

    def replace_entry(self, entry: ListEntry) -> None:
        """Show ``entry`` as the store has it now."""
        row = self.row_of(entry.id)
        if row is not None:
            self._entries[row] = entry
            self._row_changed(row)

    def set_do_not_call(self, entry_id: int) -> None:
        row = self.row_of(entry_id)
        if row is not None:
            self._entries[row] = replace(self._entries[row], dnc=True)
            self._row_changed(row)

    def set_state(self, entry_id: int, state: str, call_uuid: str | None = None) -> None:
        """Show ``entry_id`` as called, skipped or to do again (the store already says so)."""
        row = self.row_of(entry_id)
        if row is None:
            return
        entry = self._entries[row]
        changes: dict[str, Any] = {"state": state}
        if call_uuid is not None:
            changes["call_uuid"] = call_uuid
        self._entries[row] = replace(entry, **changes)
        if state != "todo":
            self._failures.pop(entry_id, None)
        self._row_changed(row)

    def put_entry(self, entry: ListEntry) -> None:
        """Show ``entry`` as the store now has it (edited by the rep), or at the end if new."""
        row = self.row_of(entry.id)
        if row is None:
            end = len(self._entries)
            self.beginInsertRows(QModelIndex(), end, end)
            self._entries.append(entry)
            self.endInsertRows()
            return
        self._entries[row] = entry
        self._row_changed(row)

    def set_failure(self, entry_id: int, sentence: str) -> None:
        self._failures[entry_id] = sentence
        row = self.row_of(entry_id)
        if row is not None:
            self._row_changed(row)

    def failure(self, entry_id: int) -> str:
        return self._failures.get(entry_id, "")

    def swap(self, row: int, other: int) -> None:
        """Show two neighbouring rows swapped (after the store moved one)."""
        first, second = sorted((row, other))
        self.beginMoveRows(QModelIndex(), second, second, QModelIndex(), first)
        entries = self._entries
        entries[first], entries[second] = entries[second], entries[first]
        entries[first], entries[second] = (
            replace(entries[first], position=entries[second].position),
            replace(entries[second], position=entries[first].position),
        )
        self.endMoveRows()
        self._row_changed(first)
        self._row_changed(second)

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(index.row(), entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATE and entry.id in self._failures:
                return f"The last call failed: {self._failures[entry.id]}"
            if column == STATE and entry.attempts:
                return ngettext("{n} call so far", "{n} calls so far", entry.attempts).format(
                    n=entry.attempts
                )
            if column == NOTES and entry.notes:
                return entry.notes[:1000]
            if column == NUMBER:
                return f"Dialled as {entry.dial}" + (
                    f"\nCall id {entry.call_uuid}" if entry.call_uuid else ""
                )
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.state != "todo" or entry.dnc:
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            if column == STATE and entry.id in self._failures:
                return QColor("#c62828")
        if role == Qt.ItemDataRole.FontRole:
            if entry.dnc and entry.state == "todo":
                font = QFont()
                font.setStrikeOut(True)
                return font
            if column == STATE and is_open(entry):
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == POSITION:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _display(self, row: int, entry: ListEntry, column: int) -> str:
        if column == POSITION:
            return str(row + 1)
        if column == NAME:
            return entry.name
        if column == NUMBER:
            return entry.display or entry.number
        if column == COMPANY:
            return entry.company
        if column == NOTES:
            return " ".join(entry.notes.split())
        return state_text(entry, self.clock())


def local_time(moment: datetime, now: datetime) -> str:
    """A time in the rep's local time: "14:30" today, "Tue 10:00" within a week, else a date."""
    local, today = moment.astimezone(), now.astimezone()
    days = (local.date() - today.date()).days
    if days == 0:
        return local.strftime("%H:%M")
    if 0 < days < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def state_text(entry: ListEntry, now: datetime) -> str:
    """What the State column says about ``entry`` at ``now``."""
    if entry.dnc and entry.state == "todo":
        return _("Do not call")
    if entry.state == "skipped":
        return _("Skipped")
    result, due = entry.result, entry.due_at
    if entry.state == "todo":
        if result == UNKNOWN:
            return _("Unknown — check your phone")
        if result == FAILED:
            return _("Failed — tried again after the others")
        if result == CALL_BACK and due is not None:
            return _("Call back {time}").format(time=local_time(due, now))
        if result == BUSY and due is not None:
            return _("Busy — retry {time}").format(time=local_time(due, now))
        if result == NO_ANSWER and due is not None:
            return _("No answer — retry {time}").format(time=local_time(due, now))
        if due is not None and due > now:
            return _("To call {time}").format(time=local_time(due, now))
        return _("To call")
    if result == BUSY:
        return _("Busy — no more retries")
    if result == NO_ANSWER:
        return _("No answer — no more retries")
    if result in ("", CALLED):
        return _("Called")
    return result
