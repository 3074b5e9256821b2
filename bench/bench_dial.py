"""Whole-process cost of ``a1dialer dial`` against the simulator vs ``python -c "import requests"``.

Target (issue 2): at most 2x the baseline in the same run; ``-X importtime`` shows no PySide6.
Run: ``.venv/bin/python bench/bench_dial.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from a1dialer.pbx.simulator import PbxSimulator

KEY = "bench-key"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as profile, PbxSimulator(KEY, answer_delay=0.0) as sim:
        env = dict(
            os.environ,
            A1DIALER_HOME=profile,
            A1DIALER_API_KEY=KEY,
            A1DIALER_DEFAULTS=str(Path(profile) / "none.toml"),
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "a1dialer",
                "configure",
                "--server",
                sim.server_url,
                "--extension",
                "1007",
                "--caller-id-number",
                "12085550100",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        baseline_cmd = [sys.executable, "-c", "import requests"]
        dial_cmd = [sys.executable, "-m", "a1dialer", "dial", "+1 208 555 1234", "--auto-answer"]
        timed(baseline_cmd, env)
        timed(dial_cmd, env)
        baseline, dial = [], []
        for _ in range(runs):  # interleaved so machine noise hits both alike
            baseline.append(timed(baseline_cmd, env))
            dial.append(timed(dial_cmd, env))
        importtime = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "a1dialer", "dial", "12085551234"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        calls = len(sim.originates)
    qt_modules = [
        line for line in importtime.splitlines() if "PySide6" in line or "shiboken" in line
    ]
    base_ms, dial_ms = statistics.median(baseline) * 1000, statistics.median(dial) * 1000
    print(f"runs: {runs} each, interleaved; originates received by the simulator: {calls}")
    print(f'python -c "import requests": median {base_ms:7.1f} ms')
    print(f"a1dialer dial (whole process): median {dial_ms:7.1f} ms")
    print(f"ratio dial / baseline:          {dial_ms / base_ms:7.2f}x   (target <= 2.00x)")
    print(f"PySide6/shiboken modules imported by dial: {len(qt_modules)}   (target 0)")


if __name__ == "__main__":
    main()
