"""The four options of one call: the contact's name, the ringback tone, auto-answer, record."""

from __future__ import annotations

from dataclasses import dataclass

from a1dialer.core.settings import Settings


@dataclass(frozen=True)
class CallOptions:
    """What the rep chose for this one call (the window's options panel, or ``dial``'s flags)."""

    contact_name: str = ""
    ringback: str = "us-ring"
    auto_answer: bool = False
    record: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, contact_name: str = "") -> CallOptions:
        return cls(contact_name, settings.ringback, settings.auto_answer, settings.record)
