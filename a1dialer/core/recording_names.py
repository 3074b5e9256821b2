"""The file name offered when a rep saves a call recording: date, number and contact, safe."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

# Characters no file system of Windows, macOS or Linux takes in a name, and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
# Names Windows reserves for devices, whatever the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(10)),
    *(f"LPT{n}" for n in range(10)),
}
MAX_STEM = 120


def safe_file_stem(text: str) -> str:
    """``text`` as a file name stem any OS accepts: unsafe characters become spaces."""
    text = unicodedata.normalize("NFC", text)
    stem = " ".join(_UNSAFE.sub(" ", text).split()).strip(" .")
    stem = stem[:MAX_STEM].rstrip(" .")
    if not stem or stem.split(".")[0].upper() in _RESERVED:
        stem = f"recording {stem}".strip()
    return stem


def recording_file_stem(started_at: datetime, number: str, name: str = "") -> str:
    """ "2026-12-04 1030 +1 208-555-0142 Dana Whitfield": sorts by date in a folder listing."""
    local = started_at.astimezone() if started_at.tzinfo else started_at
    parts = [local.strftime("%Y-%m-%d %H%M"), number, name]
    return safe_file_stem(" ".join(part for part in parts if part))
