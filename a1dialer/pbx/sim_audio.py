"""Recordings the simulator serves: WAV and MP3 made in pure Python, streamed in chunks."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator

WAV_RATE = 8000
_WAV_HEADER_SIZE = 44
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding, no CRC, joint stereo: 417-byte frames of
# 1152 samples. A frame whose side information and main data are all zero decodes as silence.
_MP3_HEADER = bytes((0xFF, 0xFB, 0x90, 0x44))
MP3_FRAME_SIZE = 417
MP3_FRAME_SECONDS = 1152 / 44100
_ID3_HEADER = b"ID3\x04\x00\x00\x00\x00\x00\x00"


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


def _tone_pattern() -> bytes:
    """One second of a soft two-tone murmur, so a played recording is audible but not harsh."""
    samples = []
    for n in range(WAV_RATE):
        t = n / WAV_RATE
        envelope = 0.5 + 0.5 * math.sin(2 * math.pi * 0.5 * t)
        value = envelope * (
            0.18 * math.sin(2 * math.pi * 220 * t) + 0.12 * math.sin(2 * math.pi * 330 * t)
        )
        samples.append(int(value * 32767))
    return struct.pack(f"<{len(samples)}h", *samples)


_PATTERN = _tone_pattern()
_MP3_FRAME = _MP3_HEADER + bytes(MP3_FRAME_SIZE - len(_MP3_HEADER))


def recording_size(fmt: str, *, seconds: float | None = None, size: int | None = None) -> int:
    """Total byte size of a recording of ``seconds`` (or close to ``size`` bytes)."""
    if fmt == "mp3":
        frames = (
            max(1, round((seconds or 0) / MP3_FRAME_SECONDS))
            if size is None
            else max(1, (size - len(_ID3_HEADER)) // MP3_FRAME_SIZE)
        )
        return len(_ID3_HEADER) + frames * MP3_FRAME_SIZE
    if size is None:
        data = int((seconds or 0) * WAV_RATE) * 2
    else:
        data = max(2, size - _WAV_HEADER_SIZE) & ~1
    return _WAV_HEADER_SIZE + data


def recording_bytes(
    fmt: str, total: int, start: int = 0, end: int | None = None, chunk: int = 1 << 20
) -> Iterator[bytes]:
    """Yield bytes ``start`` to ``end`` (exclusive) of a recording of ``total`` bytes, in chunks."""
    end = total if end is None else end
    if fmt == "mp3":
        head, unit = _ID3_HEADER, _MP3_FRAME
    else:
        head, unit = wav_header(total - _WAV_HEADER_SIZE), _PATTERN
    repeat = max(1, chunk // len(unit))
    block = unit * repeat
    position = start
    if position < len(head):
        piece = head[position : min(end, len(head))]
        yield piece
        position += len(piece)
    while position < end:
        offset = (position - len(head)) % len(unit)
        piece = block[offset : offset + min(end - position, len(block) - offset)]
        yield piece
        position += len(piece)
