"""Recognise audio files by their first bytes, whatever the server says their type is."""

from __future__ import annotations

SNIFF_BYTES = 12


def sniff_audio(head: bytes) -> str | None:
    """Return ``"wav"``, ``"mp3"``, ``"ogg"`` or ``"flac"`` for audio, else ``None``."""
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3":
        return "mp3"
    # MPEG audio frame sync: 11 set bits, then a valid version/layer (layer bits must not be 00).
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0:
        return "mp3"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"fLaC":
        return "flac"
    return None
