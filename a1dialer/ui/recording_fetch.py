"""Getting a call's recording: from the cache at once, else downloaded on the task runner.

A recording appears on the PBX a little after the call ends, so "not there yet" is retried on a
growing schedule for about two minutes while the rep sees a countdown.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from a1dialer.core.calllog import CallLog
from a1dialer.core.errors import BadInput, Cancelled, DialerError, NotAvailable
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.core.translation import N_, _
from a1dialer.ui.tasks import TaskRunner, error_sentence

if TYPE_CHECKING:
    # requests loads with the first download, not with the window (the recording watch)
    from a1dialer.pbx.client import PbxClient

# Seconds between attempts while the PBX says "not yet": about two minutes in all.
RETRY_DELAYS: tuple[float, ...] = (2, 4, 8, 15, 15, 15, 15, 15, 15, 15)
NO_RECORDING_GIVE_UP = N_(
    "There is no recording for this call: the PBX still has none two minutes after asking. "
    "Check that the call was recorded, or try again later."
)
ClientFactory = Callable[[], "PbxClient"]


class _ProgressRelay(QObject):
    """Emitted from the worker; queued to the GUI thread because this object lives there."""

    moved = Signal(int, int)


class RecordingFetch(QObject):
    """Fetches recordings one at a time; a new ``fetch`` replaces the one in progress.

    Signals:
        progress(int, int): bytes received and the total (-1 while unknown).
        waiting(int): the PBX has no recording yet; seconds until the next try (counts down).
        finished(str, object): the call id and the ``Path`` of the recording, ready to play.
        failed(str, str): the call id and a sentence for the rep.
        cancelled(str): the rep cancelled the download of this call id.
    """

    progress = Signal(int, int)
    waiting = Signal(int)
    finished = Signal(str, object)
    failed = Signal(str, str)
    cancelled = Signal(str)

    def __init__(
        self,
        cache: RecordingCache,
        client_factory: ClientFactory | None,
        tasks: TaskRunner,
        call_log: CallLog | None = None,
        parent: QObject | None = None,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._client_factory = client_factory
        self._tasks = tasks
        self._call_log = call_log
        self._retry_delays = tuple(retry_delays)
        self._relay = _ProgressRelay(self)
        self._relay.moved.connect(self._on_progress)
        self._uuid: str | None = None
        self._attempt = 0
        self._stop = threading.Event()
        self._downloading = False
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._download)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)
        self._retry_at = 0.0

    @property
    def tasks(self) -> TaskRunner:
        """The runner downloads go to; the player window copies files on it too."""
        return self._tasks

    @property
    def busy(self) -> bool:
        """Downloading or waiting to retry."""
        return self._downloading or self._retry_timer.isActive()

    @property
    def call_id(self) -> str | None:
        return self._uuid

    def fetch(self, uuid: str) -> None:
        """Get the recording of ``uuid``; ``finished`` or ``failed`` follows, never at once."""
        self.cancel(quiet=True)
        uuid = uuid.strip()
        self._uuid = uuid
        self._attempt = 0
        try:
            cached = self._cache.get(uuid)
        except BadInput as exc:
            self._fail_soon(uuid, exc.sentence)
            return
        if cached is not None:
            QTimer.singleShot(0, self, lambda: self._deliver(uuid, cached))
            return
        if self._client_factory is None:
            self._fail_soon(
                uuid, _("Connect A1 Dialer to your PBX in Settings to download recordings.")
            )
            return
        self._download()

    def _fail_soon(self, uuid: str, sentence: str) -> None:
        def fail() -> None:
            self.failed.emit(uuid, sentence)

        # Never at once: the caller connects to the signals after asking.
        QTimer.singleShot(0, self, fail)

    def cancel(self, *, quiet: bool = False) -> None:
        """Stop the download or the waiting; the partial file is removed by the client."""
        uuid = self._uuid
        active = self.busy
        self._stop.set()
        self._downloading = False
        self._retry_timer.stop()
        self._countdown.stop()
        self._uuid = None
        if active and uuid is not None and not quiet:
            self.cancelled.emit(uuid)

    # --- the download -----------------------------------------------------------------------

    @Slot()
    def _download(self) -> None:
        uuid = self._uuid
        factory = self._client_factory
        if uuid is None or factory is None:
            return
        self._countdown.stop()
        # A fresh flag per attempt: a cancelled worker still running keeps its own, set one.
        stop = self._stop = threading.Event()
        dest = self._cache.path_for(uuid)
        relay = self._relay

        def progress(received: int, total: int | None) -> None:
            relay.moved.emit(received, -1 if total is None else total)

        def work() -> Path:
            with factory() as client:
                return client.download_recording(
                    uuid, dest, progress=progress, cancelled=stop.is_set
                )

        def done(path: Path | None, error: BaseException | None) -> None:
            if self._stop is stop:
                self._downloading = False
            if stop.is_set() or self._uuid != uuid:
                return  # cancelled or replaced by another call: the rep moved on
            self._finish_attempt(uuid, path, error)

        self._downloading = True
        self._tasks.run(work, done, owner=self)

    def _finish_attempt(self, uuid: str, path: Path | None, error: BaseException | None) -> None:
        if error is None and path is not None:
            try:
                stored = self._cache.add(uuid, path)
            except (OSError, DialerError) as exc:
                sentence = error_sentence(
                    exc,
                    _("The recording could not be stored"),
                    file=_("The recording could not be stored"),
                    advice=_("Free some disk space, then play it again."),
                )
                self.failed.emit(uuid, sentence)
                return
            if self._call_log is not None:
                try:
                    self._call_log.set_recording_path(uuid, stored)
                except DialerError as exc:
                    self.failed.emit(uuid, exc.sentence)
            self._deliver(uuid, stored)
            return
        if isinstance(error, NotAvailable):
            if self._attempt < len(self._retry_delays):
                delay = self._retry_delays[self._attempt]
                self._attempt += 1
                self._retry_at = time.monotonic() + delay
                self._retry_timer.start(max(1, round(delay * 1000)))
                self._countdown.start()
                self._tick()
                return
            self._uuid = None
            self.failed.emit(uuid, _(NO_RECORDING_GIVE_UP))
            return
        self._uuid = None
        if isinstance(error, Cancelled):
            self.cancelled.emit(uuid)
        elif isinstance(error, DialerError):
            self.failed.emit(uuid, error.sentence)
        elif isinstance(error, OSError):
            self.failed.emit(
                uuid,
                # Translators: {folder} is where recordings are kept, {reason} the system's reason.
                _(
                    "The recording could not be saved to {folder}: {reason}. Free some disk "
                    "space and try again."
                ).format(folder=self._cache.folder, reason=error.strerror or error),
            )
        else:
            raise RuntimeError("unexpected error while downloading a recording") from error

    def _deliver(self, uuid: str, path: Path) -> None:
        if self._uuid == uuid:
            self._uuid = None
            self.finished.emit(uuid, path)

    @Slot(int, int)
    def _on_progress(self, received: int, total: int) -> None:
        if self._downloading:
            self.progress.emit(received, total)

    @Slot()
    def _tick(self) -> None:
        left = max(0.0, self._retry_at - time.monotonic())
        self.waiting.emit(max(1, math.ceil(left)))
