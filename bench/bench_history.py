"""History view over 100,000 calls: time to open it, each search keystroke's update, GUI stalls.

Target: median keystroke update under 30 ms (set the search text, the worker's result shown,
rows laid out). Opening = constructing the view and processing events until the first page is
painted. While typing at a fast typist's pace with the real debounce, a 1 ms heartbeat timer
measures the longest the GUI thread went without running its event loop; the baseline, from
the same run, is the same keystrokes' query run on the GUI thread (what each keystroke cost
the GUI before the search moved to a worker).
Run: ``QT_QPA_PLATFORM=offscreen /work/venv/bin/python bench/bench_history.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_calllog import make_calls, store_calls  # type: ignore[import-not-found]

from a1dialer.core.calllog import CallLog
from a1dialer.ui.history_model import PAGE_SIZE, HistorySearch
from a1dialer.ui.history_view import SEARCH_DELAY_MS, HistoryView

# What a rep types: a number digit by digit (formatted), then a name letter by letter.
KEYSTROKES = [
    *("2", "20", "208", "208 ", "208 5", "208 55", "208 555", "208 555-", "208 555-1"),
    *("208 555-12", "208 555-123", "208 555-1234", "", "s", "sm", "smi", "smit", "smith"),
    *("smith ", "smith 2", "smith 20", "", "j", "jo", "jos", "jose", "g", "ga", "gar", "garc"),
]


TYPING_INTERVAL_MS = 90  # a fast typist: about 11 keys a second
OPENS = 7


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def wait_for_rows(app: QCoreApplication, view: HistoryView) -> None:
    """Process events until the model shows the latest search (the worker's result landed)."""
    while view.model.searching:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def longest_stall_while_typing(app: QCoreApplication, view: HistoryView) -> tuple[float, float]:
    """Type KEYSTROKES with the debounce on; return (longest event-loop gap, typing time)."""
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    typed = iter(KEYSTROKES)
    done = QEventLoop()

    def type_next() -> None:
        text = next(typed, None)
        if text is None:
            keys.stop()
            done.quit()
        else:
            view.search_edit.setText(text)

    keys = QTimer()
    keys.setInterval(TYPING_INTERVAL_MS)
    keys.timeout.connect(type_next)
    started = time.perf_counter()
    heartbeat.start()
    keys.start()
    done.exec()
    QTimer.singleShot(view._search_timer.interval() + 5, done.quit)
    done.exec()  # the last debounce fires
    wait_for_rows(app, view)
    heartbeat.stop()
    typing = time.perf_counter() - started
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    return max(gaps, default=0.0), typing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as profile:
        path = Path(profile) / "calls.sqlite3"
        with CallLog(path) as call_log:
            store_calls(call_log, make_calls(args.rows, random.Random(7)))
        with CallLog(path) as call_log:
            opens = []
            for _ in range(OPENS):
                started = time.perf_counter()
                view = HistoryView(call_log, search_delay_ms=0)
                view.resize(1000, 700)
                view.show()
                view.table.viewport().repaint()
                app.processEvents()
                opens.append(time.perf_counter() - started)
                if len(opens) < OPENS:
                    view.close()
                    view.deleteLater()
                    app.processEvents()

            timings = []
            for text in KEYSTROKES:
                started = time.perf_counter()
                view.search_edit.setText(text)
                view.apply_search()  # what the debounce timer fires
                wait_for_rows(app, view)
                view.table.viewport().repaint()
                app.processEvents()
                timings.append(time.perf_counter() - started)
            on_gui = []  # the baseline: each keystroke's query on the GUI thread, as before
            for text in KEYSTROKES:
                started = time.perf_counter()
                view.model._read(HistorySearch(text), PAGE_SIZE)
                on_gui.append(time.perf_counter() - started)
            view.search_edit.setText("")
            view.apply_search()
            wait_for_rows(app, view)
            view._search_timer.setInterval(SEARCH_DELAY_MS)
            stall, typing = longest_stall_while_typing(app, view)
            scroll = []
            view.search_edit.setText("")
            view.apply_search()
            wait_for_rows(app, view)
            for _ in range(10):
                started = time.perf_counter()
                view.table.scrollToBottom()
                view.table.viewport().repaint()
                app.processEvents()
                scroll.append(time.perf_counter() - started)
            loaded = view.model.rowCount()
            view.close()

    print(f"History view, {args.rows:,} calls")
    print(
        f"  open (construct + first page painted), {OPENS} times: median "
        f"{ms(statistics.median(opens))} (target < 30 ms); the first in the process "
        f"{ms(opens[0])}, most of it Qt's one-time set-up of the table classes, which the app "
        "pays in the background after its first paint"
    )
    ordered = sorted(timings)
    print(
        f"  search keystroke update over {len(timings)} keystrokes: "
        f"median {ms(statistics.median(timings))}, p90 {ms(ordered[int(0.9 * len(ordered))])}, "
        f"max {ms(ordered[-1])}  (target: median < 30 ms)"
    )
    print(
        f"  longest GUI stall while typing {len(KEYSTROKES)} keystrokes {TYPING_INTERVAL_MS} ms "
        f"apart ({SEARCH_DELAY_MS} ms debounce, {typing:.1f} s): {ms(stall)}; baseline, the same "
        f"queries on the GUI thread: median {ms(statistics.median(on_gui))}, "
        f"max {ms(max(on_gui))} each (stall / baseline max = {stall / max(on_gui):.2f})"
    )
    print(
        f"  scroll to end + fetch next page: median {ms(statistics.median(scroll))} "
        f"({loaded:,} rows loaded after 10 scrolls)"
    )


if __name__ == "__main__":
    main()
