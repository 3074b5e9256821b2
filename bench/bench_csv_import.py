"""Importing a 50,000-row CSV as a call list: read + convert + store, versus plain csv.reader.

Target (issues 7 and 14): under 3 s for 50,000 rows (the dialog runs it on a worker with a
progress bar). The file is what reps export: a header, mixed number formats, names with accents
and quoted commas, a Phone and a Mobile column (10% of rows only have a Mobile, 20% both), about 2%
bad numbers and 1% repeats; a do-not-call list of 10,000 numbers, 500 of them in the file, is
checked. Baseline in the same run: ``csv.reader`` over the same file, decoding only. Figures are
medians over ``--repeat`` runs.
Run: ``.venv/bin/python bench/bench_csv_import.py [--rows N] [--repeat N] [--seed N]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from a1dialer.core.call_lists import CallListStore
from a1dialer.core.calllog import CallLog
from a1dialer.core.csv_columns import guess_columns
from a1dialer.core.csv_import import convert, dnc_key, read_table
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import parse_dial_input

FIRST = ["John", "Mary", "Ana", "José", "Zoë", "Mohammed", "Li", "Olga", "Peter", "Chloé"]
LAST = ["Smith", "García", "Müller", "Nguyen", "O'Brien", "Kowalski", "Dubois", "Lefèvre"]
COMPANIES = ["Acme, Inc.", "Globex", "Initech", "Umbrella Corp", "Hooli", 'Stark "Industries"']
BAD = ["call me", "12", "208-555", "n/a", "208 555 1234 or 208 555 9999", ""]


def make_number(rng: random.Random) -> str:
    area, exchange, line = rng.choice([208, 212, 415, 303, 617]), rng.randint(200, 999), 0
    line = rng.randint(0, 9999)
    return rng.choice(
        [
            f"({area}) {exchange}-{line:04d}",
            f"{area}.{exchange}.{line:04d}",
            f"+1 {area} {exchange} {line:04d}",
            f"1{area}{exchange}{line:04d}",
            f"+44 20 {rng.randint(7000, 8999)} {line:04d}",
            f"{area}-{exchange}-{line:04d} x{rng.randint(1, 99)}",
        ]
    )


def make_csv(path: Path, rows: int, rng: random.Random) -> int:
    """Write ``rows`` data rows; return how many hold no usable number."""
    bad = 0
    numbers: list[str] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Company", "Phone", "Mobile", "Notes"])
        for n in range(rows):
            roll = rng.random()
            mobile = ""
            if roll < 0.02:
                number = rng.choice(BAD)
                bad += 1
            elif roll < 0.03 and numbers:
                number = rng.choice(numbers)  # a repeat, reported as such
                bad += 1
            else:
                number = make_number(rng)
                numbers.append(number)
                shape = rng.random()
                if shape < 0.10:
                    number, mobile = "", number  # only a mobile
                elif shape < 0.30:
                    mobile = make_number(rng)
            note = rng.choice(
                ["", "", "Met at the fair, wants a demo", "Call after 3pm, ask for Bo"]
            )
            writer.writerow([rng.choice(FIRST), rng.choice(LAST), rng.choice(COMPANIES), number,
                             mobile, f"{note} #{n}" if note else ""])  # fmt: skip
    return bad


def do_not_call_keys(
    path: Path, rng: random.Random, *, column: int = 3, delimiter: str = ",", in_file: int = 500
) -> frozenset[str]:
    """A do-not-call list of 10,000 keys: ``in_file`` numbers of the file's phone ``column``,
    the rest numbers that are not in it."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        phones = [row[column] for row in csv.reader(handle, delimiter=delimiter)][1:]
    keys: set[str] = set()
    for number in rng.sample(phones, min(len(phones), in_file * 3)):
        try:
            keys.add(dnc_key(parse_dial_input(number, "US", "e164")))
        except BadInput:
            continue
        if len(keys) == in_file:
            break
    while len(keys) < 10_000:
        keys.add(f"1999{rng.randint(0, 9_999_999):07d}")
    return frozenset(keys)


def timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, this process's CPU seconds, and the result. On a shared machine the CPU
    figure is what the same work takes on an idle core."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def import_once(
    path: Path, db: Path, blocked: frozenset[str]
) -> tuple[dict[str, tuple[float, float]], int, int, int]:
    """Read, convert and store the file once: per phase (wall, cpu); rows kept, rejected and
    flagged do-not-call."""
    phases: dict[str, tuple[float, float]] = {}

    def baseline() -> int:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sum(1 for _ in csv.reader(handle))

    wall, cpu, _rows = timed(baseline)
    phases["baseline"] = (wall, cpu)
    wall, cpu, table = timed(lambda: read_table(path))
    phases["read"] = (wall, cpu)
    mapping = guess_columns(table.headers)
    wall, cpu, result = timed(
        lambda: convert(table, mapping, "US", "e164", lambda *_: None, blocked=blocked)
    )
    phases["convert"] = (wall, cpu)
    with CallLog(db) as call_log:
        store = CallListStore(call_log)
        wall, cpu, list_id = timed(lambda: store.create_list("Leads", result.entries))
        phases["store"] = (wall, cpu)
        assert store.summary(list_id).total == len(result.entries)
    return phases, len(result.entries), len(result.rejected), result.dnc_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leads.csv"
        bad = make_csv(path, args.rows, random.Random(args.seed))
        blocked = do_not_call_keys(path, random.Random(args.seed))
        size_mb = path.stat().st_size / 1024 / 1024
        runs = [
            import_once(path, Path(folder) / f"calls-{n}.sqlite3", blocked)
            for n in range(args.repeat)
        ]
    kept, rejected, flagged = runs[0][1], runs[0][2], runs[0][3]
    names = ("baseline", "read", "convert", "store")
    wall = {name: statistics.median(run[0][name][0] for run in runs) for name in names}
    cpu = {name: statistics.median(run[0][name][1] for run in runs) for name in names}
    total_wall = wall["read"] + wall["convert"] + wall["store"]
    total_cpu = cpu["read"] + cpu["convert"] + cpu["store"]
    print(f"CSV call-list import: {args.rows:,} rows, {size_mb:.1f} MB, UTF-8 with BOM")
    print(f"  rows kept {kept:,}, rejected {rejected:,} (made {bad:,} unusable or repeated); "
          f"{flagged:,} flagged do-not-call (list of {len(blocked):,})")  # fmt: skip
    print(f"  median of {args.repeat} runs     wall s    cpu s")
    for name in names:
        label = "baseline csv.reader" if name == "baseline" else name
        print(f"  {label:<22}  {wall[name]:7.3f}  {cpu[name]:7.3f}")
    print(f"  {'total import':<22}  {total_wall:7.3f}  {total_cpu:7.3f}")
    print(f"  rows/s: {args.rows / total_wall:,.0f} wall, {args.rows / total_cpu:,.0f} cpu; "
          f"{total_cpu / cpu['baseline']:.0f}x the csv.reader baseline's cpu")  # fmt: skip
    scale = 50_000 / args.rows
    verdict = "meets" if total_cpu * scale < 3.0 else "MISSES"
    print(f"  target < 3 s for 50,000 rows: {verdict} on an idle core ({total_cpu * scale:.2f} s "
          f"cpu; {total_wall * scale:.2f} s wall on this machine now)")  # fmt: skip
    print(f"  load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
