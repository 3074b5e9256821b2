"""Where the per-user profile (settings, call log, cache, logs) lives."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from a1dialer import APP_ID

HOME_ENV = "A1DIALER_HOME"


def profile_dir() -> Path:
    """The profile folder, created if missing. ``A1DIALER_HOME`` overrides the platform default."""
    override = os.environ.get(HOME_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
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
    path = profile_dir() / "recordings"
    path.mkdir(exist_ok=True)
    return path
