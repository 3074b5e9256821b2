"""The window's status bar: a message too long for the window is shortened, never cut off."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget


class ElidedLabel(QLabel):
    """One line of text ending in "…" where it is too long for the label's width, with the
    whole text in its tooltip and for screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self.full_text = ""

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        # One line: more would be cut at the status bar's height.
        line = " ".join(self.full_text.split())
        room = max(1, self.contentsRect().width() - 2 * self.margin() - 2 * self.indent())
        shown = self.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, room)
        self.setText(shown)
        self.setToolTip(self.full_text if shown != line else "")


class ElidingStatusBar(QStatusBar):
    """A status bar whose message is shortened where the window is too narrow for it
    (``ElidedLabel``), rather than cut off mid-word.

    ``showMessage``, ``clearMessage``, ``currentMessage`` and ``messageChanged`` work as on any
    status bar; widgets added with ``addPermanentWidget`` stay visible beside the message.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.message_label = ElidedLabel(self)
        self.message_label.setObjectName("statusBarMessage")
        self.addWidget(self.message_label, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        self.message_label.set_full_text(text)
        if timeout:
            self._timer.start(timeout)
        else:
            self._timer.stop()
        self.messageChanged.emit(text)

    def clearMessage(self) -> None:
        self._timer.stop()
        if self.message_label.full_text:
            self.message_label.set_full_text("")
            self.messageChanged.emit("")

    def currentMessage(self) -> str:
        return self.message_label.full_text

    @property
    def shown_text(self) -> str:
        """The message as the window shows it, shortened to fit."""
        return self.message_label.text()
