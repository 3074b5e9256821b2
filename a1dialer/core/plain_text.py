"""Names and notes made safe to send as caller ID or print: no control or direction characters."""

from __future__ import annotations

# The PBX (FreeSWITCH) and most phones show far less; longer names are cut at a word.
CALLER_ID_NAME_LIMIT = 64
# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and marks:
# they can make "moc.evil" read as "evil.com" in a terminal or on a phone's display.
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# C0, DEL and C1 controls: an ESC starts a terminal escape sequence, a newline a forged line.
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Controls that separate words become spaces; the others (ESC, NUL, bell...) are removed.
_SPACING = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0x2028, 0x2029}
_TABLE: dict[int, str | None] = {
    **{code: None for code in (*_CONTROLS, *_BIDI)},
    **{code: " " for code in _SPACING},
}


def plain_text(text: str) -> str:
    """``text`` on one line: line breaks and tabs made spaces, other controls and bidi removed."""
    return text.translate(_TABLE)


def caller_id_name(text: str, limit: int = CALLER_ID_NAME_LIMIT) -> str:
    """A name fit to show on a phone: plain text of at most ``limit`` characters, cut at a word."""
    name = plain_text(text)
    if len(name) <= limit:
        return name
    cut = name[: limit + 1].rsplit(" ", 1)[0].rstrip()
    # A word boundary that would lose most of the name (one very long word) is not worth it.
    return cut if limit // 2 <= len(cut) <= limit else name[:limit].rstrip()
