"""``a1dialer demo`` as a subprocess: the scripted headless demo, and the no-display message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import run_cli

# Each test runs the app or the command line in a subprocess: left out of the quick run.
pytestmark = pytest.mark.slow


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
    env["A1DIALER_HOME"] = str(tmp_path / "profile")
    env["A1DIALER_DEFAULTS"] = str(tmp_path / "no-defaults.toml")
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, timeout=120)


def test_headless_demo_prints_each_step(clean_env: dict[str, str]) -> None:
    done = run(clean_env, "demo", "--headless")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    steps = [
        "Demo - simulated PBX at http://127.0.0.1:",
        "Will dial +1 208-555-1234, United States.",
        "Ringing your phone (ext 1007)...",
        "Call placed after",
        "Call failed:",
        "Recording downloaded:",
        "Call history:",
        "Demo finished.",
    ]
    positions = [out.find(step) for step in steps]
    assert all(p >= 0 for p in positions), out
    assert positions == sorted(positions), out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux desktops")
def test_demo_without_a_display_says_how_to_run_it(clean_env: dict[str, str]) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        clean_env.pop(name, None)
    done = run(clean_env, "demo")
    assert done.returncode == 6
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "no display" in lines[0]
    assert "xvfb-run a1dialer demo" in lines[0]
    assert "a1dialer demo --headless" in lines[0]
    assert done.stdout == ""
