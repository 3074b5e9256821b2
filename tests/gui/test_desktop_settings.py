"""The Settings dialog's Desktop group: link action, hotkey (or why there is none), autostart."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QKeySequenceEdit, QPushButton
from pytestqt.qtbot import QtBot

from a1dialer.core.paths import settings_file
from a1dialer.core.settings import Settings, load_settings
from a1dialer.desktop.autostart import linux_autostart_file
from a1dialer.desktop.settings_section import add_desktop_rows
from a1dialer.ui.settings_dialog import SettingsDialog
from a1dialer.ui.settings_sections import set_desktop_rows
from a1dialer.ui.status_label import StatusLabel
from tests.gui.conftest import QUICK_FORM_DELAYS

WAIT_MS = 10_000
READY = Settings(server="http://127.0.0.1:9", extension="1007", caller_id_number="12085550100")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the autostart entry checked here is Linux's"
)


@pytest.fixture(autouse=True)
def _desktop_section() -> Iterator[None]:
    """The app installs the desktop section before any dialog opens; so does each test here."""
    set_desktop_rows(add_desktop_rows)
    yield
    set_desktop_rows(None)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    return home


def open_dialog(qtbot: QtBot, settings: Settings = READY) -> SettingsDialog:
    dialog = SettingsDialog(settings, delays=QUICK_FORM_DELAYS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: autostart(dialog).isEnabled(), timeout=WAIT_MS)
    return dialog


def autostart(dialog: SettingsDialog) -> QCheckBox:
    check = dialog.findChild(QCheckBox, "autostartCheck")
    assert check is not None
    return check


def save(qtbot: QtBot, dialog: SettingsDialog) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save_button.click()


def test_start_at_login_writes_the_autostart_entry_and_removes_it_again(
    qtbot: QtBot, home: Path
) -> None:
    entry = home / ".config" / "autostart" / "a1dialer.desktop"
    assert linux_autostart_file() == entry
    dialog = open_dialog(qtbot)
    assert not autostart(dialog).isChecked()
    assert autostart(dialog).text().replace("&", "") == "Start A1 Dialer when I log in"

    autostart(dialog).setChecked(True)
    save(qtbot, dialog)

    text = entry.read_text(encoding="utf-8")
    assert "--minimized" in next(line for line in text.splitlines() if line.startswith("Exec="))
    again = open_dialog(qtbot)
    assert autostart(again).isChecked()

    autostart(again).setChecked(False)
    save(qtbot, again)

    assert not entry.exists()


def test_the_check_box_shows_what_is_on_disk_not_a_stored_copy(qtbot: QtBot, home: Path) -> None:
    dialog = open_dialog(qtbot)
    autostart(dialog).setChecked(True)
    save(qtbot, dialog)
    # The rep switches it off in the desktop's own "Startup Applications".
    entry = linux_autostart_file()
    entry.write_text(entry.read_text(encoding="utf-8") + "Hidden=true\n", encoding="utf-8")

    assert not autostart(open_dialog(qtbot)).isChecked()
    assert "autostart" not in settings_file().read_text(encoding="utf-8")


def test_saving_other_settings_leaves_the_entry_alone(qtbot: QtBot, home: Path) -> None:
    dialog = open_dialog(qtbot)
    link = dialog.findChild(QComboBox, "linkActionCombo")
    assert link is not None
    link.setCurrentIndex(link.findData("dial"))
    save(qtbot, dialog)

    assert load_settings().link_action == "dial"
    assert not linux_autostart_file().exists()


def test_the_hotkey_is_recorded_by_pressing_it_checked_and_cleared(
    qtbot: QtBot, home: Path
) -> None:
    dialog = open_dialog(qtbot)
    recorder = dialog.findChild(QKeySequenceEdit, "hotkeyEdit")
    assert recorder is not None
    assert recorder.keySequence().toString() == "Ctrl+Alt+D"
    problem = dialog.findChild(StatusLabel, "hotkeyProblem")
    assert problem is not None
    dialog.show_field("hotkey")

    QTest.keyClick(recorder, Qt.Key.Key_A)  # no modifier: it would swallow a letter everywhere
    assert not dialog.save_button.isEnabled()
    assert "modifier and one key" in problem.text()
    QTest.keyClick(recorder, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.save_button.isEnabled()  # a key the hotkey listener cannot name

    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(recorder, Qt.Key.Key_F9, shift_ctrl)
    assert dialog.save_button.isEnabled()
    assert recorder.keySequence().count() == 1  # one chord, never a sequence
    assert dialog.form.settings().hotkey == "Ctrl+Shift+F9"  # stored as before

    clear = dialog.findChild(QPushButton, "hotkeyClearButton")
    assert clear is not None
    clear.click()
    assert dialog.form.settings().hotkey == ""  # off
    save(qtbot, dialog)
    assert load_settings().hotkey == ""


def test_a_stored_hotkey_qt_cannot_show_is_kept(qtbot: QtBot, home: Path) -> None:
    dialog = open_dialog(qtbot, READY.validated(hotkey="Win+D"))
    assert dialog.form.settings().hotkey == "Win+D"


def test_on_wayland_the_hotkey_field_says_what_to_do_instead(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")

    dialog = open_dialog(qtbot)

    note = dialog.findChild(StatusLabel, "hotkeyNote")
    assert note is not None
    assert "not available on Wayland" in note.text()
    assert "a1dialer --dial-selection" in note.text()
