"""The import dialog's phone columns: which of a file's columns hold numbers, in the order tried."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.translation import _

_COLUMN = Qt.ItemDataRole.UserRole


class PhoneColumnOrder(QWidget):
    """Every column of the file, the ticked ones holding phone numbers, top first.

    A row is dialled on the first ticked column that holds a usable number; the others are kept
    for the contact card. Move up/down (or Ctrl+Up/Down in the list) changes the order; Space
    ticks a column.

    Signals:
        changed(): the ticked columns or their order changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("importPhoneOrder")
        self.list.setAccessibleName(_("Phone columns, in the order they are tried"))
        self.list.setToolTip(
            _(
                "Each row is dialled on the first ticked column that holds a number that can "
                "be dialled; its other numbers are kept for the contact card."
            )
        )
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMaximumHeight(self.fontMetrics().height() * 6)
        self.list.itemChanged.connect(lambda *_args: self.changed.emit())
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.installEventFilter(self)
        self.up_button = QPushButton(_("Move &up"), self)
        self.up_button.setObjectName("importPhoneUp")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(_("Move do&wn"), self)
        self.down_button.setObjectName("importPhoneDown")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_columns(self, headers: Sequence[str], order: Sequence[int]) -> None:
        """Show ``headers``: the columns of ``order`` first and ticked, then the rest."""
        self.list.blockSignals(True)
        self.list.clear()
        for index in [*order, *(i for i in range(len(headers)) if i not in order)]:
            item = QListWidgetItem(headers[index] or f"Column {index + 1}")
            item.setData(_COLUMN, index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = index in order
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._update_buttons()
        self.changed.emit()

    def order(self) -> tuple[int, ...]:
        """The ticked columns, top first."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return tuple(
            int(item.data(_COLUMN))
            for item in items
            if item is not None and item.checkState() == Qt.CheckState.Checked
        )

    def move_current(self, step: int) -> None:
        """Move the current column ``step`` places (-1 up, 1 down)."""
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.changed.emit()

    def eventFilter(self, watched: object, event: object) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _update_buttons(self, *_args: object) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
