"""Start-up: nothing heavy before the first paint; the work after it in small event-loop turns."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from a1dialer.ui.startup import StartUp
from a1dialer.ui.tasks import TaskRunner

ROOT = Path(__file__).resolve().parents[2]
# What the window path must not import before its first paint: each is loaded after it (on a
# worker where it can be) or at first use. Adding one to a module the window imports at the top
# puts it back in front of the paint; import it where it is used instead.
NOT_BEFORE_PAINT = {
    "requests",
    "urllib3",
    "keyring",
    "pynput",
    "sqlite3",
    "phonenumbers",
    "csv",
    "PySide6.QtMultimedia",
    "PySide6.QtNetwork",
    "a1dialer.core.calllog",
    "a1dialer.core.numbers",
    "a1dialer.pbx.client",
    "a1dialer.ui.call_followup",
    "a1dialer.ui.history_view",
    "a1dialer.ui.settings_dialog",
    "a1dialer.ui.player_widget",
    "a1dialer.desktop.session",
    "a1dialer.desktop.tray",
}


def imported_before_paint(profile: Path) -> list[str]:
    (profile / "settings.toml").write_text(
        'server = "http://127.0.0.1:9"\nextension = "1007"\ncaller_id_number = "12085550100"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("A1DIALER_")}
    env.update(
        A1DIALER_HOME=str(profile),
        A1DIALER_DEFAULTS=str(profile / "no-defaults.toml"),
        A1DIALER_EXIT_AFTER_PAINT="1",
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "a1dialer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=True,
    )
    assert "painted_ms=" in done.stdout, done.stdout[-2000:]
    before = done.stdout.split("painted_ms=", 1)[0]
    return [
        line.rsplit("|", 1)[1].strip()
        for line in before.splitlines()
        if line.startswith("import time:") and "|" in line
    ]


def test_the_window_path_imports_nothing_heavy_before_the_first_paint(tmp_path: Path) -> None:
    imported = imported_before_paint(tmp_path)
    assert "a1dialer.ui.main_window" in imported  # the list is the window path's
    assert sorted(NOT_BEFORE_PAINT.intersection(imported)) == []


@pytest.fixture
def startup(qtbot: QtBot) -> StartUp:
    return StartUp(TaskRunner())


def test_steps_run_in_order_each_in_a_turn_of_its_own(qtbot: QtBot, startup: StartUp) -> None:
    seen: list[str] = []

    def first() -> None:
        seen.append("first")
        # Posted during the first step: runs before the second, so the window got a turn.
        QTimer.singleShot(0, lambda: seen.append("between"))

    startup.then(first)
    startup.then(lambda: seen.append("second"))
    qtbot.wait(20)
    assert seen == []  # nothing before start (the first paint)
    with qtbot.waitSignal(startup.finished, timeout=5000):
        startup.start()
    assert seen == ["first", "between", "second"]


def test_a_worker_step_runs_off_the_gui_thread_and_the_next_waits(
    qtbot: QtBot, startup: StartUp
) -> None:
    seen: list[object] = []
    gui = threading.get_ident()
    startup.then_off_thread(
        lambda: threading.get_ident() != gui, lambda result, error: seen.extend((result, error))
    )
    startup.then(lambda: seen.append("next"))
    with qtbot.waitSignal(startup.finished, timeout=5000):
        startup.start()
    assert seen == [True, None, "next"]


def test_a_failing_step_does_not_stop_the_others_and_stop_drops_the_rest(
    qtbot: QtBot, startup: StartUp, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def broken() -> None:
        raise RuntimeError("broken step")

    startup.then(broken)
    startup.then(lambda: seen.append("after the broken one"))
    startup.then(startup.stop)
    startup.then(lambda: seen.append("dropped"))
    with qtbot.waitSignal(startup.finished, timeout=5000):
        startup.start()
    qtbot.wait(20)
    assert seen == ["after the broken one"]
    assert "A start-up step failed" in caplog.text
    # Steps added after the last one ran start at once.
    with qtbot.waitSignal(startup.finished, timeout=5000):
        startup.then(lambda: seen.append("late"))
    assert seen == ["after the broken one", "late"]


def test_a_window_deleted_while_a_worker_step_runs_gets_no_answer(
    qtbot: QtBot, startup: StartUp
) -> None:
    from PySide6.QtCore import QCoreApplication, QThreadPool
    from PySide6.QtWidgets import QWidget

    started, release = threading.Event(), threading.Event()
    answered: list[bool] = []
    window = QWidget()
    window.destroyed.connect(startup.stop)

    def work() -> None:
        started.set()
        release.wait(10)

    # The answer goes to the window, as the opened call log's goes to the main window.
    startup.then_off_thread(work, lambda result, error: answered.append(window.isVisible()))
    startup.start()
    qtbot.waitUntil(started.is_set, timeout=5000)
    with qtbot.waitSignal(window.destroyed, timeout=5000):
        window.deleteLater()
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    assert answered == []
