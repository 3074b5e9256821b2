"""The profile folder: A1DIALER_HOME, else the platform's per-user data folder (as platformdirs)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from a1dialer import APP_ID
from a1dialer.core import paths

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the XDG rule is written out on Linux only"
)


def test_a1dialer_home_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "elsewhere"))
    assert paths.profile_dir() == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere").is_dir()


@linux_only
@pytest.mark.parametrize("xdg_data_home", [None, "", "relative/ignored", "/abs/data", "/abs/data/"])
def test_default_profile_dir_is_platformdirs_user_data_dir(
    xdg_data_home: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if xdg_data_home is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg_data_home)
    expected = Path(platformdirs.user_data_dir(APP_ID, appauthor=False))
    assert paths.default_profile_dir() == expected


@linux_only
@pytest.mark.parametrize(
    "xdg_config_dirs", [None, "", "relative:/etc/site", "/etc/site:/etc/xdg", "/opt/conf"]
)
def test_site_config_dir_is_platformdirs_site_config_dir(
    xdg_config_dirs: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if xdg_config_dirs is None:
        monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_DIRS", xdg_config_dirs)
    expected = Path(platformdirs.site_config_dir(APP_ID, appauthor=False))
    assert paths.site_config_dir() == expected
