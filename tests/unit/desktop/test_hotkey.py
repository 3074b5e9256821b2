"""The global hotkey: its key names, why it cannot work on some desktops, and a real key press."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QClipboard, QGuiApplication
from pytestqt.qtbot import QtBot

from a1dialer.desktop.hotkey import GlobalHotkey, pynput_hotkey, selected_or_clipboard_text


@pytest.mark.parametrize(
    ("shortcut", "expected"),
    [
        ("Ctrl+Alt+D", "<ctrl>+<alt>+d"),
        ("ctrl + shift + F9", "<ctrl>+<shift>+<f9>"),
        ("Meta+Space", "<cmd>+<space>"),
    ],
)
def test_shortcuts_in_qt_words_become_pynput_hotkeys(shortcut: str, expected: str) -> None:
    assert pynput_hotkey(shortcut) == expected


@pytest.mark.parametrize("shortcut", ["D", "Ctrl+Alt", "Ctrl++D", "Ctrl+PrintScreenish"])
def test_unusable_shortcuts_are_refused_with_a_reason(shortcut: str) -> None:
    with pytest.raises(ValueError, match=r"combination|modifier|cannot listen"):
        pynput_hotkey(shortcut)


def test_a_wayland_session_says_why_there_is_no_hotkey(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.delenv("DISPLAY", raising=False)

    usable, reason = GlobalHotkey.availability()

    assert not usable
    assert reason.startswith("Wayland desktops do not let apps listen for global hotkeys")
    assert reason.count(".") == 1
    assert reason.endswith(".")


def test_no_desktop_at_all_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    hotkey = GlobalHotkey()

    assert hotkey.start() == (
        False,
        "Global hotkeys need a graphical desktop session, and none is running.",
    )
    assert not hotkey.active


def test_selected_or_clipboard_text_falls_back_to_the_clipboard(qapp: QGuiApplication) -> None:
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("  +1 208 555 1234 \n")
    if clipboard.supportsSelection():
        clipboard.setText("", QClipboard.Mode.Selection)

    assert selected_or_clipboard_text() == "+1 208 555 1234"


def free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    pytest.skip("no free X display number between :90 and :199")


@pytest.fixture
def xvfb_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private Xvfb server; DISPLAY points at it for this test."""
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb and xdotool are needed to press a real global hotkey")
    display = f":{free_display()}"
    server = subprocess.Popen(
        ["Xvfb", display, "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    socket = Path(f"/tmp/.X11-unix/X{display[1:]}")
    # Polling a file the X server creates: there is no Qt signal to wait on outside Qt.
    while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if not socket.exists():
        server.kill()
        server.wait()
        pytest.skip(f"Xvfb did not start on {display}")
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    yield display
    server.terminate()
    server.wait(10)


def press(keys: str, display: str) -> None:
    env = {**os.environ, "DISPLAY": display}
    subprocess.run(["xdotool", "key", keys], env=env, check=True, timeout=10)


def test_pressing_the_hotkey_anywhere_triggers_it(qtbot: QtBot, xvfb_display: str) -> None:
    threads_before = set(threading.enumerate())
    hotkey = GlobalHotkey("Ctrl+Alt+D")
    assert hotkey.start() == (True, "")
    try:
        with qtbot.waitSignal(hotkey.triggered, timeout=10_000):
            press("ctrl+alt+d", xvfb_display)
    finally:
        hotkey.stop()
    assert not hotkey.active

    with qtbot.assertNotEmitted(hotkey.triggered, wait=200):
        press("ctrl+alt+d", xvfb_display)
    # The X11 listener thread ends at the first event after stop (see GlobalHotkey.stop).
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= threads_before, timeout=5000)
