"""The extension's number detection, through its own tests under Node's built-in test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BROWSER = Path(__file__).resolve().parents[2] / "browser"


@pytest.mark.skipif(
    shutil.which("node") is None, reason="Node.js is not installed (apt install nodejs)"
)
def test_number_detection_passes_its_node_tests() -> None:
    tests = sorted(str(path) for path in (BROWSER / "tests").glob("*.test.js"))
    assert tests, "no JavaScript tests found"
    done = subprocess.run(
        ["node", "--test", *tests], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "# fail 0" in done.stdout
