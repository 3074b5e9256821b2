"""Bounded replies: memory of dialling against a 300 MB reply, and time to give up on a drip.

1. Peak resident memory of the whole ``a1dialer dial`` process against the simulator's
   ``oversize`` fault (a 300 MB ``200`` reply) vs the same command against a normal ``+OK`` reply
   (the baseline, same run). Target (issue 11): under 100 MB; the ratio shows what the reply costs.
2. Time for ``PbxClient`` to give up on a reply dripped one byte every 0.25 s (headers first, or
   after the headers), for an originate and a recording download, at a few deadlines, vs the
   deadline itself (target: about 1.0x; a per-read timeout would never give up).

Loopback only. Prints figures; nothing is asserted.

    .venv/bin/python bench/bench_replies.py [--size-mb MB] [--deadlines S ...] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from a1dialer.core.errors import DialerError
from a1dialer.pbx.client import CallRequest, PbxClient
from a1dialer.pbx.simulator import PbxSimulator

KEY = "bench-replies-key-3e8a"
CALL_ID = "7c2d9e4f-5a6b-4c3d-8e2f-1a0b9c8d7e6f"
DRIP = 0.25


def dial_peak_rss(env: dict[str, str]) -> tuple[int, float, int]:
    """Run ``a1dialer dial`` once: its exit code, wall time and peak RSS in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "a1dialer", "dial", "+1 208 555 1234", "--auto-answer"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - start, usage.ru_maxrss * 1024


def memory(size_mb: float) -> None:
    with tempfile.TemporaryDirectory() as profile, PbxSimulator(KEY, answer_delay=0.0) as sim:
        env = dict(
            os.environ,
            A1DIALER_HOME=profile,
            A1DIALER_API_KEY=KEY,
            A1DIALER_DEFAULTS=str(Path(profile) / "none.toml"),
        )
        subprocess.run(
            [
                sys.executable, "-m", "a1dialer", "configure", "--server", sim.server_url,
                "--extension", "1007", "--caller-id-number", "12085550100",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        base_code, base_time, base_rss = dial_peak_rss(env)
        sim.set_fault("oversize", endpoint="originate", size_mb=size_mb)
        big_code, big_time, big_rss = dial_peak_rss(env)
        sim.wait_for_replies(2, timeout=10)
        sent = sim.sent_replies[-1].sent
    print("1. a1dialer dial, whole process (peak RSS from wait4), simulator on loopback")
    print(f"   normal '+OK' reply (baseline): exit {base_code}, {base_time * 1000:6.0f} ms, "
          f"peak RSS {base_rss / 1e6:6.1f} MB")  # fmt: skip
    print(f"   {size_mb:g} MB '200' reply:          exit {big_code}, {big_time * 1000:6.0f} ms, "
          f"peak RSS {big_rss / 1e6:6.1f} MB   (target < 100 MB)")  # fmt: skip
    print(f"   ratio oversized / baseline: {big_rss / base_rss:5.2f}x; the simulator sent "
          f"{sent / 1e6:.1f} of {size_mb:g} MB before the client hung up")  # fmt: skip


def give_up_time(sim: PbxSimulator, what: str, kind: str, deadline: float) -> tuple[float, str]:
    """Seconds until the client gave up on one dripped reply, and the sentence it said."""
    endpoint = "originate" if what == "originate" else "call_recording"
    sim.set_fault(kind, count=1, delay=DRIP, endpoint=endpoint)
    start = time.perf_counter()
    with PbxClient(
        sim.server_url, KEY, originate_timeout=deadline, recording_timeout=deadline
    ) as client:
        try:
            if what == "originate":
                client.originate(CallRequest("12085551234", "1007", "12085550100"))
            else:
                with tempfile.TemporaryDirectory() as folder:
                    client.download_recording(CALL_ID, Path(folder) / "call")
        except DialerError as error:
            return time.perf_counter() - start, error.sentence
    return time.perf_counter() - start, "(no error: the drip was read to its end)"


def drips(deadlines: list[float], runs: int) -> None:
    print(f"2. giving up on a reply dripped one byte every {DRIP:g} s (median of {runs})")
    with PbxSimulator(KEY, answer_delay=0.0) as sim:
        sim.add_recording(CALL_ID, size=1_000_000)
        for what in ("originate", "recording"):
            for kind in ("drip", "drip-body"):
                for deadline in deadlines:
                    times, sentence = [], ""
                    for _ in range(runs):
                        elapsed, sentence = give_up_time(sim, what, kind, deadline)
                        times.append(elapsed)
                    median = statistics.median(times)
                    ratio = median / deadline
                    print(f"   {what:9} {kind:9} deadline {deadline:4.1f} s: gave up after "
                          f"{median:6.2f} s = {ratio:4.2f}x   \"{sentence}\"")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=300.0)
    parser.add_argument("--deadlines", type=float, nargs="+", default=[2.0, 5.0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    memory(args.size_mb)
    drips(args.deadlines, args.runs)


if __name__ == "__main__":
    main()
