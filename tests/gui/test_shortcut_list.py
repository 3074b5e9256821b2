"""Help, Keyboard shortcuts lists every shortcut, read from the window's own actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from a1dialer.ui.main_window import MainWindow
from a1dialer.ui.shortcut_list import action_text, window_shortcuts

WAIT_MS = 10_000
NATIVE = QKeySequence.SequenceFormat.NativeText

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def open_shortcuts(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.number_edit.setFocus()
    QTest.keyClick(window.number_edit, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "shortcutsBox") is not None)
    box = window.findChild(QMessageBox, "shortcutsBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    return box


def test_f1_lists_every_action_with_a_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window._follow_up is not None, timeout=WAIT_MS)
    box = open_shortcuts(qtbot, window)
    text = box.text()
    actions = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert len(actions) >= 10
    for action in actions:
        assert action_text(action) in text, action.text()
        for sequence in action.shortcuts():
            assert sequence.toString(NATIVE) in text, action.text()
    for keys, what in [
        ("Enter", "call the number"),
        ("Ctrl+N", "Dial next"),
        ("1-9, Enter, Esc", "after a call"),
        ("Menu, Shift+F10", "the menu of the row"),
        ("Hold 0", "type +"),
    ]:
        assert keys in text
        assert what in text
    box.close()


def test_a_new_action_or_shortcut_is_listed_without_touching_the_list(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert "Frobnicate" not in open_shortcuts(qtbot, window).text()
    window.findChild(QMessageBox, "shortcutsBox").close()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "shortcutsBox") is None)

    action = QAction("&Frobnicate the lead…", window)
    action.setShortcut(QKeySequence("Ctrl+Alt+F"))
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    file_menu.addAction(action)
    shortcut = QShortcut(QKeySequence("Ctrl+Shift+J"), window.panel)
    shortcut.setWhatsThis("jump to the lead")
    hidden = QShortcut(QKeySequence("Ctrl+Shift+Y"), window.panel)  # says nothing: not listed

    rows = dict(window_shortcuts(window))
    assert rows["Ctrl+Alt+F"] == "Frobnicate the lead"
    assert rows["Ctrl+Shift+J"] == "jump to the lead"
    assert "Ctrl+Shift+Y" not in rows
    assert "Frobnicate the lead" in open_shortcuts(qtbot, window).text()
    hidden.deleteLater()


def test_two_keys_for_one_action_share_a_row(window: MainWindow) -> None:
    rows = {what: keys for keys, what in window_shortcuts(window)}
    assert rows["Call"] == "Ctrl+Return, Ctrl+Enter"
    assert len(rows) == len(window_shortcuts(window))
