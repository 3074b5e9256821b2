"""What became of a call, in the rep's words: the standard outcomes and the team's own ones."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from a1dialer.core.translation import _, pgettext

if TYPE_CHECKING:
    from a1dialer.core.settings import Settings

# Stored in the call log in English (they are keys: retry rules and call-backs look them up);
# ``outcome_label`` shows them in the rep's language.
STANDARD_OUTCOMES = ("Connected", "Voicemail", "No answer", "Busy", "Wrong number", "Call back")
CALL_BACK = "Call back"
# Keys 1-9 pick an outcome in the panel; twelve custom ones on top of six is already a long menu.
MAX_CUSTOM_OUTCOMES = 12
MAX_OUTCOME_LENGTH = 40


def outcome_choices(settings: Settings) -> tuple[str, ...]:
    """The standard outcomes in their fixed order, then the custom ones from settings."""
    return STANDARD_OUTCOMES + tuple(settings.custom_outcomes)


def check_custom_outcomes(value: Any, label: str) -> str | None:
    """Why ``value`` is not a usable list of custom outcomes, one sentence naming the setting by
    ``label``, or ``None`` if it is."""
    if not all(isinstance(item, str) for item in value):
        return _("{label} must be a list of texts.").format(label=label)
    if len(value) > MAX_CUSTOM_OUTCOMES:
        return _("{label} can hold at most {most} outcomes, not {count}.").format(
            label=label, most=MAX_CUSTOM_OUTCOMES, count=len(value)
        )
    seen: set[str] = set()
    for item in value:
        text = item.strip()
        if not text:
            return _("{label} must not contain an empty outcome.").format(label=label)
        if len(text) > MAX_OUTCOME_LENGTH:
            # Translators: {start} is the start of the too-long outcome.
            return _(
                "{label} must be at most {most} characters each ('{start}…' is longer)."
            ).format(label=label, most=MAX_OUTCOME_LENGTH, start=text[:20])
        if "\n" in text or "\r" in text:
            return _("{label} must be one line each.").format(label=label)
        key = text.casefold()
        if key in seen:
            return _("{label} lists '{outcome}' twice.").format(label=label, outcome=text)
        if key in {outcome.casefold() for outcome in STANDARD_OUTCOMES}:
            return _("{label} repeats the standard outcome '{outcome}'.").format(
                label=label, outcome=text
            )
        seen.add(key)
    return None


def outcome_label(outcome: str) -> str:
    """``outcome`` as the rep reads it: a standard one in the language in use, a custom one as
    the team wrote it (their own words are never translated)."""
    labels = {
        "Connected": pgettext("outcome", "Connected"),
        "Voicemail": pgettext("outcome", "Voicemail"),
        "No answer": pgettext("outcome", "No answer"),
        "Busy": pgettext("outcome", "Busy"),
        "Wrong number": pgettext("outcome", "Wrong number"),
        "Call back": pgettext("outcome", "Call back"),
    }
    return labels.get(outcome, outcome)
