"""Start A1 Dialer in the tray when the rep logs in (Linux, Windows, macOS)."""

from __future__ import annotations

import plistlib
import sys
from collections.abc import Sequence
from pathlib import Path

from a1dialer import APP_ID, APP_NAME
from a1dialer.core.errors import LocalProblem
from a1dialer.core.translation import _
from a1dialer.desktop.link_handlers import (
    RegistryWriter,
    desktop_entry,
    exec_line,
    windows_command,
    windows_registry,
    xdg_config_home,
)

MINIMIZED = "--minimized"
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
MACOS_LABEL = f"com.{APP_ID}"


def set_autostart(enabled: bool, executable: Sequence[str]) -> None:
    """Start ``executable --minimized`` at login, or stop doing so."""
    try:
        if sys.platform == "win32":
            set_windows_autostart(enabled, executable, windows_registry())
        elif sys.platform == "darwin":
            set_macos_autostart(enabled, executable)
        else:
            set_linux_autostart(enabled, executable)
    except OSError as exc:
        if enabled:
            sentence = _(
                "{app} could not be set to start at login; check that you may write to your "
                "home folder and try again."
            )
        else:
            sentence = _(
                "{app} could not be set to stop starting at login; check that you may write to "
                "your home folder and try again."
            )
        raise LocalProblem(sentence.format(app=APP_NAME), str(exc)) from exc


def autostart_enabled() -> bool:
    """Whether A1 Dialer starts at login for this user."""
    if sys.platform == "win32":
        return windows_autostart_enabled(windows_registry())
    elif sys.platform == "darwin":
        return macos_autostart_file().exists()
    else:
        return linux_autostart_enabled()


def linux_autostart_file() -> Path:
    return xdg_config_home() / "autostart" / f"{APP_ID}.desktop"


def set_linux_autostart(enabled: bool, executable: Sequence[str]) -> None:
    """Write or remove the XDG autostart entry."""
    path = linux_autostart_file()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    entry = desktop_entry(
        exec_line([*executable, MINIMIZED]),
        extra_lines=["X-GNOME-Autostart-enabled=true", "NoDisplay=true"],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(entry, encoding="utf-8")
    partial.replace(path)


def linux_autostart_enabled() -> bool:
    """The entry exists and was not switched off in the desktop's own startup settings."""
    path = linux_autostart_file()
    if not path.is_file():
        return False
    lines = {line.strip().replace(" ", "") for line in path.read_text("utf-8").splitlines()}
    return not ({"Hidden=true", "X-GNOME-Autostart-enabled=false"} & lines)


def set_windows_autostart(
    enabled: bool, executable: Sequence[str], registry: RegistryWriter
) -> None:
    """Set or remove our value under the current user's Run key."""
    if enabled:
        registry.set_value(WINDOWS_RUN_KEY, APP_NAME, windows_command(executable, MINIMIZED))
    else:
        registry.delete_value(WINDOWS_RUN_KEY, APP_NAME)


def windows_autostart_enabled(registry: RegistryWriter) -> bool:
    return registry.get_value(WINDOWS_RUN_KEY, APP_NAME) is not None


def macos_autostart_file() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{MACOS_LABEL}.plist"


def set_macos_autostart(enabled: bool, executable: Sequence[str]) -> None:
    """Write or remove the per-user LaunchAgent that runs us once at login."""
    path = macos_autostart_file()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    agent = {
        "Label": MACOS_LABEL,
        "ProgramArguments": [*executable, MINIMIZED],
        "RunAtLoad": True,
        # Quitting from the tray must stay quit until the next login.
        "KeepAlive": False,
        "ProcessType": "Interactive",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(plistlib.dumps(agent))
    partial.replace(path)
