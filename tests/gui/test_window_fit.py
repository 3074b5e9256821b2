"""The dialer window fits its screen: laptop screens, 200% scaling, docks, restored sizes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.dialer_column import DIALER_MAX_WIDTH
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.status_bar import ElidingStatusBar
from a1dialer.ui.window_fit import room

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "gui" / "window_fit_probe.py"
WAIT_MS = 10_000

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def inside(inner: list[int] | QRect, outer: list[int] | QRect) -> bool:
    a = inner if isinstance(inner, QRect) else QRect(*inner)
    b = outer if isinstance(outer, QRect) else QRect(*outer)
    return b.contains(a)


def run_probe(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [*command, sys.executable, str(PROBE)],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def check_fits(moments: dict[str, Any], width: int, height: int) -> None:
    for moment, found in moments.items():
        assert found["available"][2:] == [width, height], moment
        screen = found["available"]
        for part in ("frame", "status_bar"):
            assert inside(found[part], screen), (moment, part, found)
        assert found["minimum"][0] <= width, moment
        assert found["minimum"][1] <= height, moment
        assert inside(found["column"], screen), moment
        # The dialer's column is never narrower than the panel in it (nothing cut off).
        assert found["column"][2] >= found["panel"][2], (moment, found)
    assert set(moments) == {"opened", "wide", "outcome", "docks", "restored"}
    if height >= 700:  # room for the whole dialer: it opens without a scroll bar
        opened = moments["opened"]
        assert opened["panel"][3] <= opened["column"][3], opened
    # The outcome panel appears whole, scrolled into the part of the dialer column on screen.
    outcome = moments["outcome"]
    assert outcome["outcome_panel"][2:] == outcome["outcome_panel_size"], outcome
    assert inside(outcome["outcome_panel"], outcome["available"])
    # A wide window: the dial pad keeps its width, in the middle; beside the docks, the
    # dialer keeps its own width and the docks get the rest.
    wide = moments["wide"]
    assert wide["panel"][2] <= DIALER_MAX_WIDTH
    middle = wide["panel"][0] + wide["panel"][2] // 2
    # (The column's vertical scroll bar, where it has one, is off centre.)
    assert abs(middle - (wide["column"][0] + wide["column"][2] // 2)) <= 10
    docks = moments["docks"]
    assert docks["column"][2] <= DIALER_MAX_WIDTH + 40
    assert docks["history"][2] >= docks["frame"][2] - docks["column"][2] - 20


SCREENS = [
    pytest.param("1366x768", {}, 1366, 768, id="1366x768"),
    pytest.param("1920x1080", {"QT_SCALE_FACTOR": "2"}, 960, 540, id="1920x1080-at-200%"),
]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
@pytest.mark.parametrize(("screen", "env", "width", "height"), SCREENS)
def test_on_a_real_x_screen_nothing_is_off_screen(
    screen: str, env: dict[str, str], width: int, height: int
) -> None:
    """Under Xvfb (a real X server, as a rep's desktop) at the screen sizes reps have."""
    xvfb = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24"]
    moments = run_probe(xvfb, {"QT_QPA_PLATFORM": "xcb", **env})
    check_fits(moments, width, height)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("screen", "env", "width", "height"),
    [*SCREENS, pytest.param("1920x1080", {}, 1920, 1080, id="1920x1080")],
)
def test_on_an_offscreen_screen_of_that_size_nothing_is_off_screen(
    tmp_path: Path, screen: str, env: dict[str, str], width: int, height: int
) -> None:
    wide, tall = screen.split("x")
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps({"screens": [{"name": "probe", "width": int(wide), "height": int(tall)}]})
    )
    moments = run_probe([], {"QT_QPA_PLATFORM": f"offscreen:configfile={config}", **env})
    check_fits(moments, width, height)


