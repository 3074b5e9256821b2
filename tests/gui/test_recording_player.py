"""The recording player: download with progress and cancel, waiting for the PBX, cache, playback."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.call_options import CallOptions
from a1dialer.core.calllog import CallLog, CallRecord
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.pbx.client import CallRequest, PbxClient
from a1dialer.pbx.sim_audio import recording_bytes, recording_size
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui import recording_player
from a1dialer.ui.player_widget import RecordingPlayerDialog, format_time
from a1dialer.ui.recording_fetch import NO_RECORDING_GIVE_UP
from a1dialer.ui.tasks import TaskRunner
from tests.conftest import NEEDS_SOUNDFILE
from tests.gui.conftest import KEY

needs_playback = pytest.mark.skipif(
    not recording_player.multimedia_available(),
    reason=f"Qt Multimedia is missing: {recording_player.missing_multimedia()}",
)
OpenPlayer = Callable[..., RecordingPlayerDialog]


@pytest.fixture(autouse=True)
def sound_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sound output, as a rep's computer has: a test machine often has none (the player then
    says so and does not play), and Qt's backend plays on into nothing just the same."""
    if not recording_player.multimedia_available():
        return
    from PySide6.QtMultimedia import QMediaDevices

    if not QMediaDevices.audioOutputs():
        stand_in = [QMediaDevices.defaultAudioOutput()]
        monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(lambda: stand_in))


@pytest.fixture
def cache(tmp_path: Path) -> RecordingCache:
    return RecordingCache(tmp_path / "recordings")


@pytest.fixture
def open_player(qtbot: QtBot, cache: RecordingCache) -> Iterator[OpenPlayer]:
    """A player dialog downloading from ``simulator`` (or from nowhere) into ``cache``."""
    opened: list[RecordingPlayerDialog] = []

    def open_(
        simulator: PbxSimulator | str | None = None,
        *,
        call_log: CallLog | None = None,
        retry_delays: tuple[float, ...] = (0.05,) * 5,
    ) -> RecordingPlayerDialog:
        factory = None
        if simulator is not None:
            url = simulator if isinstance(simulator, str) else simulator.server_url

            def factory() -> PbxClient:
                return PbxClient(url, KEY)

        tasks = TaskRunner()
        dialog = RecordingPlayerDialog(cache, factory, tasks, call_log, retry_delays=retry_delays)
        tasks.setParent(dialog)
        opened.append(dialog)
        return dialog

    yield open_
    # Media players are deleted here, while Qt runs, not by the garbage collector at exit.
    for dialog in opened:
        dialog.close()
        dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def write_recording(path: Path, fmt: str, seconds: float) -> Path:
    path.write_bytes(b"".join(recording_bytes(fmt, recording_size(fmt, seconds=seconds))))
    return path


def wait_playing_past(qtbot: QtBot, dialog: RecordingPlayerDialog, ms: int) -> None:
    player = dialog.player
    assert player is not None
    qtbot.waitUntil(lambda: player.position > ms, timeout=5000)


def open_and_wait(
    qtbot: QtBot, dialog: RecordingPlayerDialog, uuid: str, *, play: bool = False
) -> Path:
    with qtbot.waitSignal(dialog.recordingReady, timeout=10_000) as ready:
        dialog.open_call_id(uuid, play=play)
    path = ready.args[1]
    assert isinstance(path, Path)
    return path


# --- downloading --------------------------------------------------------------------------------


def test_a_recording_downloads_with_progress_into_the_cache_and_the_call_log(
    qtbot: QtBot,
    pbx: PbxSimulator,
    open_player: OpenPlayer,
    cache: RecordingCache,
    call_log: CallLog,
) -> None:
    call_log.add_pending(
        uuid="call-progress", number="12085551234", display_number="+1 208-555-1234",
        name="Ana", ringback="us-ring", auto_answer=False, record=True,
    )  # fmt: skip
    pbx.add_recording("call-progress", size=3_000_000)
    dialog = open_player(pbx, call_log=call_log)
    seen: list[tuple[int, int]] = []
    dialog.fetch.progress.connect(lambda received, total: seen.append((received, total)))
    path = open_and_wait(qtbot, dialog, "call-progress")
    assert path == cache.folder / "call-progress.wav"
    assert path.stat().st_size == seen[-1][0] == seen[-1][1]
    assert len(seen) >= 3, "a 3 MB download reports progress as it goes"
    assert not dialog.progress_bar.isVisible()
    assert dialog.save_button.isEnabled()
    stored = call_log.get("call-progress")
    assert stored is not None
    assert stored.recording_path == path


