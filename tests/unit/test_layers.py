"""The package layers point one way (import-linter's contracts in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "a1dialer.__main__",
    "a1dialer.cli",
    "a1dialer.app | a1dialer.smoke_test",
    "a1dialer.demo",
    "a1dialer.desktop",
    "a1dialer.ui",
    "a1dialer.pbx",
    "a1dialer.core",
]


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return found


def test_the_layers_are_the_designed_ones_with_no_exceptions() -> None:
    layers = [contract for contract in contracts() if contract["type"] == "layers"]
    assert [contract["layers"] for contract in layers] == [LAYERS]
    # An exception listed for an import is a loop let back in.
    assert all("ignore_imports" not in contract for contract in contracts())


def test_no_module_imports_against_the_layers() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
