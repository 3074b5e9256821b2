"""Auto-advance: a visible countdown to the next call of a list, which any key or click pauses.

The countdown starts after an outcome is saved (so never while the rep types its note), shows
its seconds in the call lists dock, and at zero asks the dock to Dial next (the usual one press:
the same guards and questions). Any key or click anywhere in the app pauses it; Esc stops the run
until the rep presses Dial next again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from a1dialer.core.translation import _

AUTO_ADVANCE_SECONDS = 5
_PAUSING = (
    QEvent.Type.ApplicationDeactivate,  # the rep went to another app: do not call behind them
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
)


class Countdown(QObject):
    """Counts down in ``label``; ``fired`` at zero. ``tick_ms`` is one second (tests shorten it).

    Signals:
        fired(): the countdown reached zero: call the next number now.
    """

    fired = Signal()

    def __init__(self, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.seconds = AUTO_ADVANCE_SECONDS
        self.tick_ms = 1000
        self.state = "off"  # "running", "paused" or "off"
        self.stopped = False  # Esc ended the run: no countdown until Dial next is pressed
        self._left = 0
        self._who = ""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._watching = False
        label.hide()

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def left(self) -> int:
        """Seconds left before the next call."""
        return self._left

    def start(self, who: str) -> None:
        """Count down to calling ``who``, unless the rep stopped the run."""
        if self.stopped:
            return
        self._who = who
        self._left = self.seconds
        self.state = "running"
        self._timer.start(self.tick_ms)
        self._watch(True)
        self._show()

    def pause(self) -> None:
        if self.state != "running":
            return
        self.state = "paused"
        self._timer.stop()
        self._show()

    def stop(self) -> None:
        """Esc: end the run; the next Dial next starts it again."""
        self.stopped = True
        self.cancel()

    def cancel(self) -> None:
        """Hide the countdown (a call started another way); the run goes on."""
        self.state = "off"
        self._timer.stop()
        self._watch(False)
        self.label.hide()

    def resume_run(self) -> None:
        """The rep pressed Dial next: later outcomes count down again."""
        self.stopped = False

    def _tick(self) -> None:
        self._left -= 1
        if self._left > 0:
            self._show()
            return
        self.cancel()
        self.fired.emit()

    def _show(self) -> None:
        if self.state == "running":
            text = _("Next call in {seconds} s: {who}. Any key or click pauses; Esc stops.").format(
                seconds=self._left, who=self._who
            )
        else:
            text = _("Paused. Dial next (Ctrl+N) calls {who}; Esc stops.").format(who=self._who)
        self.label.setText(text)
        self.label.setAccessibleDescription(text)
        self.label.show()

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        self._watching = on
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # Esc is ours while counting: not the window's "clear number"
                return True
            if kind == QEvent.Type.KeyPress:
                self.stop()
                return True
            return False
        if kind in _PAUSING:
            self.pause()
        return False
