"""The one way to run blocking work (network, disk) off the GUI thread.

``TaskRunner.run(func, callback)`` runs ``func`` on a ``QThreadPool`` and calls
``callback(result, error)`` back on the GUI thread; errors are values, never lost in a worker.
A callback whose owner went away (window closed while the PBX still holds an originate) is
dropped instead of touching deleted widgets.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
Callback = Callable[[Any, BaseException | None], None]


class _Relay(QObject):
    """Lives on the GUI thread, so a worker's emit of ``done`` is queued to the GUI thread."""

    done = Signal(int, object, object)


class _Job(QRunnable, Generic[T]):
    def __init__(self, task_id: int, func: Callable[[], T], relay: _Relay) -> None:
        super().__init__()
        self._task_id = task_id
        self._func = func
        self._relay = relay

    def run(self) -> None:
        try:
            result: Any = self._func()
            error: BaseException | None = None
        except BaseException as exc:  # errors are delivered as values to the callback
            result, error = None, exc
        self._relay.done.emit(self._task_id, result, error)


class TaskRunner(QObject):
    """Runs callables on a thread pool and delivers ``(result, error)`` on the GUI thread.

    Signals:
        idle: emitted when the last task in flight has delivered its result.
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback, QObject | None]] = {}
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)

    def run(
        self,
        func: Callable[[], T],
        callback: Callable[[T | None, BaseException | None], None],
        *,
        owner: QObject | None = None,
    ) -> int:
        """Start ``func`` on the pool; ``callback`` runs later on this (GUI) thread.

        If ``owner`` is given and destroyed before the result arrives, the callback is dropped.
        """
        task_id = next(self._ids)
        self._callbacks[task_id] = (callback, owner)
        if owner is not None:
            owner.destroyed.connect(lambda *_: self._forget(task_id))
        self._pool.start(_Job(task_id, func, self._relay))
        return task_id

    @property
    def in_flight(self) -> int:
        return len(self._callbacks)

    def wait_for_done(self, msecs: int) -> bool:
        """Block up to ``msecs`` for every pool task to finish (used only at shutdown)."""
        return self._pool.waitForDone(msecs)

    def _forget(self, task_id: int) -> None:
        entry = self._callbacks.get(task_id)
        if entry is not None:
            self._callbacks[task_id] = (_dropped, None)

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: Any, error: BaseException | None) -> None:
        callback, _owner = self._callbacks.pop(task_id, (_dropped, None))
        try:
            callback(result, error)
        finally:
            if not self._callbacks:
                self.idle.emit()


def _dropped(result: Any, error: BaseException | None) -> None:
    if error is not None:
        log.info("Result of a task whose window was closed: %s", error)


def shared_tasks() -> TaskRunner:
    """The application's runner, owned by the application object so it outlives any one window."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    runner = app.findChild(TaskRunner, "settingsTasks") if app is not None else None
    if runner is None:
        runner = TaskRunner(app)
        runner.setObjectName("settingsTasks")
    return runner


def error_sentence(error: BaseException, failed: str, *, file: str = "", advice: str = "") -> str:
    """The one sentence a rep sees for the ``error`` a task handed back.

    A ``DialerError`` says its own sentence. With ``file`` ("Could not read list.csv"), an
    ``OSError`` says the system's reason after it, then ``advice`` ("Choose another folder.").
    Anything else is a bug: it is logged with its traceback, and the rep reads ``failed`` ("The
    call list could not be updated") and where the details are.
    """
    from a1dialer.core.errors import DialerError
    from a1dialer.core.translation import _

    if isinstance(error, DialerError):
        return error.sentence
    if file and isinstance(error, OSError):
        # Translators: {file} is a sentence such as "Could not read list.csv", {reason} the
        # system's reason ("No such file or directory"), {advice} what to do next.
        return (
            _("{file}: {reason}. {advice}")
            .format(file=file, reason=error.strerror or error, advice=advice)
            .strip()
        )
    log.error("%s", failed, exc_info=error)
    # Translators: {failed} is a sentence such as "The call list could not be updated".
    return _("{failed}; the log has details.").format(failed=failed)
