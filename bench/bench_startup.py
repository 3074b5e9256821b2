"""Cold start of the dialer window versus a bare PySide6 window (QApplication + one QLabel).

Both run as fresh processes with ``QT_QPA_PLATFORM=offscreen`` and report their first paint; the
app through its ``A1DIALER_EXIT_AFTER_PAINT`` hook, with a ready profile (no wizard). Figures:
time to first paint (seen by this process, and by the child from its own start), idle RSS a
moment after the paint, and which heavy modules were imported before the paint.
Targets: start <= 1.5x, idle RSS <= 1.6x the bare window. Prints figures; asserts nothing.

After the paint: a probe (a zero-interval timer started at the first paint, in both processes)
measures the longest event-loop turn in the first second (target < 30 ms: nothing freezes the
window), and the time from process start until the event loop is idle (the end of the first turn
over a frame, 16 ms, that is followed by 250 ms with none; the paint itself if no turn is that
long). On a busy machine other processes lengthen turns too: compare with the bare window.
The probe creates the QApplication before the app does, so it measures any version of the app
the same way.
Run: ``/work/venv/bin/python bench/bench_startup.py [--runs N]``.
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
from pathlib import Path

# The same measure as the app's hook, inlined so the bare window imports nothing of ours.
BARE_WINDOW = r"""
import os, sys, time
def since_start():
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    return (up - ticks / os.sysconf("SC_CLK_TCK")) * 1000
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
label = QLabel("Hello")
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            label.removeEventFilter(self)
            print(f"cpu_ms={time.thread_time() * 1000:.1f}", flush=True)
            print(f"painted_ms={since_start():.1f}", flush=True)
            QTimer.singleShot(int(sys.argv[1]), app.quit)
        return False
watcher = FirstPaint()
label.installEventFilter(watcher)
label.show()
app.exec()
"""
SETTINGS = """server = "http://127.0.0.1:9"
extension = "1007"
caller_id_number = "12085550100"
caller_id_name = "Bench Co"
"""
# Runs the app (or the bare window) under a probe of its event loop after the first paint.
LOOP_PROBE = r"""
import os, sys, time
def since_start():
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        up = float(f.read().split()[0])
    return (up - ticks / os.sysconf("SC_CLK_TCK")) * 1000
from PySide6.QtCore import QEvent, QObject, QTimer, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
WATCH_MS, BUSY_MS, QUIET_MS = 2000.0, 16.0, 250.0
class Probe(QObject):
    def __init__(self):
        super().__init__()
        self.painted = None
        self.turns = []  # (when a turn ended, how long it took) in ms since the paint
    def eventFilter(self, watched, event):
        if self.painted is None and event.type() == QEvent.Type.Paint and isinstance(
            watched, (QMainWindow, QLabel)
        ) and watched.isWindow():
            self.painted = time.perf_counter()
            self.painted_since_start = since_start()
            self.last = self.painted
            self.timer = QTimer()
            self.timer.setTimerType(Qt.TimerType.PreciseTimer)
            self.timer.timeout.connect(self.tick)
            self.timer.start(0)
        return False
    def tick(self):
        now = time.perf_counter()
        self.turns.append(((now - self.painted) * 1000, (now - self.last) * 1000))
        self.last = now
        if (now - self.painted) * 1000 >= WATCH_MS:
            self.timer.stop()
            first_second = [took for when, took in self.turns if when - took < 1000]
            print(f"longest_turn_ms={max(first_second):.1f}", flush=True)
            # Idle: from the end of a busy turn on, QUIET_MS pass with no busy turn.
            ends = [when for when, took in self.turns if took > BUSY_MS]
            idle = 0.0
            for end, following in zip(ends, [*ends[1:], None]):
                idle = end
                if following is None or following - end > QUIET_MS:
                    break
            print(f"idle_ms={self.painted_since_start + idle:.1f}", flush=True)
            app.quit()
probe = Probe()
app.installEventFilter(probe)
if sys.argv[1] == "bare":
    label = QLabel("Hello")
    label.show()
    app.exec()
else:
    from a1dialer.cli import main
    main([])
"""
HEAVY = ("requests", "phonenumbers", "PySide6.QtMultimedia", "PySide6.QtNetwork", "sqlite3")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_once(
    cmd: list[str], env: dict[str, str], rss_after_s: float = 0.0
) -> tuple[float, float, int, float]:
    """(ms until the paint line arrived here, ms the child reports, RSS in kB or 0, CPU ms)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    reported = cpu = -1.0
    for line in child.stdout:
        if line.startswith("cpu_ms="):
            cpu = float(line.split("=", 1)[1])
        if line.startswith("painted_ms="):
            reported = float(line.split("=", 1)[1])
            break
    seen = (time.perf_counter() - started) * 1000
    rss = 0
    if rss_after_s:
        time.sleep(rss_after_s)
        rss = rss_kb(child.pid)
    child.stdout.read()
    child.wait(timeout=60)
    if reported < 0:
        raise RuntimeError(f"{cmd} never reported a paint")
    return seen, reported, rss, cpu


