"""The packaged app's weight and start: bundle size (unpacked, archive) and time to first paint.

Sizes of the onedir folder and the release archive against the targets (130 MB unpacked, 60 MB
compressed), then the packaged executable's start to the window's first paint against the same
from source (``python -m a1dialer``), alternating in one run, both through the app's
``A1DIALER_EXIT_AFTER_PAINT`` hook with a ready profile, offscreen. Target: packaged <= 1.2x
source. Prints figures; asserts nothing. Builds into /tmp first unless ``--dist`` has a build.
Run: ``/work/venv/bin/python bench/bench_bundle.py [--dist /tmp/a1-dist] [--runs N]``.
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

REPO = Path(__file__).resolve().parent.parent
UNPACKED_TARGET_MB = 130.0
COMPRESSED_TARGET_MB = 60.0
START_RATIO_TARGET = 1.2
SETTINGS = """server = "http://127.0.0.1:9"
extension = "1007"
caller_id_number = "12085550100"
caller_id_name = "Bench Co"
"""


def mb(size: int) -> float:
    return size / 1_000_000


def tree_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def ensure_build(dist: Path) -> None:
    if (dist / "a1dialer" / "a1dialer").exists() and list(dist.glob("a1dialer-*.tar.gz")):
        return
    print(f"building into {dist} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build.py"),
            "--distpath",
            str(dist),
            "--workpath",
            str(dist.parent / "a1-build"),
        ],
        check=True,
    )


def first_paint(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(ms until the paint line arrived here, ms from the child's own start)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert child.stdout is not None
    reported = -1.0
    for line in child.stdout:
        if line.startswith("painted_ms="):
            reported = float(line.split("=", 1)[1])
            break
    seen = (time.perf_counter() - started) * 1000
    child.stdout.close()
    child.wait(timeout=30)
    if reported < 0:
        raise RuntimeError(f"{cmd[0]} never reported a paint (exit {child.returncode})")
    return seen, reported


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("/tmp/a1-dist"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    dist: Path = args.dist
    ensure_build(dist)

    unpacked = mb(tree_size(dist / "a1dialer"))
    archive = sorted(dist.glob("a1dialer-*.tar.gz"))[-1]
    compressed = mb(archive.stat().st_size)
    print(f"unpacked:   {unpacked:6.1f} MB  (target {UNPACKED_TARGET_MB:.0f} MB)")
    print(f"compressed: {compressed:6.1f} MB  (target {COMPRESSED_TARGET_MB:.0f} MB)")
    print(f"archive:    {archive}")

    with tempfile.TemporaryDirectory(prefix="a1-bench-") as home:
        Path(home, "settings.toml").write_text(SETTINGS, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("A1DIALER_", "QT_"))}
        env.update(
            A1DIALER_HOME=home,
            A1DIALER_DEFAULTS=str(Path(home, "no-defaults.toml")),
            A1DIALER_EXIT_AFTER_PAINT="1",
            QT_QPA_PLATFORM="offscreen",
        )
        commands = {
            "packaged": [str(dist / "a1dialer" / "a1dialer")],
            "source": [sys.executable, "-m", "a1dialer"],
        }
        # One warm-up each (page cache), then alternate so drift hits both alike.
        for cmd in commands.values():
            first_paint(cmd, env)
        seen: dict[str, list[float]] = {name: [] for name in commands}
        reported: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                here, child = first_paint(cmd, env)
                seen[name].append(here)
                reported[name].append(child)
    for name in commands:
        print(
            f"{name:9s} first paint: median {statistics.median(seen[name]):6.0f} ms seen here, "
            f"{statistics.median(reported[name]):6.0f} ms from its own start "
            f"(min {min(seen[name]):.0f}, max {max(seen[name]):.0f}; {args.runs} runs)"
        )
    ratio = statistics.median(seen["packaged"]) / statistics.median(seen["source"])
    print(f"packaged / source: {ratio:.2f}x  (target <= {START_RATIO_TARGET}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
