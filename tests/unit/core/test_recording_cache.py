"""The recording cache: files named by call id, checked by their bytes, oldest evicted first."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from a1dialer.core import paths
from a1dialer.core.call_ids import looks_like_call_id
from a1dialer.core.errors import BadInput
from a1dialer.core.recording_cache import RecordingCache
from a1dialer.pbx.sim_audio import recording_bytes, recording_size
from tests.conftest import SmallDisk

MB = 1024 * 1024


def write_recording(path: Path, fmt: str = "wav", *, size: int = 1000) -> Path:
    path.write_bytes(b"".join(recording_bytes(fmt, recording_size(fmt, size=size))))
    return path


def test_the_cache_lives_in_the_profile_recordings_folder() -> None:
    assert RecordingCache().folder == paths.recordings_dir()


def test_a_recording_added_is_found_by_call_id_with_its_audio_suffix(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path / "cache")
    source = write_recording(tmp_path / "download.bin", "mp3")
    stored = cache.add("call-1", source)
    assert stored == cache.folder / "call-1.mp3"
    assert cache.get("call-1") == stored
    assert cache.get("call-2") is None


def test_a_download_into_the_folder_is_moved_not_copied(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path)
    downloaded = write_recording(cache.path_for("abc-123").with_suffix(".wav"))
    stored = cache.add("abc-123", downloaded)
    assert stored == downloaded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abc-123.wav"]


def test_a_damaged_file_is_removed_so_the_recording_is_downloaded_again(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path)
    (tmp_path / "call-1.wav").write_bytes(b"<html>502 Bad Gateway</html>")
    assert cache.get("call-1") is None
    assert not (tmp_path / "call-1.wav").exists()


def test_something_that_is_not_audio_is_refused(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path / "cache")
    page = tmp_path / "page.html"
    page.write_text("<html>login</html>")
    with pytest.raises(BadInput, match="not a recording"):
        cache.add("call-1", page)


def test_the_least_recently_played_go_first_beyond_the_limit(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path, limit_mb=1)
    for age, uuid in enumerate(["old-call", "middle-call", "new-call"]):
        path = write_recording(tmp_path / f"{uuid}.wav", size=400_000)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get("old-call") is not None  # playing it makes it the most recent
    cache.add("newest-call", write_recording(tmp_path / "incoming.bin", size=400_000))
    assert sorted(p.stem for p in tmp_path.glob("*.wav")) == ["newest-call", "old-call"]
    assert cache.size_bytes() <= 1 * MB


def test_the_recording_just_added_stays_even_if_larger_than_the_limit(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path, limit_mb=0)
    write_recording(tmp_path / "other.wav")
    stored = cache.add("big-call", write_recording(tmp_path / "incoming.bin", size=50_000))
    assert [p.name for p in tmp_path.iterdir()] == [stored.name]


def test_a_new_download_replaces_another_format_of_the_same_call(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path)
    write_recording(tmp_path / "call-1.wav")
    stored = cache.add("call-1", write_recording(tmp_path / "x.bin", "mp3"))
    assert cache.get("call-1") == stored == tmp_path / "call-1.mp3"
    assert not (tmp_path / "call-1.wav").exists()


@pytest.mark.parametrize(
    ("text", "plausible"),
    [
        ("0b5e2a4e-7f0c-4a77-9d0b-3f1f3b1f2a10", True),
        ("  1700000000.1234  ", True),
        ("ab", False),
        ("../../etc/passwd", False),
        ("has space", False),
        ("C:\\calls\\x", False),
        ("", False),
        ("x" * 101, False),
    ],
)
def test_call_ids_must_be_safe_file_names(text: str, plausible: bool) -> None:
    assert looks_like_call_id(text) is plausible


def test_a_path_like_call_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="not a call id"):
        RecordingCache(tmp_path).path_for("../evil")


def test_a_read_only_profile_still_plays_what_is_cached(
    small_disk: Callable[[int], SmallDisk], monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = small_disk(1024)
    monkeypatch.setenv(paths.HOME_ENV, str(disk.path / "profile"))
    cached = write_recording(paths.recordings_dir() / "call-1.wav")
    elsewhere = disk.path / "profile-without-recordings"
    elsewhere.mkdir()
    disk.make_read_only()
    assert RecordingCache().get("call-1") == cached  # its "last played" mark cannot be set
    # A profile whose recordings folder cannot be made opens an empty cache, not an error.
    monkeypatch.setenv(paths.HOME_ENV, str(elsewhere))
    assert RecordingCache().get("call-1") is None
