"""The call history dock beside the dialer; its table is built the first time it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from a1dialer.core.translation import _
from a1dialer.ui.window_fit import make_room

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent

    from a1dialer.ui.history_view import HistoryView

# Width given to the history dock when the rep opens it.
HISTORY_WIDTH = 720


class HistoryDock(QDockWidget):
    """Docks the history into ``window``; ``make_view(parent)`` builds its table.

    The table (and the history modules) wait until the window has painted once
    (``allow_building``) and the rep shows the dock: a rep who never opens the history never
    pays for it.

    Signals:
        built(object): the ``HistoryView`` was made.
    """

    built = Signal(object)

    def __init__(self, window: QMainWindow, make_view: Callable[[QWidget], HistoryView]) -> None:
        super().__init__(_("Call history"), window)
        self.setObjectName("historyDock")
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self._window = window
        self._make_view = make_view
        self._may_build = False
        self.view: HistoryView | None = None
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self)
        self.hide()
        self.toggleViewAction().triggered.connect(self._make_room)

    def allow_building(self) -> None:
        """The window has painted: build the table now if the dock is shown, else when it is."""
        self._may_build = True
        if self.isVisible():
            self._build()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._may_build:
            self._build()

    def _build(self) -> None:
        if self.view is None:
            self.view = self._make_view(self)
            self.setWidget(self.view)
            self.built.emit(self.view)

    def _make_room(self, shown: bool) -> None:
        """Widen the window for the history rather than squeezing the dialer."""
        if shown:
            make_room(self._window, self, HISTORY_WIDTH)
