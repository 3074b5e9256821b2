"""What became of a call, in the rep's words: the standard outcomes and the team's own ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings

STANDARD_OUTCOMES = ("Connected", "Voicemail", "No answer", "Busy", "Wrong number", "Call back")
CALL_BACK = "Call back"
# Keys 1-9 pick an outcome in the panel; twelve custom ones on top of six is already a long menu.
MAX_CUSTOM_OUTCOMES = 12
MAX_OUTCOME_LENGTH = 40


def outcome_choices(settings: Settings) -> tuple[str, ...]:
    """The standard outcomes in their fixed order, then the custom ones from settings."""
    return STANDARD_OUTCOMES + tuple(settings.custom_outcomes)


def check_custom_outcomes(value: Any) -> str | None:
    """Why ``value`` is not a usable list of custom outcomes, or ``None`` if it is."""
    if not all(isinstance(item, str) for item in value):
        return "must be a list of texts"
    if len(value) > MAX_CUSTOM_OUTCOMES:
        return f"can hold at most {MAX_CUSTOM_OUTCOMES} outcomes, not {len(value)}"
    seen: set[str] = set()
    for item in value:
        text = item.strip()
        if not text:
            return "must not contain an empty outcome"
        if len(text) > MAX_OUTCOME_LENGTH:
            return (
                f"must be at most {MAX_OUTCOME_LENGTH} characters each ('{text[:20]}…' is longer)"
            )
        if "\n" in text or "\r" in text:
            return "must be one line each"
        key = text.casefold()
        if key in seen:
            return f"lists '{text}' twice"
        if key in {outcome.casefold() for outcome in STANDARD_OUTCOMES}:
            return f"repeats the standard outcome '{text}'"
        seen.add(key)
    return None
