"""Calls placed through the window: memory growth over 1,000 calls, and event-loop stalls.

The dialer window runs offscreen; every call goes through ``MainWindow.dial`` and the real
``place_call``/HTTP path with auto-answer, against the bundled simulator on loopback.

* Memory: RSS of this process after 50 and after 1,000 calls (target growth < 5 MB). The
  simulator runs in a child process for this part: it keeps every request it received (about
  3 KB each, by design, so tests can read them), which is not the dialer's memory.
* Stalls: with the simulator in this process (sharing the GIL, the harder case), the longest gap
  between ticks of a 1 ms timer while the PBX holds one originate for 10 s (target < 16 ms).

Prints figures; asserts nothing.
Run: ``QT_QPA_PLATFORM=offscreen /work/venv/bin/python bench/bench_calls.py [--calls N]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
KEY = "bench-calls-key"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_simulator_process(hold: float) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "a1dialer", "simulator", "--port", "0", "--key", KEY,
         "--answer-delay", str(hold), "--call-duration", "0", "--recording-delay", "0"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    line = child.stdout.readline()  # "A1PBX simulator on http://127.0.0.1:PORT (key: ...)"
    return child, line.split(" on ", 1)[1].split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=10.0, help="seconds the PBX holds a call")
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="a1dialer-bench-")
    os.environ.update(
        A1DIALER_HOME=profile,
        A1DIALER_API_KEY=KEY,
        A1DIALER_DEFAULTS=str(Path(profile, "no-defaults.toml")),
    )

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from a1dialer.core.calllog import CallLog
    from a1dialer.core.settings import Settings
    from a1dialer.pbx.simulator import PbxSimulator
    from a1dialer.ui.main_window import MainWindow
    from a1dialer.ui.services import Services

    app = QApplication(sys.argv[:1])
    # Calls follow each other faster than any double click here; the window's double-click guard
    # would otherwise space them 400 ms apart.
    app.styleHints().setMouseDoubleClickInterval(0)
    child, server_url = start_simulator_process(args.hold)
    call_log = CallLog(Path(profile) / "calls.sqlite3")
    settings = Settings(
        server=server_url,
        extension="1007",
        caller_id_number="12085550100",
        caller_id_name="Bench Co",
    )
    window = MainWindow(Services.create(settings, call_log))
    window.show()
    window.auto_answer_check.setChecked(True)
    outcomes = {"placed": 0, "failed": 0}

    def count(outcome: str) -> None:
        outcomes[outcome] += 1

    window.placer.placed.connect(lambda *_: count("placed"))
    window.placer.failed.connect(lambda *_: count("failed"))
    loop = QEventLoop()
    window.placer.busy_changed.connect(lambda busy: None if busy else loop.quit())

    def call_once(number: str) -> None:
        window.number_edit.setText(number)
        if not window.dialer.dial():
            raise RuntimeError("the window refused to dial")
        loop.exec()

    started = time.perf_counter()
    rss_at: dict[int, float] = {}
    for index in range(1, args.calls + 1):
        # 555-2xxx: clear of the simulator's magic numbers (555-0101...), so every call is placed.
        call_once(f"+1 (208) 555-{2000 + index % 8000:04d}")
        if index in (50, args.calls // 2, args.calls):
            app.processEvents()
            gc.collect()
            rss_at[index] = rss_mb()
    elapsed = time.perf_counter() - started
    placed, failed = outcomes["placed"], outcomes["failed"]
    child.terminate()
    child.wait(timeout=10)

    # Stalls: no auto-answer, so the in-process simulator holds the originate ``hold`` seconds.
    simulator = PbxSimulator(KEY, answer_delay=args.hold, call_duration=0.0, recording_delay=0.0)
    simulator.start()
    window.apply_settings(settings.validated(server=simulator.server_url))
    window.auto_answer_check.setChecked(False)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(1)
    ticker.timeout.connect(tick)
    held_started = time.perf_counter()
    ticker.start()
    last[0] = time.perf_counter()
    call_once("+1 208 555 4321")
    ticker.stop()
    held = time.perf_counter() - held_started
    status_after = window.status_label.text().splitlines()[0]

    window.close()
    call_log.close()
    simulator.stop()
    gaps.sort()
    print(
        f"calls placed through the window: {placed} placed, {failed} failed, in {elapsed:.1f} s "
        f"({elapsed / args.calls * 1000:.1f} ms per call)"
    )
    first, middle, final = (rss_at.get(n, 0.0) for n in (50, args.calls // 2, args.calls))
    print(
        f"RSS after 50 calls: {first:.1f} MB; after {args.calls // 2}: {middle:.1f} MB; after "
        f"{args.calls}: {final:.1f} MB; growth 50->{args.calls}: {final - first:+.1f} MB   "
        "(target < 5 MB)"
    )
    print(
        f"originate held {held:.1f} s ({status_after}): {len(gaps)} ticks of a 1 ms timer; "
        f"longest gap {gaps[-1]:.1f} ms, 99.9th pct {gaps[int(len(gaps) * 0.999)]:.1f} ms, "
        f"median {statistics.median(gaps):.2f} ms   (target: longest < 16 ms)"
    )


if __name__ == "__main__":
    main()
