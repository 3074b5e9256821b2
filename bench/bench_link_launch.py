"""Clicking a tel: link while the dialer runs: second launch to the running instance's signal.

This process plays the running dialer (a QCoreApplication listening through ``SingleInstance`` on a
throw-away profile). Each run starts a second process and measures until ``argumentsReceived``:
  - ``cli``: ``python -m a1dialer tel:+12085551234`` (needs cli.py to forward through
    ``SingleInstance.try_forward`` before it imports the window; reported as not wired otherwise),
  - ``direct``: ``python -c`` calling ``a1dialer.desktop.single_instance`` itself,
against ``python -m a1dialer --version`` run to exit. Median of ``--runs``.
Targets: link median < 300 ms and <= 1.5x the ``--version`` launch. Prints figures; asserts nothing.
Run: ``/work/venv/bin/python bench/bench_link_launch.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from a1dialer.desktop.single_instance import SingleInstance

LINK = "tel:+12085551234"
DIRECT = (
    "import sys\n"
    "from a1dialer.desktop.single_instance import SingleInstance\n"
    "sys.exit(0 if SingleInstance().try_forward(sys.argv[1:]) else 1)\n"
)
# Without wiring, ``a1dialer tel:`` opens a window instead of forwarding; give up after this.
NOT_WIRED_AFTER_MS = 5000


def time_to_arrival(instance: SingleInstance, command: Sequence[str], env: dict[str, str]) -> float:
    """Milliseconds from starting ``command`` to ``argumentsReceived``; NaN if it never came."""
    loop = QEventLoop()
    arrived: list[float] = []

    def received(_args: list[str]) -> None:
        arrived.append(time.perf_counter())
        loop.quit()

    instance.argumentsReceived.connect(received)
    QTimer.singleShot(NOT_WIRED_AFTER_MS, loop.quit)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    loop.exec()
    instance.argumentsReceived.disconnect(received)
    if process.poll() is None:
        process.kill()
    process.wait()
    return (arrived[0] - start) * 1000 if arrived else float("nan")


def time_to_exit(command: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def summary(name: str, samples: list[float], baseline: float | None) -> None:
    if not samples or any(sample != sample for sample in samples):  # NaN: never arrived
        print(f"{name:>10}: not forwarded within {NOT_WIRED_AFTER_MS} ms (cli.py not wired yet?)")
        return
    median = statistics.median(samples)
    ratio = f"  {median / baseline:.2f}x --version" if baseline else ""
    verdict = ""
    if baseline:
        verdict = "  ok" if median < 300 and median <= 1.5 * baseline else "  MISSES TARGET"
    print(
        f"{name:>10}: median {median:6.1f} ms  min {min(samples):6.1f}  max {max(samples):6.1f}"
        f"{ratio}{verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="a1dialer-bench-link-") as profile:
        os.environ["A1DIALER_HOME"] = profile
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        app = QCoreApplication([])
        instance = SingleInstance()
        if not instance.listen():
            print("Another instance already listens on the benchmark profile.")
            return 1
        python = sys.executable
        version = [
            time_to_exit([python, "-m", "a1dialer", "--version"], env) for _ in range(args.runs)
        ]
        direct = [
            time_to_arrival(instance, [python, "-c", DIRECT, LINK], env) for _ in range(args.runs)
        ]
        first_cli = time_to_arrival(instance, [python, "-m", "a1dialer", LINK], env)
        cli = [first_cli]
        if first_cli == first_cli:  # wired: measure the remaining runs too
            cli += [
                time_to_arrival(instance, [python, "-m", "a1dialer", LINK], env)
                for _ in range(args.runs - 1)
            ]
        instance.close()
        del app

    baseline = statistics.median(version)
    print(f"Second launch with {LINK} to the running instance, {args.runs} runs:")
    summary("--version", version, None)
    summary("direct", direct, baseline)
    summary("cli", cli, baseline)
    print("Targets: median < 300 ms and <= 1.5x the --version launch.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
