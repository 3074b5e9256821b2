"""Recording download throughput and memory: PbxClient.download_recording against curl.

The simulator serves one large recording from a separate process (so its CPU does not compete with
the client for the GIL). In the same run, curl fetches the same URL as the baseline, once to
/dev/null and once to a file beside the client's, then the client downloads it. Prints MB/s, the
client/curl ratio (target: at least 80 %) and the client's peak memory growth during the download
(target: under 30 MB). Prints figures only; nothing is asserted.

    /work/venv/bin/python bench/bench_download.py [--size BYTES] [--runs N] [--chunk BYTES]
        [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from a1dialer.pbx.client import PbxClient

KEY = "bench-download-key-5f2c"
CALL_ID = "0b5e7c1e-1111-4222-8333-944455556666"
MB = 1_000_000
# Serves until stdin closes; prints its URL and the recording's exact size when ready.
SERVER = """
import sys
from a1dialer.pbx.simulator import PbxSimulator
from a1dialer.pbx.sim_audio import recording_size
key, call_id, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
sim = PbxSimulator(key, answer_delay=0, call_duration=0, recording_delay=0).start()
sim.add_recording(call_id, size=size)
print(sim.server_url, recording_size("wav", size=size), flush=True)
sys.stdin.read()
sim.stop()
"""


class RssSampler:
    """Samples this process's resident memory from /proc every few milliseconds; keeps the peak."""

    def __init__(self, interval: float = 0.005) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._page = os.sysconf("SC_PAGE_SIZE")
        self.start_rss = self._rss()
        self.peak_rss = self.start_rss
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * self._page

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.peak_rss = max(self.peak_rss, self._rss())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_rss = max(self.peak_rss, self._rss())


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def curl(url: str, output: str) -> None:
    subprocess.run(["curl", "-s", "-f", "-o", output, url], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500 * MB, help="recording size in bytes")
    parser.add_argument("--runs", type=int, default=3, help="downloads of each kind (best counts)")
    parser.add_argument("--chunk", type=int, default=1 << 20, help="client chunk size in bytes")
    parser.add_argument(
        "--dir", default=None, help="folder for the downloaded files (default: temp)"
    )
    args = parser.parse_args()
    if shutil.which("curl") is None:
        print("curl is not installed: no baseline to compare with.")
        return 1
    work = Path(tempfile.mkdtemp(prefix="a1dialer-bench-download-", dir=args.dir))
    env = {**os.environ, "A1DIALER_HOME": str(work / "profile")}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, KEY, CALL_ID, str(args.size)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        server_url, size_text = server.stdout.readline().split()
        size = int(size_text)
        url = f"{server_url}/app/api/7/call_recording?{urlencode({'key': KEY, 'uuid': CALL_ID})}"
        print(f"Recording: {size / MB:.0f} MB over loopback from a simulator subprocess")
        print(f"Files written under {work}; client chunk size {args.chunk} bytes")
        print(f"Best of {args.runs} runs each\n")
        curl_null: list[float] = []
        curl_file: list[float] = []
        client_times: list[float] = []
        growth: list[int] = []
        maxrss_growth: list[int] = []
        target = work / "recording"
        for run in range(1, args.runs + 1):
            curl_null.append(timed(lambda: curl(url, os.devnull)))
            curl_file.append(timed(lambda: curl(url, str(work / "curl.wav"))))
            (work / "curl.wav").unlink()
            with PbxClient(server_url, KEY) as client:
                maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                with RssSampler() as sampler:
                    started = time.perf_counter()
                    saved = client.download_recording(CALL_ID, target, chunk_size=args.chunk)
                    elapsed = time.perf_counter() - started
                maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if saved.stat().st_size != size:
                print(f"run {run}: the client saved {saved.stat().st_size} bytes, not {size}")
                return 1
            saved.unlink()
            client_times.append(elapsed)
            growth.append(sampler.peak_rss - sampler.start_rss)
            maxrss_growth.append((maxrss_after - maxrss_before) * 1024)  # KiB on Linux
            print(
                f"run {run}: curl→/dev/null {size / MB / curl_null[-1]:7.0f} MB/s   "
                f"curl→file {size / MB / curl_file[-1]:7.0f} MB/s   "
                f"client→file {size / MB / elapsed:7.0f} MB/s   "
                f"client RSS growth {growth[-1] / MB:5.1f} MB"
            )
    finally:
        server.communicate("", timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    best_null = size / MB / min(curl_null)
    best_file = size / MB / min(curl_file)
    best_client = size / MB / min(client_times)
    print()
    print(f"curl -o /dev/null      {best_null:7.0f} MB/s")
    print(f"curl -o file           {best_file:7.0f} MB/s")
    print(f"PbxClient to file      {best_client:7.0f} MB/s")
    print(f"client / curl(null)    {best_client / best_null:7.0%}   (target >= 80 %)")
    print(f"client / curl(file)    {best_client / best_file:7.0%}")
    print(
        f"client peak RSS growth {max(growth) / MB:7.1f} MB   (sampled /proc/self/statm; "
        f"ru_maxrss growth {max(maxrss_growth) / MB:.1f} MB; target < 30 MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