def probe_loop(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(the longest event-loop turn in the first second after the paint, ms from process start
    until the event loop is idle)."""
    done = subprocess.run(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=60
    )
    figures = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return float(figures["longest_turn_ms"]), float(figures["idle_ms"])


def imports_before_paint(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "a1dialer"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=True,
    )
    before = done.stdout.split("painted_ms=", 1)[0]
    found = []
    for line in before.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name in HEAVY:
                found.append(name)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as profile:
        Path(profile, "settings.toml").write_text(SETTINGS, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
        # An installed app runs from compiled bytecode; so do both here (the first, warming run
        # writes it to a throw-away folder), even where PYTHONDONTWRITEBYTECODE is set.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            A1DIALER_HOME=profile,
            A1DIALER_DEFAULTS=str(Path(profile, "no-defaults.toml")),
            PYTHONPYCACHEPREFIX=str(Path(profile, "pycache")),
        )
        app_env = dict(env, A1DIALER_EXIT_AFTER_PAINT="1")
        idle_env = dict(env, A1DIALER_EXIT_AFTER_PAINT="2500")
        app_cmd = [sys.executable, "-m", "a1dialer"]
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]

        start_once(app_cmd, app_env)  # warm the OS file cache for both
        start_once([*bare_cmd, "0"], env)
        app_seen, app_self, app_cpu, bare_seen, bare_self, bare_cpu = [], [], [], [], [], []
        for _ in range(runs):  # interleaved so machine noise hits both alike
            seen, reported, _, cpu = start_once([*bare_cmd, "0"], env)
            bare_seen.append(seen)
            bare_self.append(reported)
            bare_cpu.append(cpu)
            seen, reported, _, cpu = start_once(app_cmd, app_env)
            app_seen.append(seen)
            app_self.append(reported)
            app_cpu.append(cpu)
        app_rss = [start_once(app_cmd, idle_env, rss_after_s=2.0)[2] for _ in range(3)]
        bare_rss = [start_once([*bare_cmd, "2500"], env, rss_after_s=2.0)[2] for _ in range(3)]
        heavy = imports_before_paint(app_env)
        probe_env = dict(env, A1DIALER_EXIT_AFTER_PAINT="5000")  # the probe quits first
        app_loop, bare_loop = [], []
        for _ in range(runs):
            bare_loop.append(probe_loop([sys.executable, "-c", LOOP_PROBE, "bare"], env))
            app_loop.append(probe_loop([sys.executable, "-c", LOOP_PROBE, "app"], probe_env))

    def med(values: Sequence[float]) -> float:
        return statistics.median(values)

    print(f"runs: {runs} each, interleaved, QT_QPA_PLATFORM=offscreen")
    print(
        f"bare PySide6 window  first paint: median {med(bare_seen):7.1f} ms seen by the parent, "
        f"{med(bare_self):7.1f} ms from its own process start"
    )
    print(
        f"A1 Dialer window     first paint: median {med(app_seen):7.1f} ms seen by the parent, "
        f"{med(app_self):7.1f} ms from its own process start"
    )
    print(
        f"start ratio app / bare:           {med(app_seen) / med(bare_seen):7.2f}x (parent), "
        f"{med(app_self) / med(bare_self):.2f}x (self)   target <= 1.50x"
    )
    cpu_ratio = med(app_cpu) / med(bare_cpu)
    print(
        f"main-thread CPU until the paint:  bare {med(bare_cpu):.1f} ms, "
        f"app {med(app_cpu):.1f} ms, ratio {cpu_ratio:.2f}x   (steadier on a busy machine)"
    )
    print(
        f"idle RSS 2 s after the paint: bare {med(bare_rss) / 1024:6.1f} MB, "
        f"app {med(app_rss) / 1024:6.1f} MB, ratio {med(app_rss) / med(bare_rss):.2f}x   "
        "target <= 1.60x"
    )
    print(
        f"longest event-loop turn in the first second after the paint: "
        f"bare {med([t for t, _ in bare_loop]):.1f} ms, app {med([t for t, _ in app_loop]):.1f} ms "
        f"(worst run {max(t for t, _ in app_loop):.1f} ms)   target < 30 ms"
    )
    print(
        f"start to an idle event loop: bare {med([i for _, i in bare_loop]):7.1f} ms, "
        f"app {med([i for _, i in app_loop]):7.1f} ms, "
        f"ratio {med([i for _, i in app_loop]) / med([i for _, i in bare_loop]):.2f}x"
    )
    print(
        f"heavy modules imported before the first paint: {', '.join(heavy) or 'none'}   "
        "(target: no requests, no QtMultimedia)"
    )


if __name__ == "__main__":
    main()
