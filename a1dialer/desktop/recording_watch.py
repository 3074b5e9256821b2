"""Tells the rep when the recording of a call placed with "Record this call" is ready.

Each recorded call gets one ``RecordingFetch`` (the player's own fetch, with its "not yet" retry
schedule), which brings the recording into the cache in the background. When it arrives: a tray
notification while the window is hidden (a click opens the player on it), else a status message.
A call whose recording never comes is given up quietly after the player's window (about two
minutes); every watch stops at quit.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from a1dialer.core.recording_cache import RecordingCache
from a1dialer.core.translation import _
from a1dialer.desktop.tray import NoticeKind
from a1dialer.ui.recording_fetch import RETRY_DELAYS, ClientFactory, RecordingFetch

if TYPE_CHECKING:
    from collections.abc import Sequence

    from a1dialer.desktop.tray import DialerTray
    from a1dialer.pbx.client import CallPlaced
    from a1dialer.ui.call_placer import CallAttempt
    from a1dialer.ui.main_window import MainWindow

log = logging.getLogger(__name__)

STATUS_MS = 10_000


class _WatchCache(RecordingCache):
    """The cache, but downloading under its own name, so the player may fetch the same call."""

    def path_for(self, uuid: str) -> Path:
        return super().path_for(uuid).with_suffix(".watched-download")


class RecordingWatch(QObject):
    """One background fetch per recorded call, until its recording is in the cache.

    Signals:
        ready(str): the recording of this call id is in the cache, and the rep was told.
    """

    ready = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        tray: DialerTray | None,
        client_factory: ClientFactory,
        parent: QObject | None = None,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._tray = tray
        self._client_factory = client_factory
        self._retry_delays = tuple(retry_delays)
        self._fetches: dict[str, RecordingFetch] = {}
        window.placer.placed.connect(self._placed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def watched(self) -> list[str]:
        """The call ids whose recordings are still awaited."""
        return list(self._fetches)

    def watch(self, uuid: str, number: str) -> None:
        """Await the recording of call ``uuid`` (to ``number``); a second ask changes nothing."""
        if uuid in self._fetches:
            return
        cache = _WatchCache(limit_mb=self._window.settings.recording_cache_mb)
        fetch = RecordingFetch(
            cache,
            self._client_factory,
            self._window.tasks,
            self._window.call_log,
            self,
            retry_delays=self._retry_delays,
        )
        fetch.finished.connect(lambda _uuid, _path: self._ready(uuid, number))
        fetch.failed.connect(lambda _uuid, sentence: self._gave_up(uuid, sentence))
        fetch.cancelled.connect(lambda _uuid: self._forget(uuid))
        self._fetches[uuid] = fetch
        log.info("Waiting for the recording of call %s", uuid)
        fetch.fetch(uuid)

    def stop(self) -> None:
        """Stop every watch (at quit)."""
        for uuid in list(self._fetches):
            fetch = self._fetches.pop(uuid)
            fetch.cancel(quiet=True)
            fetch.deleteLater()

    def open_player(self, uuid: str) -> None:
        """Open the player on the recording of call ``uuid`` (a click on the notification)."""
        window = self._window
        record = window.call_log.get(uuid)
        window.showNormal()
        window.raise_()
        if record is not None:
            window.play_recording(record)
        else:  # deleted from the history meanwhile: the id still finds the recording
            window.recording_player().open_call_id(uuid)

    def _placed(self, attempt: CallAttempt, placed: CallPlaced) -> None:
        if attempt.options.record:
            self.watch(placed.uuid, attempt.target.display)

    def _ready(self, uuid: str, number: str) -> None:
        self._forget(uuid)
        log.info("Recording of the call to %s is ready (call %s)", number, uuid)
        tray = self._tray
        if not self._window.isVisible() and tray is not None:
            shown = tray.notify(
                _("Recording ready"),
                _("Recording of the call to {number} is ready; click to play it.").format(
                    number=number
                ),
                NoticeKind.RECORDING_READY,
                clicked=lambda: self.open_player(uuid),
            )
            if not shown:
                self._say_in_window(number)
        else:
            self._say_in_window(number)
        if self._window.history is not None:
            self._window.history.refresh()
        self.ready.emit(uuid)

    def _say_in_window(self, number: str) -> None:
        text = _("Recording of the call to {number} is ready: play it from the history.")
        self._window.statusBar().showMessage(text.format(number=number), STATUS_MS)

    def _gave_up(self, uuid: str, sentence: str) -> None:
        # Quietly: the rep did not ask for this recording yet; the player says why when asked.
        log.info("Stopped waiting for the recording of call %s: %s", uuid, sentence)
        self._forget(uuid)

    def _forget(self, uuid: str) -> None:
        fetch = self._fetches.pop(uuid, None)
        if fetch is not None:
            fetch.deleteLater()
