"""The global hotkey: its key names, why it cannot work on some desktops, and a real key press."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtGui import QClipboard, QGuiApplication
from pytestqt.qtbot import QtBot

from a1dialer.core.key_combinations import pynput_hotkey
from a1dialer.desktop.hotkey import GlobalHotkey, selected_or_clipboard_text


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
    assert reason.startswith("Global hotkeys are not available on Wayland")
    assert "a1dialer --dial-selection" in reason
    assert reason.count(".") == 1
    assert reason.endswith(".")


def test_an_x11_app_inside_a_wayland_session_has_no_hotkey_either(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("DISPLAY", ":0")

    assert GlobalHotkey.availability()[0] is False


def test_no_desktop_at_all_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
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


def test_pressing_the_hotkey_anywhere_triggers_it(
    qtbot: QtBot, press_keys: Callable[[str], None]
) -> None:
    threads_before = set(threading.enumerate())
    hotkey = GlobalHotkey("Ctrl+Alt+D")
    assert hotkey.start() == (True, "")
    try:
        with qtbot.waitSignal(hotkey.triggered, timeout=10_000):
            press_keys("ctrl+alt+d")
    finally:
        hotkey.stop()
    assert not hotkey.active

    with qtbot.assertNotEmitted(hotkey.triggered, wait=200):
        press_keys("ctrl+alt+d")
    # The X11 listener thread ends at the first event after stop (see GlobalHotkey.stop).
    qtbot.waitUntil(lambda: set(threading.enumerate()) <= threads_before, timeout=5000)
