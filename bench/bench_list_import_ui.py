"""The import dialog on a 50,000-row CSV: total time, and how long the event loop ever stalls.

Targets (issue 14): Import pressed to list stored under 3 s; the GUI thread never stalls over
50 ms. A 10 ms heartbeat ``QTimer`` runs throughout; its longest gap over its interval is the
longest moment the window could not repaint or react to a key. The same heartbeat on an idle loop
in the same run is the baseline. The dialog runs offscreen exactly as a rep uses it: load the file
(preview, guessed columns, the do-not-call list read), press Import, wait until the list is
stored. The same import done directly with the core functions (no dialog, no thread) in the same
run is the baseline for the total time. The file has a Phone and a Mobile column (10% of rows only
a Mobile) and the call log a do-not-call list of 10,000 numbers, 500 of them in the file.
Run: ``.venv/bin/python bench/bench_list_import_ui.py [--rows N]`` (offscreen by itself).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_csv_import import do_not_call_keys, make_number  # type: ignore[import-not-found]

from a1dialer.core.call_lists import CallListStore
from a1dialer.core.calllog import CallLog
from a1dialer.core.csv_columns import guess_columns
from a1dialer.core.csv_import import convert, read_table
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.settings import Settings
from a1dialer.ui.list_import_dialog import ListImportDialog
from a1dialer.ui.tasks import TaskRunner

FIRST = ["Dana", "José", "Mia", "Liam", "Zoë", "Noah", "Ava", "Émile", "Sofia", "Ken"]
LAST = ["Whitfield", "García", "Müller", "O'Brien", "Smith", "Nguyen", "Rossi", "Kowalski"]
COMPANIES = ["Acme, Inc.", "Globex", "Initech", "Umbrella; Ltd", "Hooli", "Stark Industries"]


def make_csv(path: Path, rows: int, rng: random.Random) -> int:
    """A realistic export: semicolons, a BOM, quoted fields, real area codes in the formats
    people type (and some UK numbers and extensions), 1 % unusable numbers."""
    bad = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Name", "Phone", "Mobile", "Company", "Notes"])
        for index in range(rows):
            mobile = ""
            if rng.random() < 0.01:
                number = rng.choice(["12", "n/a", "", "+1 208 55"])
                bad += 1
            else:
                number = make_number(rng)  # the formats of the core import benchmark
                if rng.random() < 0.10:
                    number, mobile = "", number
            writer.writerow(
                [
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    number,
                    mobile,
                    rng.choice(COMPANIES),
                    f'Lead {index}; said "call after 3pm"' if index % 7 == 0 else "",
                ]
            )
    return bad


HEARTBEAT_MS = 10


class Heartbeat:
    """A 10 ms timer recording the gaps between its ticks."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        self._last = 0

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self._last = self.clock.nsecsElapsed()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        self.gaps.append((now - self._last) / 1e6)
        self._last = now


def spin_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the import never finished")
        app.processEvents()
        time.sleep(0.0005)


def summary(gaps: list[float]) -> str:
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"longest gap {ordered[-1]:.1f} ms (stall {ordered[-1] - HEARTBEAT_MS:.1f} ms), "
        f"p99 {p99:.1f} ms, median {statistics.median(gaps):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "leads.csv"
        bad = make_csv(csv_path, args.rows, random.Random(args.seed))
        blocked = do_not_call_keys(csv_path, random.Random(args.seed), column=1, delimiter=";")
        with CallLog(Path(folder) / "direct.sqlite3") as call_log:
            started = time.perf_counter()
            table = read_table(csv_path)
            direct = convert(table, guess_columns(table.headers), "US", "e164", blocked=blocked)
            CallListStore(call_log).create_list("Leads", direct.entries)
            baseline = time.perf_counter() - started
        with CallLog(Path(folder) / "calls.sqlite3") as call_log:
            DoNotCallList(call_log).import_numbers([f"+{key}" for key in blocked], "US", "e164")
            store = CallListStore(call_log)
            tasks = TaskRunner()
            heartbeat = Heartbeat()

            heartbeat.start()
            spin_until(app, lambda: len(heartbeat.gaps) >= 200)
            idle = heartbeat.stop()

            dialog = ListImportDialog(store, tasks, Settings())
            dialog.show()
            # The dialog's first paint (fonts, styles) is not part of reading the file.
            settle = time.monotonic() + 0.3
            spin_until(app, lambda: time.monotonic() > settle)
            heartbeat.start()
            started = time.perf_counter()
            dialog.load(csv_path)
            spin_until(app, lambda: dialog.import_button.isEnabled())
            loaded = time.perf_counter() - started
            opening = heartbeat.stop()
            finished: list[int] = []
            heartbeat.start()
            dialog.imported.connect(finished.append)
            started, cpu_started = time.perf_counter(), time.process_time()
            dialog.import_button.click()
            spin_until(app, lambda: bool(finished) or not dialog.running)
            total = time.perf_counter() - started
            # Both threads of this process: what the import takes on an idle machine.
            cpu = time.process_time() - cpu_started
            busy = heartbeat.stop()
            if not finished:
                raise SystemExit(f"import failed: {dialog.message.text()}")
            result = dialog.done_result
            assert result is not None
            progress_seen = dialog.progress_bar.value()
            dialog.close()

    print(f"Call list import through the dialog, {args.rows:,} rows ({bad:,} unusable)")
    print(f"  open the file (preview, guessed columns): {loaded * 1000:.0f} ms")
    print(
        f"  Import pressed -> list stored: {total:.2f} s  (target < 3 s); "
        f"{result.imported:,} imported, {len(result.rejected):,} listed as unusable, "
        f"{result.dnc_count:,} flagged do-not-call"
    )
    print(
        f"  the same in cpu time of this process (both threads): {cpu:.2f} s "
        f"({'meets' if cpu < 3 else 'MISSES'} the 3 s target on an idle machine)"
    )
    print(
        f"  baseline, the same import by the core functions directly: {baseline:.2f} s "
        f"(dialog / direct: {total / baseline:.2f}x)"
    )
    print(f"  event-loop gaps, idle baseline:    {summary(idle)}")
    print(f"  event-loop gaps, opening the file: {summary(opening)}")
    print(f"  event-loop gaps, importing:        {summary(busy)}")
    stall = max(busy) - HEARTBEAT_MS
    print(
        f"  longest GUI-thread stall while importing: {stall:.1f} ms (target < 50 ms: "
        f"{'meets' if stall < 50 else 'MISSES'}); {max(busy) / max(idle):.1f}x the idle "
        f"longest gap (progress bar ended at {progress_seen}%)"
    )
    print(f"  load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
