"""Playing a cached one-hour recording: from play() to the first position past zero.

Target: median under 300 ms. The recording is an 8 kHz mono 16-bit WAV (about 57 MB) made by the
simulator's audio generator and put in the recording cache. Each run uses a fresh player, as when
the rep opens a call; load-to-ready is printed too.
Run: ``QT_QPA_PLATFORM=offscreen /work/venv/bin/python bench/bench_playback.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from a1dialer.core.recording_cache import RecordingCache
from a1dialer.pbx.sim_audio import recording_bytes, recording_size
from a1dialer.ui.recording_player import RecordingPlayer, multimedia_available


def wait(until: list[bool], timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)
    deadline = time.perf_counter() + timeout_ms / 1000

    def check() -> None:
        if until[0] or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    if not until[0]:
        raise TimeoutError("the player did not get there in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seconds", type=int, default=3600)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    if not multimedia_available():
        print("Qt Multimedia is not available here; nothing to measure.")
        return
    with tempfile.TemporaryDirectory() as folder:
        cache = RecordingCache(Path(folder) / "recordings", limit_mb=1000)
        source = Path(folder) / "incoming.wav"
        total = recording_size("wav", seconds=args.seconds)
        with source.open("wb") as out:
            for chunk in recording_bytes("wav", total):
                out.write(chunk)
        path = cache.add("bench-hour-call", source)
        size_mb = path.stat().st_size / 1e6

        to_ready, to_sound = [], []
        for _ in range(args.runs):
            player = RecordingPlayer()
            ready, moving = [False], [False]
            player.ready.connect(lambda flag=ready: flag.__setitem__(0, True))
            player.positionChanged.connect(
                lambda position, flag=moving: flag.__setitem__(0, flag[0] or position > 0)
            )
            started = time.perf_counter()
            cached = cache.get("bench-hour-call")
            assert cached is not None
            player.load(cached)
            wait(ready)
            to_ready.append(time.perf_counter() - started)
            started = time.perf_counter()
            player.play()
            wait(moving)
            to_sound.append(time.perf_counter() - started)
            player.unload()
            player.deleteLater()
            app.processEvents()

    def ms(values: list[float]) -> str:
        return (
            f"median {statistics.median(values) * 1000:.0f} ms, "
            f"min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}"
        )

    print(
        f"Cached {args.seconds / 60:.0f}-minute WAV recording ({size_mb:.1f} MB), {args.runs} runs"
    )
    print(f"  open from cache to ready:         {ms(to_ready)}")
    print(f"  play() to first position > 0:     {ms(to_sound)}  (target: median < 300 ms)")


if __name__ == "__main__":
    main()
