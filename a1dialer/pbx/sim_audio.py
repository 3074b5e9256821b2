"""Recordings the simulator serves: WAV and MP3 made in pure Python, streamed in chunks; OGG.

Nothing is ever built whole: a recording is a header followed by a repeating unit (six seconds of
PCM, or 49 silent MP3 frames), and any byte range of it is produced from one cached ~1 MiB block,
so a 500 MB download costs the same memory as a 5 s one.

An OGG (Vorbis) recording cannot repeat a unit (each Ogg page carries its position and a
checksum), so it is the same conversation encoded whole by libsndfile, through the optional
``soundfile`` package (a test dependency); it is meant for recordings of a few minutes.
"""

from __future__ import annotations

import functools
import io
import math
import struct
from collections.abc import Iterator

WAV_RATE = 8000
_WAV_HEADER_SIZE = 44
_WAV_MAX_DATA = 0xFFFF_FFFF - 36
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no CRC, joint stereo: frames of 1152 samples. A frame
# whose side information and main data are all zero decodes as silence. A frame holds
# 144 * 128000 / 44100 = 417.96 bytes, so like a real encoder we set the padding bit (418 bytes)
# on 47 of every 49 frames: 49 frames are exactly 20480 bytes, the bit rate is exactly 128 kbit/s,
# and players that estimate the duration from the file size get it right.
_MP3_HEADER = bytes((0xFF, 0xFB, 0x90, 0x44))
_MP3_PADDED_HEADER = bytes((0xFF, 0xFB, 0x92, 0x44))
MP3_FRAME_SIZE = 417  # without padding
MP3_FRAME_SECONDS = 1152 / 44100
_MP3_UNIT_FRAMES = 49
_MP3_UNIT_BYTES = 20480
# Decoders look for a few frames in a row before they trust the stream (FFmpeg rejects one).
_MP3_MIN_FRAMES = 4
_MP3_TITLE = "A1PBX simulator recording"
CHUNK_SIZE = 1 << 20


def wav_header(data_size: int) -> bytes:
    """A RIFF/WAVE header for 8 kHz 16-bit mono PCM of ``data_size`` bytes."""
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_size)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, WAV_RATE, WAV_RATE * 2, 2, 16)
        + b"data"
        + struct.pack("<I", data_size)
    )


def _syncsafe(value: int) -> bytes:
    """ID3v2's 28-bit integer with the top bit of each byte clear."""
    return bytes((value >> shift) & 0x7F for shift in (21, 14, 7, 0))


def _id3_tag(padding: int) -> bytes:
    """An ID3v2.4 tag with a title frame, plus ``padding`` zero bytes (allowed by the spec)."""
    text = b"\x03" + _MP3_TITLE.encode()  # 3 = UTF-8
    frame = b"TIT2" + _syncsafe(len(text)) + b"\x00\x00" + text
    return b"ID3\x04\x00\x00" + _syncsafe(len(frame) + padding) + frame + bytes(padding)


_ID3_MIN_SIZE = len(_id3_tag(0))


def _voice(t: float, pitch: float, length: float) -> float:
    """One speaker: a pitched buzz shaped into syllables, faded in and out so nothing clicks."""
    syllables = 0.5 - 0.5 * math.cos(2 * math.pi * 3.5 * t)
    edge = min(1.0, t / 0.05, (length - t) / 0.05)
    f0 = pitch * (1 + 0.03 * math.sin(2 * math.pi * 0.7 * t))
    phase = 2 * math.pi * f0 * t
    buzz = math.sin(phase) + 0.5 * math.sin(2 * phase) + 0.25 * math.sin(3 * phase)
    return 0.14 * syllables * edge * buzz


@functools.cache
def _conversation() -> bytes:
    """Six seconds of two "speakers" taking turns with pauses, the unit a WAV recording repeats.

    It starts and ends in silence, so the repetition is seamless.
    """
    # (start, end, speaker's pitch in Hz or None for a pause): a low voice, then a higher one.
    turns = ((0.0, 2.2, 125.0), (2.2, 2.6, None), (2.6, 5.4, 210.0), (5.4, 6.0, None))
    samples: list[int] = []
    for start, end, pitch in turns:
        count = round((end - start) * WAV_RATE)
        if pitch is None:
            samples.extend([0] * count)
        else:
            length = end - start
            samples.extend(int(32767 * _voice(n / WAV_RATE, pitch, length)) for n in range(count))
    return struct.pack(f"<{len(samples)}h", *samples)


def _mp3_bytes(frames: int) -> int:
    """Bytes taken by the first ``frames`` frames (each 417 or 418 bytes)."""
    return frames * _MP3_UNIT_BYTES // _MP3_UNIT_FRAMES


def _mp3_frames_within(size: int) -> int:
    """The most whole frames that fit in ``size`` bytes."""
    return ((size + 1) * _MP3_UNIT_FRAMES + _MP3_UNIT_BYTES - 1) // _MP3_UNIT_BYTES - 1


def _mp3_frames() -> bytes:
    """49 silent frames, padded where the running total calls for it (20480 bytes)."""
    frames = []
    for n in range(_MP3_UNIT_FRAMES):
        length = _mp3_bytes(n + 1) - _mp3_bytes(n)
        header = _MP3_PADDED_HEADER if length > MP3_FRAME_SIZE else _MP3_HEADER
        frames.append(header + bytes(length - len(header)))
    return b"".join(frames)


