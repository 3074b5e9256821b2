"""The tables of the window: one-row-at-a-time tables, and their menu of the row it is opened on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableView,
    QWidget,
)

from a1dialer.core.translation import _


def row_table(
    parent: QWidget, model: QAbstractItemModel, object_name: str, accessible_name: str
) -> QTableView:
    """A table of ``model`` that selects whole rows, one at a time, and never edits in place.

    Rows have one fixed height, so the view never measures every row to lay them out; Tab leaves
    the table rather than walking its cells.
    """
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(parent.fontMetrics().height() + 8)
    table.horizontalHeader().setHighlightSections(False)
    return table


class RowMenu(QObject):
    """The context menu of ``view``, for the row it is opened on.

    A right-click opens it for the row under the pointer; the Menu key and Shift+F10 open it for
    the current row (the row the keyboard is on), just below that row. The row is selected first
    (a right-click inside a selection of several rows keeps them), so the menu's actions, which
    act on the selection, act on that row. ``menu_for_row(row)`` builds the menu, or returns
    ``None`` for none; the menu deletes itself when it closes.

    Why not Qt's ``customContextMenuRequested``: for the keyboard, Qt hands the item views the
    current cell's position in the view's own coordinates, header included, while a mouse click
    comes in the viewport's; taken as the viewport's, the keyboard's position lands a row lower.

    Signals:
        opened(object, int): the menu (a ``QMenu``) was shown for that row of the model.
    """

    opened = Signal(object, int)

    def __init__(
        self, view: QAbstractItemView, menu_for_row: Callable[[int], QMenu | None]
    ) -> None:
        super().__init__(view)
        self._view = view
        self._menu_for_row = menu_for_row
        self._menu: QMenu | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)

    @classmethod
    def key_help(cls) -> list[tuple[str, str]]:
        """The keys handled here, for the list of shortcuts."""
        # Translators: "Menu" is the context-menu key of a keyboard.
        return [(_("Menu, Shift+F10"), _("in a table: the menu of the row you are on"))]

    @property
    def menu(self) -> QMenu | None:
        """The menu while it is open."""
        return self._menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            if event.reason() == QContextMenuEvent.Reason.Keyboard:
                self.open_for_current_row()
            elif watched is self._view.viewport():
                self._open_at(event.pos(), event.globalPos())
            else:  # a right-click on the header or the frame: no row there
                return False
            return True
        if (
            watched is self._view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F10
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
        ):
            # Not every platform turns Shift+F10 into a context menu event (X11 does not).
            self.open_for_current_row()
            return True
        return False

    def open_for_current_row(self) -> bool:
        """The menu for the current row, just below it; ``False`` when there is no current row."""
        index = self._view.currentIndex()
        if not index.isValid() or self._menu is not None:
            return False
        self._view.scrollTo(index)
        rect = self._view.visualRect(index)
        corner = QPoint(rect.left() + min(rect.width() // 2, 24), rect.bottom())
        return self._show(index.row(), self._view.viewport().mapToGlobal(corner))

    def _open_at(self, pos: QPoint, global_pos: QPoint) -> bool:
        index = self._view.indexAt(pos)
        if not index.isValid() or self._menu is not None:
            return False
        selection = self._view.selectionModel()
        if not selection.isRowSelected(index.row()):
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        else:
            flags = QItemSelectionModel.SelectionFlag.NoUpdate
        selection.setCurrentIndex(index, flags | QItemSelectionModel.SelectionFlag.Rows)
        return self._show(index.row(), global_pos)

    def _show(self, row: int, global_pos: QPoint) -> bool:
        selection = self._view.selectionModel()
        if not selection.isRowSelected(row):
            index = self._view.model().index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        menu = self._menu_for_row(row)
        if menu is None:
            return False
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.aboutToHide.connect(self._closed)
        self._menu = menu
        menu.popup(global_pos)
        self.opened.emit(menu, row)
        return True

    def _closed(self) -> None:
        self._menu = None
