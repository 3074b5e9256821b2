"""Work that waits for the window's first paint, done one step per event-loop turn.

Each step on the GUI thread runs in a turn of its own, so the window answers clicks and keys
between them; a step that needs no widgets (opening the call log, importing the modules the next
steps use) runs on the task runner, and the next step waits for it.
"""

from __future__ import annotations

import importlib
import logging
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

Done = Callable[[object, BaseException | None], None]


class StartUp(QObject):
    """The steps after the first paint, in the order they were added.

    Signals:
        finished(): every step added so far has run; the event loop is idle.
    """

    finished = Signal()

    def __init__(self, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._steps: deque[tuple[Callable[[], object], Done | None, bool]] = deque()
        self._started = False
        self._running = False
        self._stopped = False

    @property
    def started(self) -> bool:
        return self._started

    def then(self, step: Callable[[], object]) -> None:
        """Run ``step`` on the GUI thread, in an event-loop turn of its own."""
        self._add(step, None, off_thread=False)

    def then_off_thread(self, work: Callable[[], object], done: Done | None = None) -> None:
        """Run ``work`` on a worker; ``done(result, error)`` on the GUI thread before the next
        step."""
        self._add(work, done, off_thread=True)

    def then_import(self, names: Iterable[str]) -> None:
        """Import the modules the next steps use on a worker, so their turns only build."""
        wanted = tuple(names)
        self.then_off_thread(lambda: [importlib.import_module(name) for name in wanted])

    def stop(self) -> None:
        """Drop the steps not run yet, and the answer of one running on a worker (the app
        cannot go on, or the window the steps build is gone)."""
        self._stopped = True
        self._steps.clear()

    def start(self) -> None:
        """Begin (after the first paint, or at once for an app started in the tray)."""
        if not self._started:
            self._started = True
            self._schedule()

    def _add(self, step: Callable[[], object], done: Done | None, *, off_thread: bool) -> None:
        self._steps.append((step, done, off_thread))
        if self._started and not self._running:
            self._schedule()

    def _schedule(self) -> None:
        self._running = True
        QTimer.singleShot(0, self, self._run_next)

    def _run_next(self) -> None:
        if not self._steps:
            self._running = False
            self.finished.emit()
            return
        step, done, off_thread = self._steps.popleft()
        if off_thread:
            self._tasks.run(
                step, lambda result, error: self._after(done, result, error), owner=self
            )
            return
        try:
            step()
        except Exception:  # one broken step must not stop the ones after it
            log.exception("A start-up step failed")
        self._schedule()

    def _after(self, done: Done | None, result: object, error: BaseException | None) -> None:
        if self._stopped:
            return
        if done is not None:
            done(result, error)
        elif error is not None:
            log.warning("A start-up step failed: %s", error)
        self._schedule()
