"""Shared helpers of the end-to-end tests: the command line run as a rep's shell runs it."""

from __future__ import annotations

import subprocess
import sys


def run_cli(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``a1dialer ARGS`` in a subprocess with ``env``; text output captured, never raises."""
    return subprocess.run(
        [sys.executable, "-m", "a1dialer", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
