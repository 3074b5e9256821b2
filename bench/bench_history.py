"""History view over 100,000 calls: time to open it, and each search keystroke's update.

Target: median keystroke update under 30 ms (set the search text, model reset done, rows laid
out). Opening = constructing the view and processing events until the first page is painted.
Run: ``QT_QPA_PLATFORM=offscreen /work/venv/bin/python bench/bench_history.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_calllog import make_calls  # type: ignore[import-not-found]

from a1dialer.core.calllog import CallLog
from a1dialer.ui.history_view import HistoryView

# What a rep types: a number digit by digit (formatted), then a name letter by letter.
KEYSTROKES = [
    *("2", "20", "208", "208 ", "208 5", "208 55", "208 555", "208 555-", "208 555-1"),
    *("208 555-12", "208 555-123", "208 555-1234", "", "s", "sm", "smi", "smit", "smith"),
    *("smith ", "smith 2", "smith 20", "", "j", "jo", "jos", "jose", "g", "ga", "gar", "garc"),
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as profile:
        path = Path(profile) / "calls.sqlite3"
        with CallLog(path) as call_log:
            call_log._bulk_insert_for_bench(make_calls(args.rows, random.Random(7)))
        with CallLog(path) as call_log:
            started = time.perf_counter()
            view = HistoryView(call_log, search_delay_ms=0)
            view.resize(1000, 700)
            view.show()
            view.table.viewport().repaint()
            app.processEvents()
            opened = time.perf_counter() - started

            timings = []
            for text in KEYSTROKES:
                started = time.perf_counter()
                view.search_edit.setText(text)
                view.apply_search()  # what the debounce timer fires
                view.table.viewport().repaint()
                app.processEvents()
                timings.append(time.perf_counter() - started)
            scroll = []
            view.search_edit.setText("")
            view.apply_search()
            for _ in range(10):
                started = time.perf_counter()
                view.table.scrollToBottom()
                view.table.viewport().repaint()
                app.processEvents()
                scroll.append(time.perf_counter() - started)
            loaded = view.model.rowCount()
            view.close()

    print(f"History view, {args.rows:,} calls")
    print(f"  open (construct + first page painted): {ms(opened)}")
    ordered = sorted(timings)
    print(
        f"  search keystroke update over {len(timings)} keystrokes: "
        f"median {ms(statistics.median(timings))}, p90 {ms(ordered[int(0.9 * len(ordered))])}, "
        f"max {ms(ordered[-1])}  (target: median < 30 ms)"
    )
    print(
        f"  scroll to end + fetch next page: median {ms(statistics.median(scroll))} "
        f"({loaded:,} rows loaded after 10 scrolls)"
    )


if __name__ == "__main__":
    main()
