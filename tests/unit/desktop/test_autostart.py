"""Starting A1 Dialer at login: XDG autostart entry, Windows Run key, macOS LaunchAgent."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from a1dialer.core.errors import LocalProblem
from a1dialer.desktop.autostart import (
    linux_autostart_enabled,
    macos_autostart_file,
    set_autostart,
    set_linux_autostart,
    set_macos_autostart,
    set_windows_autostart,
    windows_autostart_enabled,
)
from a1dialer.desktop.link_handlers import RecordingRegistryWriter

EXECUTABLE = ["/usr/bin/python3", "-m", "a1dialer"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    return home


def test_linux_autostart_entry_starts_minimized(home: Path) -> None:
    assert not linux_autostart_enabled()

    set_linux_autostart(True, EXECUTABLE)

    entry = (home / "config" / "autostart" / "a1dialer.desktop").read_text(encoding="utf-8")
    assert "Exec=/usr/bin/python3 -m a1dialer --minimized\n" in entry
    assert "X-GNOME-Autostart-enabled=true\n" in entry
    assert linux_autostart_enabled()


def test_linux_autostart_off_removes_the_entry(home: Path) -> None:
    set_linux_autostart(True, EXECUTABLE)
    set_linux_autostart(False, EXECUTABLE)

    assert not (home / "config" / "autostart" / "a1dialer.desktop").exists()
    assert not linux_autostart_enabled()
    set_linux_autostart(False, EXECUTABLE)  # turning it off twice is fine


def test_linux_autostart_switched_off_in_desktop_settings_counts_as_off(home: Path) -> None:
    set_linux_autostart(True, EXECUTABLE)
    path = home / "config" / "autostart" / "a1dialer.desktop"
    path.write_text(path.read_text(encoding="utf-8") + "Hidden=true\n", encoding="utf-8")

    assert not linux_autostart_enabled()


def test_windows_autostart_uses_the_run_key() -> None:
    registry = RecordingRegistryWriter()
    run_key = r"Software\Microsoft\Windows\CurrentVersion\Run"

    set_windows_autostart(True, [r"C:\Program Files\A1 Dialer\a1dialer.exe"], registry)

    assert registry.get_value(run_key, "A1 Dialer") == (
        r'"C:\Program Files\A1 Dialer\a1dialer.exe" --minimized'
    )
    assert windows_autostart_enabled(registry)

    set_windows_autostart(False, [r"C:\Program Files\A1 Dialer\a1dialer.exe"], registry)

    assert registry.get_value(run_key, "A1 Dialer") is None
    assert not windows_autostart_enabled(registry)


def test_macos_launch_agent_runs_once_at_login(home: Path) -> None:
    set_macos_autostart(True, ["/Applications/A1 Dialer.app/Contents/MacOS/A1 Dialer"])

    path = home / "Library" / "LaunchAgents" / "com.a1dialer.plist"
    assert macos_autostart_file() == path
    agent = plistlib.loads(path.read_bytes())
    assert agent["Label"] == "com.a1dialer"
    assert agent["ProgramArguments"] == [
        "/Applications/A1 Dialer.app/Contents/MacOS/A1 Dialer",
        "--minimized",
    ]
    assert agent["RunAtLoad"] is True

    set_macos_autostart(False, [])
    assert not path.exists()


def test_an_unwritable_config_folder_is_one_sentence(home: Path) -> None:
    (home / "config").write_text("a file where the folder should be", encoding="utf-8")

    with pytest.raises(LocalProblem, match=r"could not be set to start at login; check"):
        set_autostart(True, EXECUTABLE)
