"""``a1dialer demo`` end to end in-process: the window, its banner, and a call to the simulator."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from a1dialer.app import run_gui
from a1dialer.core import paths
from a1dialer.demo import demo_hint
from a1dialer.ui.main_window import MainWindow


@pytest.mark.slow
def test_demo_window_places_a_call_on_the_simulator(qtbot: QtBot) -> None:
    home_before = os.environ.get(paths.HOME_ENV)
    seen: dict[str, object] = {}
    problems: list[BaseException] = []

    def steps() -> None:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        banner = window.demo_banner
        assert banner is not None
        assert banner.isVisible()
        seen["banner"] = banner.text()
        seen["title"] = window.windowTitle()
        assert os.environ.get(paths.HOME_ENV) != home_before  # a throw-away profile
        qtbot.keyClicks(window.number_edit, "+1 (208) 555-1234")
        with qtbot.waitSignal(window.placer.placed, timeout=15_000) as placed:
            qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
        seen["uuid"] = placed.args[1].uuid
        seen["status"] = window.status_label.text()

    def drive() -> None:
        try:
            steps()
        except BaseException as exc:  # re-raised after the event loop has ended
            problems.append(exc)
        finally:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, MainWindow):
                    widget.close()

    QTimer.singleShot(0, drive)
    assert run_gui(demo=True) == 0
    if problems:
        raise problems[0]
    assert str(seen["banner"]).startswith("Demo - simulated PBX")
    assert "+1 208 555 0101 for busy" in str(seen["banner"])
    assert "Demo" in str(seen["title"])
    assert str(seen["status"]).startswith("Call placed")
    assert str(seen["uuid"]) in str(seen["status"])
    assert os.environ.get(paths.HOME_ENV) == home_before


def test_demo_hint_names_the_busy_number() -> None:
    assert "Try +1 208 555 0101 for busy" in demo_hint()
