"""The recording player as a model: QMediaPlayer behind a few signals, so any widget can drive it.

Qt Multimedia is optional at run time: a missing backend library (FFmpeg, PulseAudio) must not stop
the dialer from starting, so the import is guarded and the player widget falls back to "Save as".
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from PySide6.QtCore import (
    Q_ARG,
    QGenericArgumentHolder,
    QMetaObject,
    QObject,
    Qt,
    QUrl,
    Signal,
    Slot,
)

from a1dialer.core.translation import _

try:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
except ImportError as exc:  # a packaged build without the plugin, or a missing system library
    _MISSING: str | None = str(exc) or type(exc).__name__
else:
    _MISSING = None
    _HOLDING_MEDIA = (
        QMediaPlayer.MediaStatus.LoadedMedia,
        QMediaPlayer.MediaStatus.BufferingMedia,
        QMediaPlayer.MediaStatus.BufferedMedia,
        QMediaPlayer.MediaStatus.StalledMedia,
        QMediaPlayer.MediaStatus.EndOfMedia,
        QMediaPlayer.MediaStatus.InvalidMedia,
    )

log = logging.getLogger(__name__)

PlayerState = Literal["stopped", "playing", "paused"]
SPEEDS = (0.75, 1.0, 1.25, 1.5, 2.0)
MIN_SPEED, MAX_SPEED = SPEEDS[0], SPEEDS[-1]


def multimedia_available() -> bool:
    """True when Qt Multimedia imported, so recordings can be played in the app."""
    return _MISSING is None


def missing_multimedia() -> str:
    """What failed to load ("" when playback works), for the rep's sentence and the log."""
    return _MISSING or ""


def answer_notify_lookups_now(made_here: QObject) -> None:
    """Let shiboken settle, on this (GUI) thread, that Python does not override the notifiers.

    Qt's FFmpeg backend connects its audio renderer, which lives on a thread of its own, to the
    QAudioOutput's signals. When it deletes the renderer there, ``QObject::~QObject`` calls
    ``output->disconnectNotify()`` while holding a Qt signal-slot mutex. For an object created
    from Python that virtual call first asks shiboken whether Python overrides it, which needs
    the GIL; the answer is then cached in the object. If the GUI thread holds the GIL and waits
    for that mutex (a ``connect`` anywhere; the player's own calls go through
    ``call_without_gil``), both wait forever. One connect and disconnect here asks both
    questions while this thread holds the GIL, so the backend's threads never need it.
    """
    made_here.objectNameChanged.connect(_ignore_name)
    made_here.objectNameChanged.disconnect(_ignore_name)


def _ignore_name(_name: str) -> None:
    return None


def call_without_gil(target: QObject, slot: str, *args: QGenericArgumentHolder) -> None:
    """Call the C++ slot ``slot`` of ``target`` on this thread, with the GIL let go meanwhile.

    Stopping or replacing the media makes Qt's FFmpeg backend wait for its own threads (a
    blocking queued call into the audio renderer's thread), and those threads may need the GIL
    meanwhile: a Qt message they log goes to a Python message handler (pytest-qt installs one;
    the renderer says "No audio device detected" as playback starts), a virtual call on an
    object made from Python asks shiboken about overrides. A plain binding call keeps the GIL
    through the wait, so both threads wait forever. PySide runs ``QMetaObject.invokeMethod``
    with the GIL released, and a direct connection still runs the slot right here, before this
    returns, so callers see no change.
    """
    if not QMetaObject.invokeMethod(target, slot, Qt.ConnectionType.DirectConnection, *args):
        raise RuntimeError(f"{type(target).__name__} has no slot {slot} for these arguments")