def test_cancel_stops_the_download_and_leaves_no_partial_file(
    qtbot: QtBot, pbx: PbxSimulator, open_player: OpenPlayer, cache: RecordingCache
) -> None:
    pbx.add_recording("call-big", size=400_000_000)
    dialog = open_player(pbx)
    dialog.show()
    with qtbot.waitSignal(dialog.fetch.progress, timeout=10_000):
        dialog.open_call_id("call-big")
    assert dialog.cancel_button.isVisible()
    with qtbot.waitSignal(dialog.fetch.cancelled) as cancelled:
        dialog.cancel_button.click()
    assert cancelled.args == ["call-big"]
    assert dialog.message_label.text() == "Download cancelled."
    assert dialog.retry_button.isVisible()
    assert QThreadPool.globalInstance().waitForDone(10_000)
    assert list(cache.folder.iterdir()) == []


def test_a_recording_not_there_yet_is_retried_with_a_countdown(
    qtbot: QtBot, start_simulator: Callable[..., PbxSimulator], open_player: OpenPlayer
) -> None:
    pbx = start_simulator(call_duration=0.4, recording_delay=0.4)
    with PbxClient(pbx.server_url, KEY) as client:
        placed = client.originate(
            CallRequest(
                "12085551234",
                "1007",
                "12085550100",
                options=CallOptions(auto_answer=True, record=True),
            )
        )
    dialog = open_player(pbx, retry_delays=(0.3,) * 20)
    messages: list[str] = []
    dialog.fetch.waiting.connect(lambda _s: messages.append(dialog.message_label.text()))
    path = open_and_wait(qtbot, dialog, placed.uuid)
    assert path.suffix == ".wav"
    assert messages
    assert messages[0] == ("The recording appears a little after the call ends - retrying in 1 s")


def test_after_about_two_minutes_of_waiting_the_player_says_there_is_none(
    qtbot: QtBot, pbx: PbxSimulator, open_player: OpenPlayer
) -> None:
    dialog = open_player(pbx, retry_delays=(0.05, 0.05, 0.05))
    with qtbot.waitSignal(dialog.fetch.failed, timeout=10_000) as failed:
        dialog.open_call_id("never-recorded")
    assert failed.args == ["never-recorded", NO_RECORDING_GIVE_UP]
    assert dialog.message_label.text() == NO_RECORDING_GIVE_UP
    assert dialog.retry_button.isVisible()


def test_a_wrong_key_is_one_sentence_not_a_retry(
    qtbot: QtBot, pbx: PbxSimulator, open_player: OpenPlayer, cache: RecordingCache
) -> None:
    dialog = RecordingPlayerDialog(
        cache, lambda: PbxClient(pbx.server_url, "wrong-key"), TaskRunner(), retry_delays=(60,)
    )
    qtbot.addWidget(dialog)
    assert dialog.player is not None or not recording_player.multimedia_available()
    with qtbot.waitSignal(dialog.fetch.failed, timeout=10_000) as failed:
        dialog.open_call_id("call-any")
    assert "key" in failed.args[1].lower()
    assert not dialog.fetch.busy


def test_a_second_play_comes_from_the_cache_without_the_network(
    qtbot: QtBot, start_simulator: Callable[..., PbxSimulator], open_player: OpenPlayer
) -> None:
    pbx = start_simulator()
    pbx.add_recording("call-cached", seconds=3)
    first = open_player(pbx)
    path = open_and_wait(qtbot, first, "call-cached")
    first.close()
    url = pbx.server_url
    pbx.stop()
    requests_before = len(pbx.requests)
    second = open_player(url)
    # Opened as from the history's "Play recording": it starts by itself.
    assert open_and_wait(qtbot, second, "call-cached", play=True) == path
    assert len(pbx.requests) == requests_before
    if second.player is not None:
        wait_playing_past(qtbot, second, 0)
        assert second.play_button.accessibleName() == "Pause"


def test_without_a_pbx_connection_the_player_says_what_to_do(
    qtbot: QtBot, open_player: OpenPlayer
) -> None:
    dialog = open_player(None)
    with qtbot.waitSignal(dialog.fetch.failed) as failed:
        dialog.open_call_id("call-nowhere")
    assert "Settings" in failed.args[1]


