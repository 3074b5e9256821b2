"""The one build command: ``python packaging/build.py`` -> the onedir app and an archive in dist/.

Runs PyInstaller on ``packaging/a1dialer.spec``, then packs the app folder (the ``.app`` bundle on
macOS) with the Linux ``.desktop`` file and a 256 px icon into
``dist/a1dialer-<version>-<os>-<arch>.tar.xz`` (``.zip`` on Windows), and prints the sizes.
xz packs the Linux bundle into ~30% less than gzip; tar keeps the symlinks the macOS bundle and
Qt's libraries use, and ``tar xf`` or the desktop's archive tool unpacks it everywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SPEC = HERE / "a1dialer.spec"
DESKTOP_FILE = HERE / "a1dialer.desktop"
NAME = "a1dialer"
MAC_APP = "A1 Dialer.app"
ARCHIVE_ICON_SIZE = 256
# Never shipped, wherever a hook or data folder might have put them.
SKIPPED_DIRS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
_ARCHES = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}


def os_name() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def arch_name() -> str:
    machine = platform.machine().lower() or "unknown"
    return _ARCHES.get(machine, machine)


def read_version() -> str:
    """``a1dialer.__version__`` without importing the package (or PySide6) into the build."""
    namespace: dict[str, object] = {}
    source = (REPO / "a1dialer" / "__init__.py").read_text(encoding="utf-8")
    exec(compile(source, "a1dialer/__init__.py", "exec"), namespace)  # noqa: S102 - our own file
    return str(namespace["__version__"])


def tree_size(path: Path) -> int:
    """Bytes in the files under ``path`` (symlinks counted once, as the link)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def app_folder(dist: Path) -> Path:
    """The built app: the ``.app`` bundle on macOS, the onedir folder elsewhere."""
    return dist / MAC_APP if sys.platform == "darwin" else dist / NAME


def executable(dist: Path) -> Path:
    """The built executable inside ``app_folder``."""
    if sys.platform == "darwin":
        return dist / MAC_APP / "Contents" / "MacOS" / NAME
    return dist / NAME / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def run_pyinstaller(dist: Path, work: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    subprocess.run(command, check=True, cwd=REPO)


def _archive_members(app: Path, work: Path) -> list[tuple[Path, str]]:
    """(file on disk, name in the archive) for everything the archive holds, sorted."""
    top = app.name
    members = [
        (path, f"{top}/{path.relative_to(app).as_posix()}")
        for path in sorted(app.rglob("*"))
        if (path.is_file() or path.is_symlink())
        and not SKIPPED_DIRS.intersection(path.relative_to(app).parts)
    ]
    icon = work / SPEC.stem / "generated" / "icons" / f"{NAME}-{ARCHIVE_ICON_SIZE}.png"
    members.append((DESKTOP_FILE, DESKTOP_FILE.name))
    members.append((icon, f"{NAME}.png"))
    return members


ARCHIVE_FORMATS = (".tar.xz", ".tar.gz", ".zip")


def archive_suffix() -> str:
    """The release archive's format on this OS: zip on Windows, tar.xz elsewhere."""
    return ".zip" if sys.platform == "win32" else ".tar.xz"


def write_archive(app: Path, work: Path, target: Path) -> Path:
    """Pack ``app``, the ``.desktop`` file and the icon into ``target`` (see ARCHIVE_FORMATS)."""
    members = _archive_members(app, work)
    target.unlink(missing_ok=True)
    if target.name.endswith(".zip"):
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path, name in members:
                if path.is_symlink():
                    # Stored as a link (the Info-ZIP way), not as a second copy of the library.
                    link = zipfile.ZipInfo(name)
                    link.create_system = 3  # Unix, so the mode below is read
                    link.external_attr = (stat.S_IFLNK | 0o777) << 16
                    archive.writestr(link, os.readlink(path))
                else:
                    archive.write(path, name)
        return target
    if target.name.endswith(".tar.xz"):
        mode, options = "w:xz", {"preset": 6}  # xz's default level; -9 saves 1-2 MB for 2x the time
    elif target.name.endswith(".tar.gz"):
        mode, options = "w:gz", {"compresslevel": 9}
    else:
        raise ValueError(f"unknown archive format {target.name}; use one of {ARCHIVE_FORMATS}")
    with tarfile.open(target, mode, **options) as archive:  # type: ignore[call-overload]
        for path, name in members:
            # Symlinks stay links (PyInstaller uses them on macOS and for Qt's .so versions).
            archive.add(path, name, recursive=False)
    return target


def human(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distpath", type=Path, default=REPO / "dist", help="output folder")
    parser.add_argument("--workpath", type=Path, default=REPO / "build", help="scratch folder")
    parser.add_argument(
        "--no-archive", action="store_true", help="build the app folder only, without the archive"
    )
    args = parser.parse_args(argv)
    dist: Path = args.distpath.resolve()
    work: Path = args.workpath.resolve()
    version = read_version()
    # A stale app folder would otherwise mix old files into the new archive.
    shutil.rmtree(app_folder(dist), ignore_errors=True)
    run_pyinstaller(dist, work)
    app = app_folder(dist)
    print(f"app:      {app}  ({human(tree_size(app))} unpacked)")
    print(f"run:      {executable(dist)}")
    if args.no_archive:
        return 0
    target = dist / f"{NAME}-{version}-{os_name()}-{arch_name()}{archive_suffix()}"
    write_archive(app, work, target)
    print(f"archive:  {target}  ({human(target.stat().st_size)})")
    return 0


if __name__ == "__main__":
    # The spec renders icons with Qt; a CI runner or SSH session has no screen for it.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