class RecordingPlayer(QObject):
    """Plays one recording file at a time.

    Signals:
        positionChanged(int): playback position in milliseconds.
        durationChanged(int): length of the loaded recording in milliseconds.
        stateChanged(str): "stopped", "playing" or "paused".
        ready(): the loaded recording can be played (its duration is known).
        error(str): a sentence for the rep when the file cannot be played.
    """

    positionChanged = Signal(int)
    durationChanged = Signal(int)
    stateChanged = Signal(str)
    ready = Signal()
    error = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if _MISSING is not None:
            raise RuntimeError(f"Qt Multimedia is not available: {_MISSING}")
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        for made_here in (self._player, self._output):
            answer_notify_lookups_now(made_here)
        self._player.setAudioOutput(self._output)
        self._path: Path | None = None
        self._ready = False
        self._player.positionChanged.connect(self._on_position)
        self._player.durationChanged.connect(self._on_duration)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)

    # --- state ------------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def state(self) -> PlayerState:
        return _STATES.get(self._player.playbackState(), "stopped")

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def position(self) -> int:
        return int(self._player.position())

    @property
    def duration(self) -> int:
        return int(self._player.duration())

    @property
    def speed(self) -> float:
        return float(self._player.playbackRate())

    @property
    def volume(self) -> float:
        return float(self._output.volume())

    # --- commands ---------------------------------------------------------------------------

    def load(self, path: Path) -> None:
        """Open ``path`` (stops what was playing); ``ready`` follows once it can play."""
        self._ready = False
        self._path = path
        if self._player.playbackState() != QMediaPlayer.PlaybackState.StoppedState:
            call_without_gil(self._player, "stop")
        call_without_gil(self._player, "setSource", Q_ARG(QUrl, QUrl.fromLocalFile(str(path))))

    def unload(self) -> None:
        """Stop and release the file (so it can be evicted or replaced on Windows)."""
        self._ready = False
        self._path = None
        # Clearing the source while FFmpeg is still opening a file makes it warn; the next
        # load replaces the source anyway.
        if self._player.playbackState() != QMediaPlayer.PlaybackState.StoppedState:
            call_without_gil(self._player, "stop")
        if self._player.mediaStatus() in _HOLDING_MEDIA:
            call_without_gil(self._player, "setSource", Q_ARG(QUrl, QUrl()))

    @Slot()
    def play(self) -> None:
        if self._path is None:
            return
        if self._player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
            call_without_gil(self._player, "setPosition", Q_ARG("qint64", 0))  # from the start
        call_without_gil(self._player, "play")

    @Slot()
    def pause(self) -> None:
        call_without_gil(self._player, "pause")

    @Slot()
    def toggle(self) -> None:
        if self.state == "playing":
            self.pause()
        else:
            self.play()

    @Slot(int)
    def seek(self, ms: int) -> None:
        """Jump to ``ms``, clamped to the recording."""
        duration = self.duration
        target = max(0, ms if duration <= 0 else min(ms, duration))
        call_without_gil(self._player, "setPosition", Q_ARG("qint64", target))

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position + delta_ms)

    def set_speed(self, speed: float) -> None:
        """Playback speed, 0.75 to 2.0 (the pitch is kept by the backend where it can)."""
        rate = min(MAX_SPEED, max(MIN_SPEED, speed))
        call_without_gil(self._player, "setPlaybackRate", Q_ARG(float, rate))

    def set_volume(self, volume: float) -> None:
        """Volume from 0 (silent) to 1 (full)."""
        call_without_gil(self._output, "setVolume", Q_ARG("float", min(1.0, max(0.0, volume))))

    # --- from QMediaPlayer ------------------------------------------------------------------

    # QMediaPlayer speaks qint64; an int of milliseconds covers 24 days of recording. These
    # relays return None: PySide mishandles the reference count of a slot's returned bool.
    def _on_position(self, ms: int) -> None:
        self.positionChanged.emit(int(ms))

    def _on_duration(self, ms: int) -> None:
        self.durationChanged.emit(int(ms))

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.stateChanged.emit(_STATES.get(state, "stopped"))

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        loaded = status in (
            QMediaPlayer.MediaStatus.LoadedMedia,
            QMediaPlayer.MediaStatus.BufferedMedia,
            QMediaPlayer.MediaStatus.BufferingMedia,
        )
        if loaded and not self._ready and self._path is not None:
            self._ready = True
            self.ready.emit()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._ready = False

    def _on_error(self, error: QMediaPlayer.Error, text: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        # A file name, never translated: the player always has one by the time it plays.
        name = self._path.name if self._path else "recording"
        log.warning("Cannot play %s: %s (%s)", name, text, error)
        if error == QMediaPlayer.Error.FormatError:
            sentence = _(
                "{file} is in a format this computer cannot play; use Save as… to open it "
                "in another player."
            )
        elif error == QMediaPlayer.Error.ResourceError:
            sentence = _("{file} could not be opened; it may be damaged: open the call again.")
        else:
            # Translators: {reason} is Qt Multimedia's own description of the problem.
            sentence = _("{file} cannot be played ({reason}); use Save as… to open it elsewhere.")
        self.error.emit(sentence.format(file=name, reason=text))


_STATES: dict[object, PlayerState] = (
    {}
    if _MISSING is not None
    else {
        QMediaPlayer.PlaybackState.StoppedState: "stopped",
        QMediaPlayer.PlaybackState.PlayingState: "playing",
        QMediaPlayer.PlaybackState.PausedState: "paused",
    }
)
