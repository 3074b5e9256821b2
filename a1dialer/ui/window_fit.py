"""Keeping a window on its screen: its first size, a restored size, and room made for a dock."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

# What a window manager adds around a window not yet shown (title bar, borders), when the
# window cannot tell yet.
FRAME_GUESS = QSize(16, 40)


def frame_extra(window: QWidget) -> QSize:
    """How much the frame (title bar, borders) adds to the window's size."""
    frame, inner = window.frameGeometry(), window.geometry()
    extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if window.isVisible() and (extra.width() > 0 or extra.height() > 0):
        return extra
    return FRAME_GUESS


def room(window: QWidget) -> QRect:
    """The area the window's contents may take on its screen: the available area less its
    frame."""
    screen = window.screen().availableGeometry()
    extra = frame_extra(window)
    return QRect(screen.topLeft(), screen.size() - extra)


def fit_size(window: QWidget, wanted: QSize) -> QSize:
    """``wanted``, made smaller where the window's screen is smaller."""
    return wanted.boundedTo(room(window).size()).expandedTo(QSize(1, 1))


def keep_on_screen(window: QWidget) -> None:
    """Shrink the window to its screen and move it fully onto it (a size restored from another,
    larger monitor, or grown by new contents)."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = window.screen().availableGeometry()
    extra = frame_extra(window)
    size = window.size()
    fitted = fit_size(window, size)
    if fitted != size:
        window.resize(fitted)
    frame = window.frameGeometry()
    width, height = fitted.width() + extra.width(), fitted.height() + extra.height()
    x = min(max(frame.x(), area.left()), area.right() + 1 - width)
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - height)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def make_room(window: QMainWindow, dock: QDockWidget, width: int) -> None:
    """Widen the window for ``dock`` (``width`` wide) rather than squeezing the dialer, as far
    as the screen allows."""
    if not window.isMaximized() and not window.isFullScreen():
        central = window.centralWidget()
        dialer_width = central.width() if central is not None else window.width()
        wanted = QSize(max(window.width(), dialer_width + width), window.height())
        window.resize(fit_size(window, wanted))
        keep_on_screen(window)
    window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
