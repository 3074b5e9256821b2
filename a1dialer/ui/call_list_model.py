"""The numbers of one call list as a table: position, name, number, company, notes and state."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from a1dialer.core.call_lists import ListEntry

COLUMNS = ("#", "Name", "Number", "Company", "Notes", "State")
POSITION, NAME, NUMBER, COMPANY, NOTES, STATE = range(len(COLUMNS))
STATE_TEXT = {"todo": "To do", "done": "Called", "skipped": "Skipped"}
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
        """The row of the first entry still to call (after ``after_row``), or ``None``."""
        for row in range(after_row + 1, len(self._entries)):
            if self._entries[row].state == "todo":
                return row
        return None

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
            if column == NOTES and entry.notes:
                return entry.notes[:1000]
            if column == NUMBER:
                return f"Dialled as {entry.dial}" + (
                    f"\nCall id {entry.call_uuid}" if entry.call_uuid else ""
                )
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if entry.state != "todo":
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            if column == STATE and entry.id in self._failures:
                return QColor("#c62828")
        if role == Qt.ItemDataRole.FontRole and column == STATE and entry.state == "todo":
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
        text = STATE_TEXT.get(entry.state, entry.state)
        if entry.id in self._failures:
            text += " (last call failed)"
        return text
