"""A click on "recording ready" opens the player on that call, from the cache (no network).

Kept apart from the other window tests: it loads Qt's media backend (see scripts/test).
"""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from a1dialer.core.settings import Settings
from a1dialer.desktop.recording_watch import RecordingWatch
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow


def test_the_ready_notice_opens_the_player_on_that_call(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    start_simulator: Callable[..., PbxSimulator],
    api_key: str,
) -> None:
    pbx = start_simulator(recording_delay=0.3)
    window = open_window(settings_for(pbx))
    watch = RecordingWatch(
        window, None, window.services.download_client, window, retry_delays=(0.1,) * 30
    )
    window.dialer.set_number("+1 208 555 1234")
    window.record_check.setChecked(True)
    with qtbot.waitSignal(watch.ready, timeout=10_000) as ready:
        window.dialer.dial()
    uuid = ready.args[0]
    downloads = len([r for r in pbx.requests if r.endpoint == "call_recording"])
    window.hide()

    watch.open_player(uuid)

    player = window.recording_player()
    qtbot.waitUntil(lambda: player.fetch.call_id is None, timeout=10_000)
    assert window.isVisible()
    assert player.isVisible()
    assert player.call_id_edit.text() == uuid
    assert "+1 208-555-1234" in player.title_label.text()
    # Played from the cache the watch filled: the PBX was not asked again.
    assert len([r for r in pbx.requests if r.endpoint == "call_recording"]) == downloads
    player.close()
