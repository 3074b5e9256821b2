"""The recording player window: open a call's recording, watch it download, play, seek, save."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from a1dialer.core.call_ids import looks_like_call_id
from a1dialer.core.calllog import CallLog, CallRecord
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.core.recording_names import recording_file_stem, safe_file_stem
from a1dialer.core.translation import N_, _, pgettext
from a1dialer.ui import recording_player
from a1dialer.ui.local_time import short_date_time
from a1dialer.ui.recording_fetch import RETRY_DELAYS, ClientFactory, RecordingFetch
from a1dialer.ui.recording_player import SPEEDS, RecordingPlayer
from a1dialer.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
SKIP_MS = 5000
LOADING = N_("Loading the recording…")


def _megabytes(count: int) -> str:
    """``count`` bytes in megabytes with one decimal, as the rep's locale writes it."""
    return QLocale().toString(count / 1e6, "f", 1)


def format_time(ms: int) -> str:
    """``1:05`` for 65 s, ``1:02:03`` from an hour up."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class RecordingPlayerDialog(QDialog):
    """Plays call recordings; reuse one dialog and call ``open_call`` / ``open_call_id``.

    Signals:
        recordingReady(str, object): the call id and cached ``Path`` of a recording now loaded.
    """

    recordingReady = Signal(str, object)

    def __init__(
        self,
        cache: RecordingCache,
        client_factory: ClientFactory | None,
        tasks: TaskRunner,
        call_log: CallLog | None = None,
        parent: QWidget | None = None,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Call recording"))
        self.setObjectName("recordingPlayer")
        self._call_id: str | None = None
        self._path: Path | None = None
        self._duration = 0
        self._syncing_slider = False
        self._play_when_ready = False
        self._save_stem = ""
        # The fetch holds the cache, the client factory, the runner and the log for both.
        self.fetch = RecordingFetch(
            cache, client_factory, tasks, call_log, self, retry_delays=retry_delays
        )
        self.player: RecordingPlayer | None = (
            RecordingPlayer(self) if recording_player.multimedia_available() else None
        )
        self._build()
        self._connect()
        self._show_loaded(False)

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.call_id_edit = QLineEdit(self)
        self.call_id_edit.setObjectName("playerCallIdEdit")
        self.call_id_edit.setPlaceholderText(_("Paste a call id to open its recording"))
        self.call_id_edit.setAccessibleName(_("Call id"))
        self.call_id_edit.setClearButtonEnabled(True)
        self.open_button = QPushButton(_("&Open"), self)
        self.open_button.setObjectName("playerOpenButton")
        self.open_button.setEnabled(False)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("playerTitle")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("playerMessage")
        self.message_label.setWordWrap(True)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("playerProgress")
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton(_("&Cancel download"), self)
        self.cancel_button.setObjectName("playerCancelButton")
        self.retry_button = QPushButton(_("&Try again"), self)
        self.retry_button.setObjectName("playerRetryButton")

        self.play_button = QPushButton(self)
        self.play_button.setObjectName("playerPlayButton")
        self.play_button.setAccessibleName(pgettext("button", "Play"))
        self.play_button.setToolTip(_("Play / pause (Space)"))
        self.elapsed_label = QLabel("0:00", self)
        self.elapsed_label.setObjectName("playerElapsed")
        self.position_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.position_slider.setObjectName("playerPositionSlider")
        self.position_slider.setAccessibleName(_("Position"))
        self.position_slider.setToolTip(_("Position (Left / Right: 5 seconds back / ahead)"))
        self.position_slider.setSingleStep(SKIP_MS)
        self.position_slider.setPageStep(SKIP_MS * 6)
        self.total_label = QLabel("0:00", self)
        self.total_label.setObjectName("playerTotal")
        self.speed_combo = QComboBox(self)
        self.speed_combo.setObjectName("playerSpeedCombo")
        self.speed_combo.setAccessibleName(_("Speed"))
        self.speed_combo.setToolTip(_("Playback speed"))
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.setCurrentIndex(SPEEDS.index(1.0))
        self.volume_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.volume_slider.setObjectName("playerVolumeSlider")
        self.volume_slider.setAccessibleName(_("Volume"))
        self.volume_slider.setToolTip(_("Volume (Up / Down)"))
        self.volume_slider.setRange(0, 100)
        self.volume_slider.setValue(100)
        self.volume_slider.setMaximumWidth(110)
        self.save_button = QPushButton(_("&Save as…"), self)
        self.save_button.setObjectName("playerSaveButton")
        self.folder_button = QPushButton(_("Show in &folder"), self)
        self.folder_button.setObjectName("playerFolderButton")

        open_row = QHBoxLayout()
        open_row.addWidget(self.call_id_edit, 1)
        open_row.addWidget(self.open_button)
        download_row = QHBoxLayout()
        download_row.addWidget(self.progress_bar, 1)
        download_row.addWidget(self.cancel_button)
        download_row.addWidget(self.retry_button)
        transport = QHBoxLayout()
        transport.addWidget(self.play_button)
        transport.addWidget(self.elapsed_label)
        transport.addWidget(self.position_slider, 1)
        transport.addWidget(self.total_label)
        extras = QHBoxLayout()
        extras.addWidget(QLabel(_("Speed"), self))
        extras.addWidget(self.speed_combo)
        volume_label = QLabel(_("Volume"), self)
        volume_label.setBuddy(self.volume_slider)
        extras.addWidget(volume_label)
        extras.addWidget(self.volume_slider)
        extras.addStretch(1)
        extras.addWidget(self.save_button)
        extras.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.addLayout(open_row)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addLayout(download_row)
        layout.addLayout(transport)
        layout.addLayout(extras)
        self.setMinimumWidth(560)
        self._set_download_visible(False)
        self.retry_button.hide()
        self._show_state("stopped")

    def _connect(self) -> None:
        self.call_id_edit.textChanged.connect(self._call_id_typed)
        self.call_id_edit.returnPressed.connect(self._open_typed)
        self.open_button.clicked.connect(self._open_typed)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.retry_button.clicked.connect(self._retry)
        self.save_button.clicked.connect(self.save_as)
        self.folder_button.clicked.connect(self.show_in_folder)
        self.fetch.progress.connect(self._on_progress)
        self.fetch.waiting.connect(self._on_waiting)
        self.fetch.finished.connect(self._on_fetched)
        self.fetch.failed.connect(self._on_failed)
        self.fetch.cancelled.connect(self._on_cancelled)
        player = self.player
        if player is None:
            self.message_label.setText(self.missing_playback_sentence())
            return
        self.play_button.clicked.connect(self.toggle_playing)
        self.position_slider.valueChanged.connect(self._slider_moved)
        self.position_slider.sliderReleased.connect(
            lambda: player.seek(self.position_slider.value())
        )
        self.speed_combo.currentIndexChanged.connect(
            lambda _index: player.set_speed(float(self.speed_combo.currentData()))
        )
        self.volume_slider.valueChanged.connect(lambda value: player.set_volume(value / 100))
        player.positionChanged.connect(self._on_position)
        player.durationChanged.connect(self._on_duration)
        player.stateChanged.connect(self._show_state)
        player.error.connect(self._on_player_error)
        player.ready.connect(self._on_ready)
        # Keys for the whole window; a text field keeps Space and arrows for itself.
        keys = (
            (Qt.Key.Key_Space, self.toggle_playing),
            (Qt.Key.Key_Left, lambda: player.skip(-SKIP_MS)),
            (Qt.Key.Key_Right, lambda: player.skip(SKIP_MS)),
            (Qt.Key.Key_Up, lambda: self._step_volume(1)),
            (Qt.Key.Key_Down, lambda: self._step_volume(-1)),
        )
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(slot)

    @staticmethod
    def missing_playback_sentence() -> str:
        # Translators: {missing} names the missing Qt modules ("QtMultimedia").
        return _(
            "Playback needs Qt Multimedia (missing: {missing}); you can still Save as… the "
            "recording."
        ).format(missing=recording_player.missing_multimedia())

    # --- opening ----------------------------------------------------------------------------

    def open_call(self, record: CallRecord, *, play: bool = True) -> None:
        """Show and fetch the recording of a call from the history; it plays once loaded."""
        when = short_date_time(record.started_at)
        if record.name:
            # Translators: the recording player's title: the number called, the contact's name
            # and the locale's date and time of the call.
            title = _("{number} ({name}), {when}").format(
                number=record.display_number, name=record.name, when=when
            )
        else:
            # Translators: the recording player's title: the number called and when.
            title = _("{number}, {when}").format(number=record.display_number, when=when)
        self.open_call_id(record.uuid, title=title, play=play)
        number = record.display_number or record.number
        self._save_stem = recording_file_stem(record.started_at, number, record.name)

    def open_call_id(self, uuid: str, *, title: str = "", play: bool = True) -> None:
        """Show and fetch the recording of call ``uuid``; ``play`` starts it once loaded."""
        uuid = uuid.strip()
        self._unload()
        self._call_id = uuid
        self._play_when_ready = play
        self._save_stem = safe_file_stem(_("Recording {call_id}").format(call_id=uuid))
        self.call_id_edit.setText(uuid)
        self.title_label.setText(title or _("Call {call_id}").format(call_id=uuid))
        # Translators: the player's window title; {title} is the call (number and date) or its id.
        self.setWindowTitle(_("Recording – {title}").format(title=title or uuid))
        self.retry_button.hide()
        self.message_label.setText(_("Getting the recording…"))
        self.progress_bar.setRange(0, 0)  # busy until the size is known
        self._set_download_visible(True)
        self.fetch.fetch(uuid)
        self.show()
        self.raise_()
        self.activateWindow()
        # Space and the arrows work at once: they are the player's, not the call id field's.
        self.play_button.setEnabled(self.player is not None)
        self.play_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _call_id_typed(self, text: str) -> None:
        self.open_button.setEnabled(looks_like_call_id(text))

    @Slot()
    def _open_typed(self) -> None:
        text = self.call_id_edit.text().strip()
        if not looks_like_call_id(text):
            self.message_label.setText(
                _(
                    "That is not a call id: paste the id shown for the call (letters, digits, "
                    "dashes)."
                )
            )
            return
        self.open_call_id(text)

    @Slot()
    def _retry(self) -> None:
        if self._call_id is not None:
            self.open_call_id(self._call_id, title=self.title_label.text(), play=False)

    @Slot()
    def cancel_download(self) -> None:
        self.fetch.cancel()

    # --- download feedback ------------------------------------------------------------------

    def _set_download_visible(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.cancel_button.setVisible(visible)

    @Slot(int, int)
    def _on_progress(self, received: int, total: int) -> None:
        if total > 0:
            # Kilobytes keep the range within an int for multi-gigabyte files.
            self.progress_bar.setRange(0, max(1, total // 1024))
            self.progress_bar.setValue(received // 1024)
            self.message_label.setText(
                _("Downloading the recording… {received} of {total} MB").format(
                    received=_megabytes(received), total=_megabytes(total)
                )
            )
        else:
            self.progress_bar.setRange(0, 0)
            self.message_label.setText(
                _("Downloading the recording… {received} MB").format(received=_megabytes(received))
            )

    @Slot(int)
    def _on_waiting(self, seconds: int) -> None:
        self.progress_bar.setRange(0, 0)
        self.message_label.setText(
            _(
                "The recording appears a little after the call ends - retrying in {seconds} s"
            ).format(seconds=seconds)
        )

    @Slot(str, object)
    def _on_fetched(self, uuid: str, path: Path) -> None:
        if uuid != self._call_id:
            return
        self._set_download_visible(False)
        self._path = path
        self._show_loaded(True)
        if self.player is None:
            self.message_label.setText(self.missing_playback_sentence())
        else:
            self.message_label.setText(_(LOADING))
            self.player.load(path)
        self.recordingReady.emit(uuid, path)

    @Slot(str, str)
    def _on_failed(self, uuid: str, sentence: str) -> None:
        if uuid != self._call_id:
            return
        self._set_download_visible(False)
        self._play_when_ready = False
        self.play_button.setEnabled(False)
        self.retry_button.show()
        self.message_label.setText(sentence)

    @Slot(str)
    def _on_cancelled(self, uuid: str) -> None:
        if uuid != self._call_id:
            return
        self._set_download_visible(False)
        self._play_when_ready = False
        self.play_button.setEnabled(False)
        self.retry_button.show()
        self.message_label.setText(_("Download cancelled."))

    # --- playback feedback ------------------------------------------------------------------

    def _show_loaded(self, loaded: bool) -> None:
        playable = loaded and self.player is not None
        for widget in (self.position_slider, self.speed_combo):
            widget.setEnabled(playable)
        # While downloading, Play keeps the focus and means "play once it is here".
        self.play_button.setEnabled(self.player is not None and self._call_id is not None)
        self.volume_slider.setEnabled(self.player is not None)
        self.save_button.setEnabled(loaded)
        self.folder_button.setEnabled(loaded)

    @Slot()
    def _on_ready(self) -> None:
        if self.message_label.text() == _(LOADING):  # keep a newer message (saved, error)
            self.message_label.setText("")
        if self._play_when_ready and self.player is not None:
            self._play_when_ready = False
            if self._has_sound_output():
                self.player.play()

    @Slot()
    def toggle_playing(self) -> None:
        """Play or pause (Play, Space); before the download ends, play as soon as it does."""
        player = self.player
        if player is None or self._call_id is None:
            return
        if self._path is None or not player.is_ready:
            self._play_when_ready = not self._play_when_ready
            if self._play_when_ready:
                self.message_label.setText(_("The recording plays as soon as it has loaded."))
            return
        if player.state == "playing" or self._has_sound_output():
            player.toggle()

    def _has_sound_output(self) -> bool:
        """Whether the computer has speakers or headphones; says what to do when it has none."""
        from PySide6.QtMultimedia import QMediaDevices

        if QMediaDevices.audioOutputs():
            return True
        self.message_label.setText(
            _(
                "This computer has no sound output (speakers or headphones): connect one and "
                "press Play, or use Save as… to play the recording elsewhere."
            )
        )
        return False

    @Slot(str)
    def _on_player_error(self, sentence: str) -> None:
        self.message_label.setText(sentence)

    @Slot(str)
    def _show_state(self, state: str) -> None:
        playing = state == "playing"
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        if playing:
            self.play_button.setText(_("&Pause"))
            self.play_button.setAccessibleName(pgettext("button", "Pause"))
        else:
            self.play_button.setText(_("&Play"))
            self.play_button.setAccessibleName(pgettext("button", "Play"))

    @Slot(int)
    def _on_duration(self, ms: int) -> None:
        self._duration = ms
        self._syncing_slider = True
        self.position_slider.setRange(0, max(0, ms))
        self._syncing_slider = False
        self.total_label.setText(format_time(ms))

    @Slot(int)
    def _on_position(self, ms: int) -> None:
        if self.position_slider.isSliderDown():
            return  # the rep is dragging: do not pull the handle from under the mouse
        self._syncing_slider = True
        self.position_slider.setValue(ms)
        self._syncing_slider = False
        self.elapsed_label.setText(format_time(ms))

    @Slot(int)
    def _slider_moved(self, value: int) -> None:
        self.elapsed_label.setText(format_time(value))
        if self._syncing_slider or self.position_slider.isSliderDown() or self.player is None:
            return  # dragging seeks once, on release
        self.player.seek(value)

    def _step_volume(self, direction: int) -> None:
        self.volume_slider.setValue(self.volume_slider.value() + direction * 10)

    # --- the file ---------------------------------------------------------------------------

    @property
    def recording_path(self) -> Path | None:
        """The cached file of the recording shown, once fetched."""
        return self._path

    def suggested_save_path(self) -> Path:
        """Music (or Downloads) folder / "date number contact.ext" for Save as…."""
        folder = ""
        for kind in (
            QStandardPaths.StandardLocation.MusicLocation,
            QStandardPaths.StandardLocation.DownloadLocation,
        ):
            location = QStandardPaths.writableLocation(kind)
            if location and Path(location).is_dir():
                folder = location
                break
        suffix = self._path.suffix if self._path is not None else ""
        base = Path(folder) if folder else Path.home()
        return base / f"{self._save_stem or 'recording'}{suffix}"

    @classmethod
    def ask_save_path(cls, parent: QWidget, suggested: str) -> str:
        """The file the rep picks, "" if cancelled; tests replace this."""
        path, _filter = QFileDialog.getSaveFileName(parent, _("Save recording as"), suggested)
        return path

    @classmethod
    def open_folder(cls, folder: Path) -> bool:
        """Show ``folder`` in the file manager; tests replace this."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @Slot()
    def save_as(self) -> None:
        source = self._path
        if source is None:
            return
        chosen = self.ask_save_path(self, str(self.suggested_save_path()))
        if not chosen:
            return
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(source.suffix)

        def done(_result: object, error: BaseException | None) -> None:
            if error is None:
                self.message_label.setText(_("Saved the recording as {file}.").format(file=target))
            elif isinstance(error, OSError):
                self.message_label.setText(
                    # Translators: {reason} is the system's reason ("Permission denied").
                    _("Could not save {file}: {reason}. Choose another folder.").format(
                        file=target, reason=error.strerror or error
                    )
                )
            else:
                raise RuntimeError("saving a recording failed unexpectedly") from error

        # Copying an hour-long recording takes a moment on a slow disk: off the GUI thread.
        self.fetch.tasks.run(lambda: shutil.copyfile(source, target), done, owner=self)

    @Slot()
    def show_in_folder(self) -> None:
        if self._path is not None and not self.open_folder(self._path.parent):
            self.message_label.setText(
                _("The recording is in {folder}.").format(folder=self._path.parent)
            )

    # --- closing ----------------------------------------------------------------------------

    def _unload(self) -> None:
        self.fetch.cancel(quiet=True)
        self._path = None
        self._call_id = None
        self._duration = 0
        if self.player is not None:
            self.player.unload()
        self._syncing_slider = True
        self.position_slider.setRange(0, 0)
        self._syncing_slider = False
        self.elapsed_label.setText("0:00")
        self.total_label.setText("0:00")
        self._show_loaded(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing stops the sound and any download; the cache keeps what was complete.
        self._unload()
        super().closeEvent(event)

    def reject(self) -> None:
        self._unload()
        super().reject()
