"""The packaged app's weight and start: bundle size (unpacked, per archive format) and first paint.

Sizes of the onedir folder (with what takes the space, by part) and of the same contents packed as
.tar.xz (the Linux/macOS release archive), .tar.gz and .zip (the Windows format), against the
targets (130 MB unpacked, 60 MB compressed; MB = 10^6 bytes). Then the packaged executable's start
to the window's first paint against the same from source (``python -m a1dialer``), alternating in
one run, both through the app's ``A1DIALER_EXIT_AFTER_PAINT`` hook with a ready profile,
offscreen. Target: packaged <= 1.2x source. Prints figures; asserts nothing. Builds into /tmp
first unless ``--dist`` has a build.
Run: ``/work/venv/bin/python bench/bench_bundle.py [--dist /tmp/a1-dist] [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))
import build  # type: ignore[import-not-found]  # noqa: E402  (packaging/build.py)

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


# What takes the space, by part (first match wins; paths relative to the app folder).
PARTS = (
    ("ICU (libicu*)", r"libicu"),
    ("FFmpeg (libav*, libsw*)", r"/lib(?:av|sw)[a-z]+\.so"),
    ("Qt libraries", r"PySide6/Qt/lib/"),
    ("Qt plugins", r"PySide6/Qt/plugins/"),
    ("PySide6/shiboken bindings", r"(?:PySide6|shiboken6)/"),
    ("cryptography (keyring's Secret Service)", r"cryptography"),
    ("Python (libpython, stdlib, app code)", r"libpython|python3\.\d+/|base_library|^a1dialer$"),
    ("system libraries", r"_internal/lib[^/]*\.so"),
)


def breakdown(app: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in app.rglob("*"):
        if not (path.is_file() or path.is_symlink()):
            continue
        relative = path.relative_to(app).as_posix()
        part = next((name for name, rule in PARTS if re.search(rule, relative)), "other")
        sizes[part] = sizes.get(part, 0) + path.lstat().st_size
    return sizes


def ensure_build(dist: Path) -> None:
    if (dist / "a1dialer" / "a1dialer").exists() and list(dist.glob("a1dialer-*.tar.xz")):
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

    app = dist / "a1dialer"
    size = tree_size(app)
    mib = size / 2**20
    print(f"unpacked:   {mb(size):6.1f} MB ({mib:.1f} MiB)  (target {UNPACKED_TARGET_MB:.0f} MB)")
    for part, part_size in sorted(breakdown(app).items(), key=lambda item: -item[1]):
        print(f"  {mb(part_size):6.1f} MB  {part}")
    release = sorted(dist.glob("a1dialer-*.tar.xz"))[-1]
    work = dist.parent / "a1-build"
    with tempfile.TemporaryDirectory(prefix="a1-archives-") as folder:
        for suffix in build.ARCHIVE_FORMATS:
            if release.name.endswith(suffix):
                archive = release
            else:
                archive = build.write_archive(app, work, Path(folder, f"a1dialer{suffix}"))
            note = "  <- release archive" if archive == release else ""
            print(
                f"compressed {suffix:8s} {mb(archive.stat().st_size):6.1f} MB  "
                f"(target {COMPRESSED_TARGET_MB:.0f} MB){note}"
            )

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
