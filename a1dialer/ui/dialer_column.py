"""The dialer panel in a column of comfortable width that scrolls where the screen is short."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from a1dialer.ui.window_fit import fit_size

DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
# The widest the dial pad and the number field grow: wider only moves the keys apart.
DIALER_MAX_WIDTH = 520


class DialerColumn(QScrollArea):
    """Holds ``panel`` at most ``DIALER_MAX_WIDTH`` wide, centred; scrolls on a short screen.

    Beside a dock it asks for no more than the panel's own width, so the history and the call
    lists get the rest of a wide window. On a screen too short for the whole panel (1366x768,
    200% scaling) it scrolls, and the control that takes the focus (Tab, the outcome panel
    appearing) is scrolled into view.
    """

    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialerColumn")
        self.panel = panel
        holder = QWidget(self)
        holder.setObjectName("dialerHolder")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        panel.setParent(holder)
        panel.setMaximumWidth(DIALER_MAX_WIDTH)
        panel.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Up to its maximum width, then the spare room split evenly on both sides.
        row.addStretch(1)
        row.addWidget(panel, 1000)
        row.addStretch(1)
        self.setWidget(holder)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._parts_shown = self._shown_parts()
        self._wanted_height = _needed(holder).height()
        self._window_height = 0
        panel.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.panel and event.type() == QEvent.Type.LayoutRequest:
            # The panel's needs changed (the outcome panel appeared): ask the window for the
            # new width, and once laid out, show what appeared and what has the focus.
            self.updateGeometry()
            shown = self._shown_parts()
            appeared = [part for part in shown if part not in self._parts_shown]
            self._parts_shown = shown
            QTimer.singleShot(0, self, lambda: self._laid_out(appeared))
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        """The panel's whole size: QScrollArea's own hint stops at 24 lines of text."""
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        wanted = _needed(self.panel)
        frame = 2 * self.frameWidth()
        return QSize(wanted.width() + scroll_bar + frame, wanted.height() + frame)

    def minimumSizeHint(self) -> QSize:
        """As narrow as the panel can be; a few lines tall, since the rest scrolls."""
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        lines = self.fontMetrics().lineSpacing() * 8
        return QSize(self.panel.minimumSizeHint().width() + scroll_bar, lines)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Shorter in a window of the same height: another part grew (the status bar took a
        # button); the window grows rather than the dialer scrolling, where there is room.
        height = self.window().height()
        shorter = event.oldSize().isValid() and event.size().height() < event.oldSize().height()
        if shorter and height == self._window_height:
            QTimer.singleShot(0, self, self.show_all)
        self._window_height = height

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.panel.isAncestorOf(new):
            QTimer.singleShot(0, self, self.reveal_focus)

    def _shown_parts(self) -> list[QWidget]:
        return [w for w in self.panel.findChildren(QWidget, options=DIRECT) if not w.isHidden()]

    def _laid_out(self, appeared: list[QWidget]) -> None:
        holder = self.widget()
        wanted = _needed(holder).height() if holder is not None else 0
        grew, self._wanted_height = wanted > self._wanted_height, wanted
        if grew:  # a longer message, the outcome panel
            self.show_all()
        self._reveal(appeared)

    def show_all(self) -> None:
        """Grow the window to show the whole panel, as far as its screen allows: the column
        scrolls only where the screen is short."""
        holder = self.widget()
        window = self.window()
        if holder is None or window.isMaximized() or window.isFullScreen():
            return
        missing = _needed(holder).height() - self.viewport().height()
        if missing > 0 and window.isVisible():
            taller = fit_size(window, QSize(window.width(), window.height() + missing))
            if taller.height() > window.height():
                window.resize(window.width(), taller.height())

    def _reveal(self, parts: list[QWidget]) -> None:
        for part in parts:
            if not part.isHidden():
                self.ensureWidgetVisible(part, 0, 8)
        self.reveal_focus()

    def reveal_focus(self) -> None:
        """Scroll the focused control into view, with the whole part of the panel around it
        (the outcome panel, the call status) where it fits."""
        focus = QApplication.focusWidget()
        if focus is None or not self.panel.isAncestorOf(focus):
            return
        part = focus
        while (parent := part.parentWidget()) is not None and parent is not self.panel:
            part = parent
        self.ensureWidgetVisible(part, 0, 8)
        self.ensureWidgetVisible(focus, 0, 8)


def _needed(widget: QWidget) -> QSize:
    """The size ``widget`` takes unscrolled: its hint, or its minimum where that is larger."""
    return widget.sizeHint().expandedTo(widget.minimumSizeHint())