def test_only_plausible_call_ids_can_be_opened(qtbot: QtBot, open_player: OpenPlayer) -> None:
    dialog = open_player(None)
    dialog.call_id_edit.setText("not a call id")
    assert not dialog.open_button.isEnabled()
    dialog.call_id_edit.returnPressed.emit()
    assert dialog.message_label.text().startswith("That is not a call id")
    dialog.call_id_edit.setText(" 0b5e2a4e-7f0c-4a77-9d0b-3f1f3b1f2a10 ")
    assert dialog.open_button.isEnabled()


# --- playing ------------------------------------------------------------------------------------


@pytest.mark.slow
@needs_playback
@pytest.mark.parametrize("fmt", ["wav", "mp3", pytest.param("ogg", marks=NEEDS_SOUNDFILE)])
def test_playback_advances_seeks_and_changes_speed(
    qtbot: QtBot, open_player: OpenPlayer, cache: RecordingCache, tmp_path: Path, fmt: str
) -> None:
    cache.add("call-play", write_recording(tmp_path / f"made.{fmt}", fmt, 20))
    dialog = open_player(None)
    dialog.show()
    qtbot.waitExposed(dialog)
    player = dialog.player
    assert player is not None
    with qtbot.waitSignal(player.ready, timeout=5000):
        open_and_wait(qtbot, dialog, "call-play")
    qtbot.waitUntil(lambda: abs(player.duration - 20_000) < 200, timeout=5000)
    assert dialog.total_label.text() == format_time(player.duration)

    dialog.play_button.click()
    wait_playing_past(qtbot, dialog, 200)
    assert player.state == "playing"
    assert dialog.play_button.accessibleName() == "Pause"

    dialog.position_slider.setValue(10_000)
    qtbot.waitUntil(lambda: player.position >= 10_000, timeout=5000)
    assert dialog.elapsed_label.text().startswith("0:1")

    index = dialog.speed_combo.findData(2.0)
    dialog.speed_combo.setCurrentIndex(index)
    assert player.speed == 2.0
    start_position, start = player.position, time.monotonic()
    qtbot.waitUntil(lambda: player.position - start_position >= 1500, timeout=5000)
    rate = (player.position - start_position) / ((time.monotonic() - start) * 1000)
    assert rate > 1.3, f"playing at 2x advanced only {rate:.2f}x"

    dialog.play_button.click()
    qtbot.waitUntil(lambda: player.state == "paused")


@needs_playback
def test_keyboard_controls_play_seek_and_volume(
    qtbot: QtBot, open_player: OpenPlayer, cache: RecordingCache, tmp_path: Path
) -> None:
    cache.add("call-keys", write_recording(tmp_path / "made.wav", "wav", 30))
    dialog = open_player(None)
    dialog.show()
    qtbot.waitExposed(dialog)
    player = dialog.player
    assert player is not None
    with qtbot.waitSignal(player.ready, timeout=5000):
        open_and_wait(qtbot, dialog, "call-keys")
    dialog.position_slider.setFocus()
    qtbot.keyClick(dialog.position_slider, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state == "playing")
    qtbot.keyClick(dialog.position_slider, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.position >= 5000, timeout=5000)
    qtbot.keyClick(dialog.position_slider, Qt.Key.Key_Down)
    assert player.volume == pytest.approx(0.9)
    qtbot.keyClick(dialog.position_slider, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state == "paused")


def python_thread_states() -> int:
    """How many threads have a Python thread state, read without letting go of the GIL."""
    api = ctypes.pythonapi  # a PyDLL: its calls keep the GIL
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api.PyInterpreterState_ThreadHead.restype = ctypes.c_void_p
    api.PyInterpreterState_ThreadHead.argtypes = [ctypes.c_void_p]
    api.PyThreadState_Next.restype = ctypes.c_void_p
    api.PyThreadState_Next.argtypes = [ctypes.c_void_p]
    count, state = 0, api.PyInterpreterState_ThreadHead(api.PyInterpreterState_Get())
    while state:
        count, state = count + 1, api.PyThreadState_Next(state)
    return count


