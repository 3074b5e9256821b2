"""Call ids (ours are UUIDs; a PBX may use its own tokens) checked before one names a file."""

from __future__ import annotations

import re

from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _

# A UUID, or a PBX's own id such as Asterisk's "1700000000.1234": letters, digits and "-_.",
# starting with a letter or digit, so no id can be a path ("../x", "/tmp/x", "C:\\x") or hidden.
_CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{3,99}")
# Names Windows keeps for devices whatever the suffix ("COM1.wav" is the serial port).
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in "0123456789"}
    | {f"lpt{digit}" for digit in "0123456789"}
)
_SHOWN = 60


def looks_like_call_id(text: str) -> bool:
    """True for a plausible call id (a UUID or the PBX's own id) that is safe as a file name."""
    text = text.strip()
    return (
        _CALL_ID.fullmatch(text) is not None
        and not text.endswith(".")
        and text.split(".", 1)[0].lower() not in _WINDOWS_DEVICES
    )


def checked_call_id(text: str) -> str:
    """``text`` without surrounding spaces; ``BadInput`` (exit 2) if it is not a call id."""
    if not looks_like_call_id(text):
        shown = text.strip()
        shown = "".join(ch if ch.isprintable() else "?" for ch in shown[:_SHOWN])
        if len(text.strip()) > _SHOWN:
            shown += "..."
        raise BadInput(
            _(
                "'{shown}' is not a call id: use the id shown for the call (in the history, or "
                "printed by 'a1dialer dial')."
            ).format(shown=shown),
            repr(text[:200]),
        )
    return text.strip()
