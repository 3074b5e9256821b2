"""Numbers from outside the window: tel: links from a second launch, the global hotkey.

"ask" (the default) fills the number in and waits for Enter; "dial" calls at once. Either way
one link or one key press sends at most one originate.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from pytestqt.qtbot import QtBot

from a1dialer.app import _bring_forward
from a1dialer.core.settings import Settings
from a1dialer.desktop.number_offer import NOTHING_SELECTED, receive_launch
from a1dialer.desktop.session import HotkeyWiring, hotkey_problem
from a1dialer.desktop.single_instance import SingleInstance
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.ui.main_window import MainWindow

LINK = "tel:%2B1-208-555-1234"
PROMPT = "Press Enter to call +1 208-555-1234."


@pytest.fixture
def running_instance(window: MainWindow) -> Iterator[SingleInstance]:
    """This test process as the running app: later launches reach ``window`` as in ``run_gui``."""
    instance = SingleInstance()
    assert instance.listen()
    instance.argumentsReceived.connect(lambda args: _bring_forward(window, args))
    yield instance
    instance.close()


def launch(qtbot: QtBot, *args: str) -> None:
    """Run ``a1dialer ARGS`` as a second process and let it hand over to this one."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    second = subprocess.Popen(
        [sys.executable, "-m", "a1dialer", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # The Qt event loop must run meanwhile: this process answers the hand-over.
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
    _out, err = second.communicate()
    assert second.returncode == 0, err.decode()


def press_enter(qtbot: QtBot, window: MainWindow) -> None:
    focused = QGuiApplication.focusObject()
    assert focused is window.call_button
    qtbot.keyClick(window.call_button, Qt.Key.Key_Return)


def test_a_link_from_a_second_launch_asks_first_and_enter_places_one_call(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, running_instance: SingleInstance
) -> None:
    launch(qtbot, LINK)

    qtbot.waitUntil(lambda: window.status.text == PROMPT, timeout=10_000)
    assert window.number_edit.text() == "tel:%2B1-208-555-1234"
    assert window.call_button.hasFocus()
    assert pbx.originates == []

    with qtbot.waitSignal(window.placer.placed, timeout=10_000):
        press_enter(qtbot, window)
        # A second Enter while the first is being placed adds nothing.
        qtbot.keyClick(window.call_button, Qt.Key.Key_Return)
    assert [call["dest"] for call in pbx.originates] == ["12085551234"]


def test_with_dial_at_once_a_link_places_exactly_one_call(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    settings_for: Callable[..., Settings],
    pbx: PbxSimulator,
    api_key: str,
) -> None:
    window = open_window(settings_for(pbx, link_action="dial"))
    instance = SingleInstance()
    assert instance.listen()
    instance.argumentsReceived.connect(lambda args: _bring_forward(window, args))
    try:
        with qtbot.waitSignal(window.placer.placed, timeout=20_000):
            launch(qtbot, "callto:+1 (208) 555-1234")
        qtbot.waitUntil(lambda: not window.placer.busy, timeout=5000)
    finally:
        instance.close()
    assert len(pbx.originates) == 1
    assert pbx.originates[0]["dest"] == "12085551234"


def test_the_dial_selection_command_offers_what_is_copied_in_the_running_app(
    qtbot: QtBot, window: MainWindow, pbx: PbxSimulator, running_instance: SingleInstance
) -> None:
    QGuiApplication.clipboard().setText("+1 208 555 1234")

    launch(qtbot, "--dial-selection")

    qtbot.waitUntil(lambda: window.status.text == PROMPT, timeout=10_000)
    assert window.number_edit.text() == "+1 208 555 1234"
    assert pbx.originates == []


def test_typing_another_number_replaces_the_prompt(qtbot: QtBot, window: MainWindow) -> None:
    receive_launch(window, ["sip:+12085551234@pbx.example.com"])
    assert window.status.text == PROMPT

    window.number_edit.setFocus()
    qtbot.keyClick(window.number_edit, Qt.Key.Key_Backspace)

    assert window.status.text.startswith("Ready.")


def test_a_link_without_a_usable_number_is_shown_not_offered(
    window: MainWindow, pbx: PbxSimulator
) -> None:
    receive_launch(window, ["tel:555123"])  # six digits: no extension, too short a number

    assert window.status.text != PROMPT
    assert window.preview_label.kind == "error"
    assert pbx.originates == []


def test_the_hotkey_command_offers_the_copied_number(window: MainWindow) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("Call me on +1 208 555 1234")
    if clipboard.supportsSelection():
        clipboard.setText("", QClipboard.Mode.Selection)
    clipboard.setText("+1 208 555 1234")

    receive_launch(window, ["--dial-selection"])

    assert window.number_edit.text() == "+1 208 555 1234"
    assert window.status.text == PROMPT


def test_the_hotkey_with_nothing_selected_says_what_to_do(window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("see you at 10")

    receive_launch(window, ["--dial-selection"])

    assert window.status.text == NOTHING_SELECTED
    assert window.number_edit.text() == ""


def test_without_a_desktop_the_hotkey_says_why_in_the_log(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    with caplog.at_level(logging.WARNING, "a1dialer.desktop.session"):
        wiring = HotkeyWiring(window, window)  # owned as in the app
    try:
        assert wiring.hotkey is None
        assert "not available on Wayland" in caplog.text
        assert "a1dialer --dial-selection" in hotkey_problem()
    finally:
        wiring.stop()


def test_pressing_the_hotkey_offers_the_selected_number_and_follows_settings(
    qtbot: QtBot,
    window: MainWindow,
    pbx: PbxSimulator,
    press_keys: Callable[[str], None],
) -> None:
    wiring = HotkeyWiring(window, window)  # owned as in the app
    try:
        assert wiring.hotkey is not None, hotkey_problem()
        QGuiApplication.clipboard().setText("+1 208 555 1234")
        window.hide()

        press_keys("ctrl+alt+d")

        qtbot.waitUntil(lambda: window.number_edit.text() == "+1 208 555 1234", timeout=10_000)
        assert window.isVisible()
        assert window.status.text == PROMPT
        assert pbx.originates == []

        # A new combination saved in Settings replaces the old one at once.
        window.apply_settings(window.settings.validated(hotkey="Ctrl+Shift+F9"))
        assert wiring.hotkey is not None
        assert wiring.hotkey.shortcut == "Ctrl+Shift+F9"
        window.dialer.clear_number()
        press_keys("ctrl+alt+d")
        press_keys("ctrl+shift+F9")
        qtbot.waitUntil(lambda: window.number_edit.text() == "+1 208 555 1234", timeout=10_000)

        # Empty turns it off.
        window.apply_settings(window.settings.validated(hotkey=""))
        assert wiring.hotkey is None
    finally:
        wiring.stop()
