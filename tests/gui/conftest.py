"""Window test fixtures: a simulator per test, settings pointing at it, a call log, windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from a1dialer.core.calllog import CallLog
from a1dialer.core.settings import Settings
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.option_form import FormDelays
from a1dialer.ui.services import Services

KEY = "gui-test-key-42"
# Settings forms in tests point out a problem and ask the keyring after 20 ms, not 600 and 300.
QUICK_FORM_DELAYS = FormDelays(reveal_ms=20, key_lookup_ms=20)


@pytest.fixture(autouse=True)
def _no_work_left_behind() -> Iterator[None]:
    """Let every worker (an originate, an import) finish before the next test starts."""
    yield
    assert QThreadPool.globalInstance().waitForDone(20_000), "a worker thread never finished"


@pytest.fixture
def start_simulator() -> Iterator[Callable[..., PbxSimulator]]:
    """Start a simulator with the given timings; every one started is stopped afterwards."""
    started: list[PbxSimulator] = []

    def start(**options: Any) -> PbxSimulator:
        options.setdefault("answer_delay", 0.0)
        options.setdefault("call_duration", 0.2)
        options.setdefault("recording_delay", 0.1)
        simulator = PbxSimulator(KEY, **options)
        simulator.start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


@pytest.fixture
def pbx(start_simulator: Callable[..., PbxSimulator]) -> PbxSimulator:
    """A simulator that answers the rep's leg at once."""
    return start_simulator()


@pytest.fixture
def api_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("A1DIALER_API_KEY", KEY)
    return KEY


@pytest.fixture
def settings_for() -> Callable[..., Settings]:
    """Settings for a rep on extension 1007 using ``simulator``, with ``changes`` applied."""

    def make(simulator: PbxSimulator, **changes: Any) -> Settings:
        base = Settings(
            server=simulator.server_url,
            extension="1007",
            caller_id_number="12085550100",
            caller_id_name="Acme Sales",
        )
        return base.validated(**changes)

    return make


@pytest.fixture
def open_window(qtbot: QtBot, call_log: CallLog) -> Callable[..., MainWindow]:
    """Show a dialer window for ``settings`` (exposed, with the number field focused)."""

    def open_(settings: Settings, *, demo_hint: str | None = None) -> MainWindow:
        window = MainWindow(Services.create(settings, call_log), demo_hint=demo_hint)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.number_edit.setFocus()
        return window

    return open_


@pytest.fixture
def window(
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> MainWindow:
    """A window set up against ``pbx``, with the key in the environment."""
    return open_window(settings_for(pbx))