def test_docks_and_a_call_keep_the_window_on_its_screen(
    qtbot: QtBot,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(settings_for(pbx, auto_answer=True))
    available = window.screen().availableGeometry()
    assert inside(window.frameGeometry(), available)
    column = window.dialer_column
    # Room enough: the whole dialer shows, no scroll bar.
    qtbot.waitUntil(lambda: column.verticalScrollBar().maximum() == 0, timeout=WAIT_MS)
    opened_height = window.height()
    qtbot.waitUntil(lambda: window._follow_up is not None, timeout=WAIT_MS)
    window.number_edit.setText("+1 208 555 0142")
    window.dialer.dial()
    panel = window.follow_up.panel
    qtbot.waitUntil(lambda: panel.isVisible() and not window.placer.busy, timeout=WAIT_MS)
    viewport = window.dialer_column.viewport()
    qtbot.waitUntil(
        lambda: viewport.rect().contains(
            QRect(panel.mapTo(viewport, panel.rect().topLeft()), panel.size())
        ),
        timeout=WAIT_MS,
    )
    # The screen has room: the window grew for the panel rather than making the dialer scroll.
    assert window.height() > opened_height
    assert column.verticalScrollBar().maximum() == 0
    window.history_dock.toggleViewAction().trigger()
    window.follow_up.dock_action.trigger()
    qtbot.waitUntil(lambda: window.history is not None, timeout=WAIT_MS)
    assert inside(window.frameGeometry(), available)
    assert window.minimumSizeHint().height() < available.height()


def test_a_size_saved_on_a_larger_monitor_is_brought_onto_this_screen(
    qtbot: QtBot,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(settings_for(pbx))
    window.setGeometry(1500, 1100, 2400, 1300)
    window.close()  # saves the size and place
    again = open_window(settings_for(pbx))
    available = again.screen().availableGeometry()
    assert inside(again.frameGeometry(), available)
    assert again.width() < 2400


def test_a_wide_window_gives_its_width_to_the_docks_not_the_dial_pad(
    qtbot: QtBot,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(settings_for(pbx))
    qtbot.waitUntil(lambda: window.history_dock._may_build, timeout=WAIT_MS)
    window.resize(room(window).size())
    column, panel = window.dialer_column, window.panel
    # Alone, the dialer keeps its width and sits in the middle.
    qtbot.waitUntil(lambda: panel.width() == DIALER_MAX_WIDTH, timeout=WAIT_MS)
    viewport = column.viewport()

    def off_centre() -> int:
        return abs(panel.mapTo(viewport, panel.rect().center()).x() - viewport.width() // 2)

    qtbot.waitUntil(lambda: off_centre() <= 2, timeout=WAIT_MS)

    window.history_dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.history is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: column.width() < DIALER_MAX_WIDTH, timeout=WAIT_MS)
    assert window.history_dock.width() > column.width()


def test_a_long_status_message_is_shortened_with_the_whole_sentence_in_its_tooltip(
    qtbot: QtBot,
    pbx: PbxSimulator,
    api_key: str,
    settings_for: Callable[..., Settings],
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window(settings_for(pbx))
    bar = window.statusBar()
    assert isinstance(bar, ElidingStatusBar)
    sentence = (
        "The recording of the call to Dana Whitfield (+1 208-555-0171) on Tuesday was saved: "
        "play it from the history."
    )
    bar.showMessage(sentence, 5000)
    qtbot.wait(10)
    assert bar.currentMessage() == sentence
    assert bar.shown_text.endswith("…")
    assert bar.shown_text != sentence
    assert bar.message_label.toolTip() == sentence
    assert bar.message_label.accessibleName() == sentence
    label = bar.message_label
    assert label.fontMetrics().horizontalAdvance(bar.shown_text) <= label.contentsRect().width()

    window.resize(1600, window.height())
    qtbot.waitUntil(lambda: bar.shown_text == sentence, timeout=WAIT_MS)
    assert bar.message_label.toolTip() == ""
    with qtbot.waitSignal(bar.messageChanged, timeout=WAIT_MS):
        bar.clearMessage()
    assert bar.shown_text == ""
