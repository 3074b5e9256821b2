"""Clicking a tel: link while the dialer runs: second launch until the number shows in the window.

This process plays the running dialer: the real window (``MainWindow``, offscreen) listening
through ``SingleInstance`` on a throw-away profile, wired as ``run_gui`` wires it. Each run starts
``a1dialer tel:+12085551234`` as a second process, both as ``python -m a1dialer`` and through the
console script, and measures until the number is in the window's number field; against the same
launch with ``--version`` run to exit. Median of ``--runs`` each.
Targets: link median < 300 ms and <= 1.5x the ``--version`` launch. Prints figures; asserts nothing.
Run: ``.venv/bin/python bench/bench_link_launch.py [--runs N]`` (from the checkout).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = "tel:+12085551234"
GIVE_UP_MS = 10_000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="a1dialer-bench-link-") as profile:
        os.environ["A1DIALER_HOME"] = profile
        os.environ["A1DIALER_DEFAULTS"] = str(Path(profile) / "no-defaults.toml")
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        # The second launches run this checkout's code, whatever the venv's install points at.
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return run(args.runs, env)


def run(runs: int, env: dict[str, str]) -> int:
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from a1dialer.app import _bring_forward
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.settings import Settings
    from a1dialer.desktop.single_instance import SingleInstance
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.services import Services

    app = QApplication([])
    # Offscreen, every "bring the window forward" warns that it cannot raise a window.
    qInstallMessageHandler(lambda *_: None)
    instance = SingleInstance()
    if not instance.listen():
        print("Another instance already listens on the benchmark profile.")
        return 1
    call_log = CallLog()
    window = MainWindow(Services.create(Settings(), call_log))
    window.show()
    instance.argumentsReceived.connect(lambda links: _bring_forward(window, links))

    def until_shown(command: Sequence[str]) -> float:
        """Milliseconds from starting ``command`` to the link in the number field (NaN: never)."""
        window.number_edit.clear()
        app.processEvents()
        loop = QEventLoop()
        shown: list[float] = []

        def changed(text: str) -> None:
            if text == LINK and not shown:
                shown.append(time.perf_counter())
                loop.quit()

        window.number_edit.textChanged.connect(changed)
        QTimer.singleShot(GIVE_UP_MS, loop.quit)
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        loop.exec()
        window.number_edit.textChanged.disconnect(changed)
        if process.poll() is None and not shown:
            process.kill()
        process.wait()
        return (shown[0] - start) * 1000 if shown else float("nan")

    def until_exit(command: Sequence[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - start) * 1000

    python = sys.executable
    script = shutil.which("a1dialer", path=str(Path(python).parent))
    launches = {"python -m a1dialer": [python, "-m", "a1dialer"]}
    if script:
        launches["a1dialer (script)"] = [script]
    results: list[tuple[str, list[float], list[float]]] = []
    for name, launch in launches.items():
        version, link = [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            version.append(until_exit([*launch, "--version"]))
            link.append(until_shown([*launch, LINK]))
        results.append((name, version, link))
    instance.close()
    window.close()
    call_log.close()

    print(f"Second launch with {LINK} until it shows in the running window, {runs} runs each:")
    for name, version, link in results:
        base = statistics.median(version)
        print(f"  {name}:")
        print(f"    --version to exit : median {base:6.1f} ms  min {min(version):6.1f}")
        if any(sample != sample for sample in link):  # NaN: never arrived
            print(f"    link to window    : not shown within {GIVE_UP_MS} ms")
            continue
        median = statistics.median(link)
        verdict = "ok" if median < 300 and median <= 1.5 * base else "MISSES TARGET"
        print(
            f"    link to window    : median {median:6.1f} ms  min {min(link):6.1f}  "
            f"max {max(link):6.1f}  = {median / base:.2f}x --version  {verdict}"
        )
    print("Targets: median < 300 ms and <= 1.5x the --version launch.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
