"""Fixtures for every test: a private profile, no leaking keys or admin defaults, a simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from a1dialer.pbx.simulator import PbxSimulator

SIMULATOR_KEY = "simulator-test-key"


@pytest.fixture(autouse=True)
def private_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the profile, admin defaults and key variables away from anything real."""
    profile = tmp_path / "profile"
    monkeypatch.setenv("A1DIALER_HOME", str(profile))
    monkeypatch.setenv("A1DIALER_DEFAULTS", str(tmp_path / "no-admin-defaults.toml"))
    monkeypatch.delenv("A1DIALER_API_KEY", raising=False)
    return profile


@pytest.fixture
def simulator() -> Iterator[PbxSimulator]:
    """A simulator on a free loopback port that answers at once and has recordings soon after."""
    with PbxSimulator(
        SIMULATOR_KEY, answer_delay=0.0, call_duration=0.0, recording_delay=0.0
    ) as running:
        yield running
