"""Call-log search over 100,000 calls: median and p95 per kind of query, versus a bare table count.

Target (issue 3): median search under 20 ms on 100,000 calls (a page of 200, newest first, as the
history view asks for it). Baselines in the same run: ``SELECT count(*)``, and one pass over every
row.
Run: ``.venv/bin/python bench/bench_calllog.py [--rows N] [--seed N]``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from a1dialer.core.calllog import INSERT_CALL, CallLog, CallRecord, CallStatus, call_row

FIRST = ["John", "Mary", "Ana", "José", "Zoë", "Mohammed", "Li", "Olga", "Peter", "Sarah",
         "Émile", "Fatima", "David", "Yuki", "Carlos", "Ingrid", "Tom", "Priya", "Jürgen",
         "Chloé"]  # fmt: skip
LAST = ["Smith", "García", "Müller", "Nguyen", "O'Brien", "Kowalski", "Rossi", "Dubois", "Ivanova",
        "Johnson", "Brown", "Tanaka", "Silva", "Andersson", "Novak", "Kim", "Patel", "Lefèvre",
        "Schmidt", "Williams", "Jones", "Fischer", "Moreau", "Costa"]  # fmt: skip
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Tyrell"]
FAILURES = [
    ("The line was busy; try again later.", "HTTP 200: -ERR USER_BUSY"),
    ("Nobody answered.", "HTTP 200: -ERR NO_ANSWER"),
    ("Your phone (extension 1007) is not registered; check that it is on.",
     "HTTP 200: -ERR SUBSCRIBER_ABSENT"),
    ("The PBX could not be reached; check your network.",
     "ConnectionError: HTTPSConnectionPool(host='pbx.example.com', port=443): Max retries"),
]  # fmt: skip


def make_number(rng: random.Random) -> tuple[str, str]:
    """A realistic (dialled, displayed) pair: mostly North American, some UK and German."""
    kind = rng.random()
    if kind < 0.75:
        area = rng.choice([208, 212, 415, 303, 617, 512, 305, 702, 206, 801, 646, 312])
        exchange, line = rng.randint(200, 999), rng.randint(0, 9999)
        return f"1{area}{exchange}{line:04d}", f"+1 {area}-{exchange}-{line:04d}"
    if kind < 0.9:
        area, rest = rng.choice([20, 161, 131, 117]), rng.randint(1000000, 9999999)
        return f"44{area}{rest}", f"+44 {area} {str(rest)[:4]} {str(rest)[4:]}"
    area, rest = rng.choice([30, 89, 40, 221]), rng.randint(1000000, 99999999)
    return f"49{area}{rest}", f"+49 {area} {rest}"


def make_calls(count: int, rng: random.Random) -> Iterator[CallRecord]:
    """``count`` calls over two years by a rep who calls many customers more than once."""
    contacts = []
    for _ in range(max(count // 4, 1)):
        number, display = make_number(rng)
        roll = rng.random()
        if roll < 0.25:
            name = ""
        elif roll < 0.35:
            name = f"{rng.choice(COMPANIES)} {rng.choice(['Sales', 'Support', 'Front desk'])}"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        contacts.append((number, display, name))
    start = datetime.now(UTC) - timedelta(days=730)
    step = timedelta(days=730) / count
    for index in range(count):
        number, display, name = rng.choice(contacts)
        roll = rng.random()
        status: CallStatus = "placed"
        error = details = ""
        if roll < 0.12:
            status, (error, details) = "failed", rng.choice(FAILURES)
        elif roll < 0.125:
            status, error = "unknown", "The app closed before the PBX answered."
        started = start + index * step + timedelta(seconds=rng.randint(0, 30))
        yield CallRecord(
            id=0, uuid=str(uuid.uuid4()), number=number, display_number=display, name=name,
            ringback=rng.choice(["us-ring", "uk-ring", "de-ring"]),
            auto_answer=rng.random() < 0.5, record=rng.random() < 0.3, status=status,
            error=error, details=details, started_at=started,
            finished_at=started + timedelta(seconds=rng.uniform(0.5, 20)),
        )  # fmt: skip


def store_calls(call_log: CallLog, records: Iterable[CallRecord]) -> None:
    """Store many finished calls in one transaction (their ids ignored), as the app stores one."""
    with call_log.transaction() as db:
        db.executemany(INSERT_CALL, (call_row(record) for record in records))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def query(text: str, **filters: Any) -> tuple[str, dict[str, Any]]:
    return text, filters


def pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory() as profile:
        path = Path(profile) / "calls.sqlite3"
        calls = list(make_calls(args.rows, rng))
        with CallLog(path) as call_log:
            build_s = timed(lambda: store_calls(call_log, calls)) / 1000
        sample = rng.sample(calls, 6)
        named = [call for call in calls if call.name][:: max(args.rows // 50, 1)][:6]
        queries = {
            "empty query": [query("")] * 4,
            "common digits": [query(q) for q in ["208", "555", "44", "1212", "4420", "312"]],
            "rare digits": [query(call.display_number) for call in sample]
            + [query(call.number[-7:]) for call in sample[:3]],
            "name": [query(q) for q in ["smith", "garcia", "Müller", "zoe", "o'brien", "acme"]]
            + [query(call.name) for call in named[:3]],
            "name + digits": [query(f"{c.name.split()[0]} {c.number[-4:]}") for c in named],
            "no match": [query(q) for q in ["99999999999", "zzqx", "smith 0000000", "Xavier"]],
            "filters": [
                query("", status="failed"),
                query("", recorded_only=True),
                query("", status="failed", recorded_only=True),
                query("208", status="failed"),
                query("smith", recorded_only=True),
                query(sample[0].number[-7:], status="failed"),
            ],
        }
        results: dict[str, list[float]] = {}
        hits: dict[str, list[int]] = {}
        with CallLog(path) as call_log:  # reopened: the first search pays for a cold cache
            for kind, cases in queries.items():
                for text, filters in cases:
                    start = time.perf_counter()
                    found = call_log.search(text, **filters)
                    results.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
                    hits.setdefault(kind, []).append(len(found))
            counts = []
            for cases in queries.values():
                for text, filters in cases:
                    start = time.perf_counter()
                    call_log.count(text, **filters)
                    counts.append((time.perf_counter() - start) * 1000)
            recent = [timed(lambda: call_log.recent_numbers(10)) for _ in range(5)]
            pages = []
            for offset in (0, 2000, 20000):
                start = time.perf_counter()
                call_log.search("", offset=offset)
                pages.append((time.perf_counter() - start) * 1000)

        db = sqlite3.connect(path)
        count_all = [timed(lambda: db.execute("SELECT count(*) FROM calls").fetchone())
                     for _ in range(20)]  # fmt: skip
        full_pass = [timed(lambda: db.execute("SELECT max(length(details)) FROM calls").fetchone())
                     for _ in range(5)]  # fmt: skip
        size_mb = path.stat().st_size / 1e6
        db.close()

    everything = [ms for values in results.values() for ms in values]
    print(f"calls: {args.rows:,}; bulk insert {build_s:.1f} s; file {size_mb:.1f} MB; "
          f"sqlite {sqlite3.sqlite_version}")  # fmt: skip
    print(f"{'search (page of 200)':<22}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}  hits")
    for kind, values in results.items():
        print(f"{kind:<22}{len(values):>4}{statistics.median(values):>11.2f}"
              f"{pct(values, 0.95):>9.2f}{max(values):>9.2f}  "
              f"{min(hits[kind])}..{max(hits[kind])}")  # fmt: skip
    median = statistics.median(everything)
    print(f"{'all searches':<22}{len(everything):>4}{median:>11.2f}"
          f"{pct(everything, 0.95):>9.2f}{max(everything):>9.2f}")  # fmt: skip
    print(f"{'count() same queries':<22}{len(counts):>4}{statistics.median(counts):>11.2f}"
          f"{pct(counts, 0.95):>9.2f}{max(counts):>9.2f}")  # fmt: skip
    print(f"{'recent_numbers(10)':<22}{len(recent):>4}{statistics.median(recent):>11.2f}")
    print("pages at offset 0 / 2,000 / 20,000: " + " / ".join(f"{ms:.2f}" for ms in pages) + " ms")
    base = statistics.median(count_all)
    scan = statistics.median(full_pass)
    print(f"baseline SELECT count(*): median {base:.3f} ms -> search median is "
          f"{median / base:.0f}x")  # fmt: skip
    print(f"baseline one pass over every row: median {scan:.2f} ms -> search median is "
          f"{median / scan:.2f}x")  # fmt: skip
    print(f"target: median search under 20 ms -> {median:.2f} ms "
          f"({'met' if median < 20 else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
