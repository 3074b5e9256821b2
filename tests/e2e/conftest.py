"""Shared helpers of the end-to-end tests: the command line run as a rep's shell runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


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


def processes_with(variable: str) -> list[int]:
    """The processes (started by this test) whose environment holds ``variable``, such as a
    profile only this test uses: what a test must end that the app started on its own."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if variable.encode() in environ:
            found.append(int(entry.name))
    return found