@functools.cache
def _block(fmt: str) -> tuple[memoryview, int]:
    """The repeating unit's length and a ~1 MiB block of whole units (built once per format)."""
    unit = _mp3_frames() if fmt == "mp3" else _conversation()
    return memoryview(unit * max(1, CHUNK_SIZE // len(unit))), len(unit)


def _check_format(fmt: str) -> None:
    if fmt not in ("wav", "mp3", "ogg"):
        raise ValueError(f"unknown recording format {fmt!r}; use wav, mp3 or ogg")


# Encoded OGG recordings by their byte size, with their length in seconds.
_OGG_MADE: dict[int, tuple[bytes, float]] = {}


def ogg_vorbis(seconds: float) -> bytes:
    """``seconds`` of the simulator's conversation as Ogg Vorbis, 8 kHz mono."""
    try:
        import soundfile  # optional: only OGG recordings need it
    except ImportError as exc:
        raise ValueError(
            f"OGG recordings need the soundfile package (pip install soundfile): {exc}"
        ) from exc
    unit = _conversation()
    pcm_size = max(2, int(seconds * WAV_RATE) * 2)
    pcm = (unit * (pcm_size // len(unit) + 1))[:pcm_size]
    encoded = io.BytesIO()
    with soundfile.SoundFile(
        encoded, "w", samplerate=WAV_RATE, channels=1, format="OGG", subtype="VORBIS"
    ) as sink:
        sink.buffer_write(pcm, dtype="int16")
    return encoded.getvalue()


def _ogg_size(seconds: float) -> int:
    data = ogg_vorbis(seconds)
    _OGG_MADE[len(data)] = (data, seconds)
    return len(data)


def _ogg_made(total: int) -> tuple[bytes, float]:
    try:
        return _OGG_MADE[total]
    except KeyError:
        raise ValueError(f"no OGG recording of {total} bytes was made") from None


def recording_size(fmt: str, *, seconds: float | None = None, size: int | None = None) -> int:
    """Total byte size of a recording lasting ``seconds``, or of about ``size`` bytes.

    An MP3 of ``size`` bytes is exactly that long (the ID3 tag's padding takes up the slack); a
    WAV has whole 16-bit samples, so an odd ``size`` comes out one byte shorter. An MP3 has at
    least four frames (0.1 s), a WAV at least one sample.
    """
    _check_format(fmt)
    if fmt == "ogg":
        if size is not None:
            raise ValueError("an OGG recording is made from its length in seconds, not a size")
        return _ogg_size(seconds or 0)
    if fmt == "mp3":
        if size is not None:
            return max(size, _ID3_MIN_SIZE + _mp3_bytes(_MP3_MIN_FRAMES))
        frames = max(_MP3_MIN_FRAMES, round((seconds or 0) / MP3_FRAME_SECONDS))
        return _ID3_MIN_SIZE + _mp3_bytes(frames)
    data = int((seconds or 0) * WAV_RATE) * 2 if size is None else (size - _WAV_HEADER_SIZE) & ~1
    data = max(2, data)
    if data > _WAV_MAX_DATA:
        raise ValueError("a WAV file cannot hold more than 4 GiB")
    return _WAV_HEADER_SIZE + data


def recording_duration(fmt: str, total: int) -> float:
    """How long a recording of ``total`` bytes (from ``recording_size``) plays, in seconds."""
    _check_format(fmt)
    if fmt == "ogg":
        return _ogg_made(total)[1]
    if fmt == "mp3":
        return _mp3_frames_within(total - _ID3_MIN_SIZE) * MP3_FRAME_SECONDS
    return (total - _WAV_HEADER_SIZE) / 2 / WAV_RATE


def _head(fmt: str, total: int) -> bytes:
    if fmt == "mp3":
        audio = total - _ID3_MIN_SIZE
        return _id3_tag(audio - _mp3_bytes(_mp3_frames_within(audio)))
    return wav_header(total - _WAV_HEADER_SIZE)


def recording_bytes(
    fmt: str, total: int, start: int = 0, end: int | None = None
) -> Iterator[memoryview | bytes]:
    """Yield bytes ``start`` to ``end`` (exclusive) of a recording of ``total`` bytes.

    Pieces are at most about 1 MiB and are views into a shared block (no copy per piece), so the
    caller writes them straight to a socket or file.
    """
    _check_format(fmt)
    end = total if end is None else min(end, total)
    if fmt == "ogg":
        data = memoryview(_ogg_made(total)[0])
        for position in range(start, end, CHUNK_SIZE):
            yield data[position : min(end, position + CHUNK_SIZE)]
        return
    head = _head(fmt, total)
    block, unit = _block(fmt)
    position = start
    piece: bytes | memoryview
    if position < len(head):
        piece = head[position : min(end, len(head))]
        yield piece
        position += len(piece)
    while position < end:
        offset = (position - len(head)) % unit
        piece = block[offset : offset + min(end - position, len(block) - offset)]
        yield piece
        position += len(piece)
