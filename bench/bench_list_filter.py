"""Call list search and views over 50,000 rows: the time each change holds the GUI thread.

Each step sets the search text (or the view) on the dock's filter proxy under a shown table and
processes the events that follow, so the table's own update is counted. Target: every step under
50 ms; the rows' search texts are built beforehand in small event-loop turns (reported too).
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_list_filter.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from PySide6.QtWidgets import QApplication

from a1dialer.core.call_lists import EntryNumber, ListEntry
from a1dialer.ui.call_list_model import CallListModel
from a1dialer.ui.list_filter import ALL, DNC, DONE, DUE, TODO, CallListFilter
from a1dialer.ui.tables import row_table

SEARCHES = ("a", "ac", "acm", "acme", "acme 12", "", "208 555", "2085551234", "zzz", "")
VIEWS = (TODO, DUE, DONE, DNC, ALL)


def entries(rows: int) -> list[ListEntry]:
    made = []
    for i in range(rows):
        dial = f"1208{5000000 + i}"
        display = f"+1 208-{5000000 + i}"
        mobile = EntryNumber("Mobile", f"(312) 7{i:06d}", f"1312{7000000 + i}", "")
        made.append(
            ListEntry(
                i, 1, i, f"Customer {i}", f"(208) {5000000 + i}", dial, display,
                ("Acme", "Initech", "Globex")[i % 3], f"note {i} wants a call after lunch",
                ("todo", "todo", "done", "skipped")[i % 4], "",
                numbers=(EntryNumber("Phone", "", dial, display), mobile), dnc=i % 50 == 0,
            )
        )  # fmt: skip
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    model = CallListModel()
    proxy = CallListFilter(model)
    made = entries(args.rows)
    started = time.perf_counter()
    model.set_entries(made)
    print(f"list shown in {(time.perf_counter() - started) * 1000:.1f} ms")
    # The search texts are built in small turns after a list is read, as in the window.
    longest, started = 0.0, time.perf_counter()
    while proxy.warming:
        turn = time.process_time()
        app.processEvents()
        longest = max(longest, time.process_time() - turn)
    print(f"search texts built in {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"longest turn {longest * 1000:.1f} ms cpu")  # fmt: skip
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    table = row_table(host, proxy, "bench", "bench")
    table.resize(700, 500)
    host.show()
    app.processEvents()
    # Wall time, and this process's CPU time: on a shared machine the first includes waiting
    # for a core, the second is what the step costs.
    steps: list[tuple[str, float, float]] = []
    changes = [(f"search {text!r}", lambda t=text: proxy.set_search(t)) for text in SEARCHES]
    changes += [(f"view {view}", lambda v=view: proxy.set_view(v)) for view in VIEWS]
    for name, change in changes:
        wall, cpu = time.perf_counter(), time.process_time()
        change()
        app.processEvents()
        steps.append((name, time.perf_counter() - wall, time.process_time() - cpu))
    for name, wall_s, cpu_s in steps:
        print(f"{name:24} wall {wall_s * 1000:7.1f} ms   cpu {cpu_s * 1000:7.1f} ms")
    walls = [step[1] for step in steps]
    cpus = [step[2] for step in steps]
    print(f"rows {args.rows:,}: wall median {statistics.median(walls) * 1000:.1f} ms, worst "
          f"{max(walls) * 1000:.1f} ms; cpu median {statistics.median(cpus) * 1000:.1f} ms, "
          f"worst {max(cpus) * 1000:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
