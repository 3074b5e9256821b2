"""A message label whose colour says error, warning or good news, readable on light and dark."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from a1dialer.ui.window_fit import fit_size

_COLOURS = {  # (on a light window, on a dark window); each keeps 4.5:1 contrast or better
    "error": ("#b3261e", "#f2b8b5"),
    "warning": ("#7a4a00", "#ffcc80"),
    "ok": ("#1e6b2b", "#a5d6a7"),
}


def status_colour(kind: str, palette: QPalette) -> QColor:
    """The text colour for a message of ``kind`` that stays readable on ``palette``'s window."""
    if kind not in _COLOURS:
        return palette.color(QPalette.ColorRole.WindowText)
    light, dark = _COLOURS[kind]
    is_dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor(dark if is_dark else light)


class StatusLabel(QLabel):
    """A word-wrapped message whose colour says whether it is an error, a warning or good news.

    The colour follows the palette (light or dark) and changes with it; the kind is also the
    dynamic property ``status`` so style sheets and tests can see it without reading colours.
    """

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._kind = "note"
        self.hide()

    @property
    def kind(self) -> str:
        return self._kind

    def show_message(self, text: str, kind: str = "note") -> None:
        self._kind = kind
        self.setProperty("status", kind)
        self.setText(text)
        self.setAccessibleDescription(text)
        self._apply_colour()
        self.setVisible(bool(text))
        if text:
            # After the pending layout pass, so the label's new size is known.
            QTimer.singleShot(0, self, self._fit_window)

    def clear_message(self) -> None:
        self.show_message("", "note")

    def _fit_window(self) -> None:
        if self.isVisible():  # not in a hidden dock, where its width means nothing
            fit_window(self)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colour()

    def _apply_colour(self) -> None:
        parent = self.parentWidget()
        colour = status_colour(self._kind, parent.palette() if parent else self.palette())
        palette = self.palette()
        # Comparing first keeps our own setPalette (itself a PaletteChange) from recursing.
        if palette.color(QPalette.ColorRole.WindowText) != colour:
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(palette)


def fit_window(widget: QWidget) -> None:
    """Grow ``widget``'s window so every layout around it gets the height its contents need.

    Top-level windows do not grow by themselves for height-for-width contents (wrapped labels)
    or rows shown after the window was, so a message appearing later would be clipped. Never
    past the screen's bottom: there the dialer's column scrolls instead.
    """
    window = widget.window()
    if not window.isVisible():
        return
    missing = 0
    current: QWidget | None = widget
    while current is not None:
        layout = current.layout()
        if layout is not None:
            layout.activate()
            needed = layout.totalMinimumSize().height()
            if layout.hasHeightForWidth():
                needed = max(needed, layout.totalHeightForWidth(current.width()))
            missing = max(missing, needed - current.height())
        current = None if current is window else current.parentWidget()
    if missing > 0:
        taller = fit_size(window, QSize(window.width(), window.height() + missing))
        if taller.height() > window.height():
            window.resize(window.width(), taller.height())
