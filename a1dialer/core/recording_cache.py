"""Downloaded recordings kept in the profile by call id, so a second play needs no network."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from a1dialer.core import paths
from a1dialer.core.audio import SNIFF_BYTES, sniff_audio
from a1dialer.core.call_ids import checked_call_id
from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac")
# A download interrupted by a crash leaves "<id>.download.part"; after a day nobody resumes it.
_STALE_PART_SECONDS = 24 * 3600
_MB = 1024 * 1024


class RecordingCache:
    """The recordings folder, limited to ``limit_mb``; the least recently played go first."""

    def __init__(self, folder: Path | None = None, *, limit_mb: int = 500) -> None:
        self.folder = folder if folder is not None else paths.recordings_dir()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a read-only profile: nothing cached, a download will say so
            log.warning("The recordings folder %s cannot be made: %s", self.folder, exc)
        self.limit_mb = limit_mb

    def path_for(self, uuid: str) -> Path:
        """Where a download of ``uuid`` goes; the client swaps the suffix for the audio type."""
        return self.folder / f"{checked_call_id(uuid)}.download"

    def _candidates(self, uuid: str) -> list[Path]:
        return [self.folder / f"{uuid}{suffix}" for suffix in AUDIO_SUFFIXES]

    def get(self, uuid: str) -> Path | None:
        """The cached recording of ``uuid``, or ``None``; a damaged file is removed."""
        uuid = checked_call_id(uuid)
        for path in self._candidates(uuid):
            try:
                with path.open("rb") as handle:
                    head = handle.read(SNIFF_BYTES)
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.warning("Cached recording %s cannot be read: %s", path, exc)
                continue
            if sniff_audio(head) is None:
                # Not audio (a crash mid-write, a file put there by hand): download it again.
                log.warning(
                    "Cached recording %s is not audio; removed so it is downloaded again", path
                )
                path.unlink(missing_ok=True)
                continue
            self._touch(path)
            return path
        return None

    def add(self, uuid: str, source: Path) -> Path:
        """Keep ``source`` as the recording of ``uuid`` (moved if already in the folder)."""
        uuid = checked_call_id(uuid)
        with source.open("rb") as handle:
            fmt = sniff_audio(handle.read(SNIFF_BYTES))
        if fmt is None:
            raise BadInput(_("{file} is not a recording A1 Dialer can play.").format(file=source))
        target = self.folder / f"{uuid}.{fmt}"
        for other in self._candidates(uuid):
            if other != target:
                other.unlink(missing_ok=True)
        if source.resolve() != target.resolve():
            if source.parent.resolve() == self.folder.resolve():
                os.replace(source, target)
            else:
                tmp = target.with_name(target.name + ".part")
                shutil.copyfile(source, tmp)
                os.replace(tmp, target)
        self._touch(target)
        self.evict(keep=target)
        return target

    def size_bytes(self) -> int:
        return sum(size for _path, size, _mtime in self._entries())

    def _entries(self) -> list[tuple[Path, int, float]]:
        found = []
        with os.scandir(self.folder) as it:
            for entry in it:
                if not entry.is_file():
                    continue
                stat = entry.stat()
                path = Path(entry.path)
                if path.suffix in AUDIO_SUFFIXES:
                    found.append((path, stat.st_size, stat.st_mtime))
                elif path.suffix == ".part" and time.time() - stat.st_mtime > _STALE_PART_SECONDS:
                    path.unlink(missing_ok=True)
        return found

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Remove the least recently played recordings beyond the limit; never ``keep``."""
        entries = sorted(self._entries(), key=lambda entry: entry[2])
        total = sum(size for _path, size, _mtime in entries)
        limit = self.limit_mb * _MB
        removed = []
        for path, size, _mtime in entries:
            if total <= limit:
                break
            if keep is not None and path == keep:
                continue
            try:
                path.unlink()
            except OSError as exc:  # open in a player on Windows: try again next time
                log.info("Could not remove cached recording %s: %s", path, exc)
                continue
            total -= size
            removed.append(path)
        return removed

    @staticmethod
    def _touch(path: Path) -> None:
        # The modification time marks the last use: atime is often not updated (noatime mounts).
        try:
            os.utime(path)
        except OSError as exc:
            log.info("Could not mark %s as used: %s", path, exc)
