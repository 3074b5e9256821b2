"""Peak memory of importing a 1,000,000-row CSV: ``dnc import``, ``lists import`` and the window's.

Target (issue 12): each import's peak resident memory under 120 MB. Each import runs in a fresh
subprocess (the command line as a rep runs it; the window's import dialog offscreen, pressed as a
rep presses it) and its peak RSS is read from ``wait4``. Baselines in the same run: the same
interpreter importing the same modules and doing nothing (for the commands), and building the
same dialog without loading a file (for the window). The file is the core import benchmark's:
a header, mixed number formats, names with accents and quoted commas, about 2% bad numbers and
1% repeats.
Run: ``.venv/bin/python bench/bench_import_memory.py [--rows N] [--seed N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_csv_import import make_csv  # type: ignore[import-not-found]

TARGET_MB = 120
_CLI_MODULES = (
    "import a1dialer.cli, a1dialer.core.settings, a1dialer.core.calllog, "
    "a1dialer.core.call_lists, a1dialer.core.do_not_call, a1dialer.core.csv_import, "
    "a1dialer.pbx.placing"
)


def _window_child(csv_path: str, load: bool) -> None:
    """In the subprocess: the import dialog offscreen; with ``load``, import ``csv_path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from a1dialer.core.call_lists import CallListStore
    from a1dialer.core.calllog import CallLog
    from a1dialer.core.settings import Settings
    from a1dialer.ui.list_import_dialog import ListImportDialog
    from a1dialer.ui.tasks import TaskRunner

    app = QApplication(sys.argv[:1])
    loop = QEventLoop()

    def wait_until(condition: Callable[[], object]) -> None:
        def check() -> None:
            if condition():
                loop.quit()

        timer = QTimer()
        timer.timeout.connect(check)
        timer.start(20)
        loop.exec()
        timer.stop()

    with CallLog() as call_log:
        dialog = ListImportDialog(CallListStore(call_log), TaskRunner(), Settings())
        dialog.show()
        app.processEvents()
        if load:
            dialog.load(Path(csv_path))
            wait_until(lambda: dialog.import_button.isEnabled() or dialog.message.text())
            dialog.import_button.click()
            wait_until(lambda: not dialog.running)
            if dialog.done_result is None:
                raise SystemExit(f"import failed: {dialog.message.text()}")
        dialog.close()


def run(command: list[str], home: Path) -> tuple[float, float, str]:
    """Peak RSS in MB and wall seconds of ``command`` in a fresh process; its last line."""
    env = {**os.environ, "A1DIALER_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {output}")
    return usage.ru_maxrss / 1024, wall, output.strip().splitlines()[-1] if output else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child-window", metavar="CSV", help=argparse.SUPPRESS)
    parser.add_argument("--child-window-idle", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-make-csv", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_window or args.child_window_idle:
        _window_child(args.child_window or "", load=not args.child_window_idle)
        return
    if args.child_make_csv:
        print(make_csv(Path(args.child_make_csv), args.rows, random.Random(args.seed)))
        return
    python = sys.executable
    me = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "leads.csv"
        # Made in a process of its own: Linux counts the parent's memory at fork into each
        # child's peak, so this process stays as small as the children's baseline.
        made = subprocess.run(
            [python, me, "--child-make-csv", str(csv_path), "--rows", str(args.rows),
             "--seed", str(args.seed)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        bad = int(made.stdout)
        size_mb = csv_path.stat().st_size / 1024 / 1024
        cases = [
            ("baseline: python + the CLI's modules", [python, "-c", _CLI_MODULES], False),
            ("a1dialer dnc import", [python, "-m", "a1dialer", "dnc", "import", str(csv_path)],
             True),
            ("a1dialer lists import",
             [python, "-m", "a1dialer", "lists", "import", str(csv_path)], True),
            ("baseline: the import dialog, no file", [python, me, "--child-window-idle"], False),
            ("the window's import dialog", [python, me, "--child-window", str(csv_path)], True),
        ]  # fmt: skip
        results = []
        for number, (label, command, judged) in enumerate(cases):
            peak, wall, said = run(command, Path(folder) / f"home-{number}")
            results.append((label, peak, wall, said, judged))
    print(f"Import peak memory: {args.rows:,} rows, {size_mb:.0f} MB CSV ({bad:,} unusable)")
    print(f"  {'':<40}  peak RSS MB   wall s")
    for label, peak, wall, said, judged in results:
        verdict = ("  meets" if peak < TARGET_MB else "  MISSES") if judged else ""
        print(f"  {label:<40}  {peak:10.0f}  {wall:7.1f}{verdict}")
        if said:
            print(f"      {said}")
    print(f"  target: each import under {TARGET_MB} MB peak")
    print(f"  load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
