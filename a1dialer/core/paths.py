"""Where the per-user profile (settings, call log, cache, logs) lives."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from a1dialer import APP_ID

HOME_ENV = "A1DIALER_HOME"
# Files shipped inside the package (icons, sounds); beside the modules in a source tree, an
# installed wheel and the PyInstaller bundle alike, so no importlib.resources (and its zipfile).
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _xdg_base(variable: str, default: str) -> Path:
    """An XDG base directory: the first absolute entry of ``variable``, else ``default``."""
    for entry in os.environ.get(variable, "").split(os.pathsep):
        if os.path.isabs(entry):
            return Path(entry)
    return Path(os.path.expanduser(default))


def default_profile_dir() -> Path:
    """The platform's per-user data folder for the app (platformdirs' ``user_data_dir``).

    On Linux this is the XDG rule written out (the tests hold it equal to platformdirs):
    platformdirs' Linux module loads tempfile, shutil and random, which every start would pay for.
    """
    if sys.platform.startswith("linux"):
        return _xdg_base("XDG_DATA_HOME", "~/.local/share") / APP_ID
    else:
        import platformdirs

        return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def site_config_dir() -> Path:
    """The machine-wide config folder for the app (platformdirs' ``site_config_dir``)."""
    if sys.platform.startswith("linux"):
        return _xdg_base("XDG_CONFIG_DIRS", "/etc/xdg") / APP_ID
    else:
        import platformdirs

        return Path(platformdirs.site_config_dir(APP_ID, appauthor=False))


def profile_dir() -> Path:
    """The profile folder, created if missing. ``A1DIALER_HOME`` overrides the platform default."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else default_profile_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    return profile_dir() / "settings.toml"


def call_log_file() -> Path:
    return profile_dir() / "calls.sqlite3"


def log_dir() -> Path:
    path = profile_dir() / "logs"
    path.mkdir(exist_ok=True)
    return path


def recordings_dir() -> Path:
    """The recordings folder, created if missing and possible (``RecordingCache`` copes with a
    read-only profile: what is cached still plays, a download says it cannot be saved)."""
    path = profile_dir() / "recordings"
    with contextlib.suppress(OSError):
        path.mkdir(exist_ok=True)
    return path