@pytest.mark.slow
@needs_playback
def test_the_media_backend_never_waits_for_python_when_playback_stops(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Stopping (what loading another call does first) makes Qt's FFmpeg thread delete its
    # audio renderer, holding a Qt mutex while it does. Had it to wait for the GIL there, a GUI
    # thread holding the GIL and wanting that mutex would hang forever. So this thread keeps
    # the GIL through the stop and 1.5 s after (no switching to other threads), and no other
    # thread may have come asking for it.
    from PySide6.QtMultimedia import QMediaPlayer  # only where Qt Multimedia loads

    player = recording_player.RecordingPlayer()
    with qtbot.waitSignal(player.ready, timeout=5000):
        player.load(write_recording(tmp_path / "made.wav", "wav", 10))
    player.play()
    qtbot.waitUntil(lambda: player.position > 200, timeout=5000)
    media = player.findChild(QMediaPlayer)
    assert media is not None
    assert QThreadPool.globalInstance().waitForDone(10_000)  # no earlier test's worker counts
    before = python_thread_states()
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(60)
    try:
        media.stop()
        held_until = time.perf_counter() + 1.5
        while time.perf_counter() < held_until:
            pass  # keeps the GIL: time.sleep would let go of it
        during = python_thread_states()
    finally:
        sys.setswitchinterval(switch_interval)
    assert during == before, "a Qt thread waited for the GIL while stopping playback"
    player.deleteLater()


@pytest.mark.slow
@needs_playback
def test_unloading_never_hangs_while_a_qt_thread_waits_for_python(tmp_path: Path) -> None:
    # Unloading waits for FFmpeg's audio renderer thread; that thread needs the GIL whenever
    # it logs (pytest-qt sends Qt messages to Python) or asks shiboken about an override. A
    # GUI thread holding the GIL through the wait hung the suite forever. The probe parks the
    # renderer in its message handler at the start of playback, lets it go, and unloads at
    # once: it finishes only if unload lets go of the GIL. A subprocess turns a hang into a
    # failure.
    recording = write_recording(tmp_path / "made.wav", "wav", 10)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    probe = [sys.executable, str(root / "tests" / "gui" / "player_unload_probe.py")]
    try:
        done = subprocess.run(
            [*probe, str(recording)], env=env, capture_output=True, text=True, timeout=90
        )
    except subprocess.TimeoutExpired as hung:
        raise AssertionError(f"unload hung: {hung.stdout!r}") from None
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["renderer parked: True", "unloaded"]


def test_save_as_copies_the_recording(
    qtbot: QtBot,
    open_player: OpenPlayer,
    cache: RecordingCache,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cached = cache.add("call-save", write_recording(tmp_path / "made.wav", "wav", 2))
    target = tmp_path / "saved" / "ana"
    target.parent.mkdir()
    monkeypatch.setattr(
        RecordingPlayerDialog, "ask_save_path", classmethod(lambda cls, parent, name: str(target))
    )
    dialog = open_player(None)
    open_and_wait(qtbot, dialog, "call-save")
    dialog.save_button.click()
    expected = target.with_suffix(".wav")
    qtbot.waitUntil(lambda: dialog.message_label.text() == f"Saved the recording as {expected}.")
    assert expected.read_bytes() == cached.read_bytes()


def test_without_qt_multimedia_the_recording_can_still_be_saved(
    qtbot: QtBot,
    open_player: OpenPlayer,
    cache: RecordingCache,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recording_player, "_MISSING", "libpulse.so.0: cannot open shared object")
    cache.add("call-noaudio", write_recording(tmp_path / "made.wav", "wav", 2))
    dialog = open_player(None)
    assert dialog.player is None
    open_and_wait(qtbot, dialog, "call-noaudio")
    assert dialog.message_label.text() == (
        "Playback needs Qt Multimedia (missing: libpulse.so.0: cannot open shared object); "
        "you can still Save as… the recording."
    )
    assert dialog.save_button.isEnabled()
    assert not dialog.play_button.isEnabled()


@pytest.mark.parametrize(
    ("ms", "shown"), [(0, "0:00"), (65_000, "1:05"), (3_723_000, "1:02:03"), (-5, "0:00")]
)
def test_times_are_minutes_and_seconds(ms: int, shown: str) -> None:
    assert format_time(ms) == shown


def test_a_pasted_call_id_opens_its_recording_and_its_folder(
    qtbot: QtBot,
    open_player: OpenPlayer,
    cache: RecordingCache,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cached = cache.add("call-pasted", write_recording(tmp_path / "made.wav", "wav", 2))
    shown: list[Path] = []
    monkeypatch.setattr(
        RecordingPlayerDialog, "open_folder", classmethod(lambda cls, folder: shown.append(folder))
    )
    dialog = open_player(None)
    dialog.call_id_edit.setText("  call-pasted ")
    with qtbot.waitSignal(dialog.recordingReady) as ready:
        dialog.open_button.click()
    assert ready.args == ["call-pasted", cached]
    dialog.folder_button.click()
    assert shown == [cache.folder]


# --- opening for the keyboard, saving where a rep looks, no speakers ---------------------------


@needs_playback
def test_the_player_opens_with_play_focused_so_space_and_arrows_work_at_once(
    qtbot: QtBot, open_player: OpenPlayer, cache: RecordingCache, tmp_path: Path
) -> None:
    cache.add("call-focus", write_recording(tmp_path / "made.wav", "wav", 30))
    dialog = open_player(None)
    player = dialog.player
    assert player is not None
    dialog.call_id_edit.setFocus()  # where a pasted id left it
    with qtbot.waitSignal(player.ready, timeout=5000):
        open_and_wait(qtbot, dialog, "call-focus")
    assert dialog.focusWidget() is dialog.play_button
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    focused = QApplication.focusWidget()
    assert focused is dialog.play_button
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state == "playing")
    qtbot.keyClick(focused, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: player.position >= 5000, timeout=5000)
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state == "paused")


@needs_playback
def test_space_while_downloading_plays_once_the_recording_is_there(
    qtbot: QtBot, pbx: PbxSimulator, open_player: OpenPlayer
) -> None:
    pbx.add_recording("call-early", seconds=3)
    dialog = open_player(pbx)
    player = dialog.player
    assert player is not None
    dialog.open_call_id("call-early", play=False)
    assert dialog.focusWidget() is dialog.play_button  # focused as the window activates
    qtbot.keyClick(dialog.play_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.state == "playing", timeout=10_000)


def saved_call(call_log: CallLog, uuid: str, name: str) -> CallRecord:
    call_log.add_pending(
        uuid=uuid,
        number="12085550142",
        display_number="+1 208-555-0142",
        name=name,
        ringback="us-ring",
        auto_answer=False,
        record=True,
        started_at=datetime(2026, 12, 4, 10, 30).astimezone(),
    )
    record = call_log.get(uuid)
    assert record is not None
    return record


@pytest.mark.parametrize("music_folder", [True, False])
def test_save_as_offers_music_or_downloads_with_date_number_and_contact(
    qtbot: QtBot,
    open_player: OpenPlayer,
    cache: RecordingCache,
    call_log: CallLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    music_folder: bool,
) -> None:
    music, downloads = tmp_path / "Music", tmp_path / "Downloads"
    downloads.mkdir()
    if music_folder:
        music.mkdir()
    config = Path(os.environ["XDG_CONFIG_HOME"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "user-dirs.dirs").write_text(
        f'XDG_MUSIC_DIR="{music}"\nXDG_DOWNLOAD_DIR="{downloads}"\n', encoding="utf-8"
    )
    record = saved_call(call_log, "call-named", 'Dana "DW" Whitfield/Acme')
    cache.add("call-named", write_recording(tmp_path / "made.wav", "wav", 1))
    offered: list[str] = []

    def cancel_after_looking(_cls: type, _parent: object, suggested: str) -> str:
        offered.append(suggested)
        return ""

    monkeypatch.setattr(RecordingPlayerDialog, "ask_save_path", classmethod(cancel_after_looking))
    dialog = open_player(None, call_log=call_log)
    with qtbot.waitSignal(dialog.recordingReady, timeout=10_000):
        dialog.open_call(record, play=False)
    dialog.save_button.click()
    folder = music if music_folder else downloads
    assert offered == [str(folder / "2026-12-04 1030 +1 208-555-0142 Dana DW Whitfield Acme.wav")]


def test_without_a_sound_output_the_player_says_so_instead_of_playing(
    qtbot: QtBot,
    open_player: OpenPlayer,
    cache: RecordingCache,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not recording_player.multimedia_available():
        pytest.skip("without Qt Multimedia the player never plays")
    from PySide6.QtMultimedia import QMediaDevices

    monkeypatch.setattr(QMediaDevices, "audioOutputs", staticmethod(lambda: []))
    cache.add("call-silent", write_recording(tmp_path / "made.wav", "wav", 5))
    dialog = open_player(None)
    player = dialog.player
    assert player is not None
    with qtbot.waitSignal(player.ready, timeout=5000):
        open_and_wait(qtbot, dialog, "call-silent", play=True)
    assert dialog.message_label.text().startswith("This computer has no sound output")
    dialog.play_button.click()
    with qtbot.assertNotEmitted(player.stateChanged, wait=300):
        dialog.play_button.click()
    assert player.state == "stopped"
    assert "Save as" in dialog.message_label.text()
