"""Placing one call the same way everywhere: log it as pending, originate once, log the outcome.

The call is written to the call log before the request leaves, so a crash while the PBX holds the
request still leaves a trace; the originate is sent exactly once, never retried.
"""

from __future__ import annotations

from dataclasses import dataclass

from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.errors import DialerError, LocalProblem
from a1dialer.core.numbers import DialTarget, parse_dial_input
from a1dialer.core.settings import Settings
from a1dialer.pbx.client import CallPlaced, CallRequest, PbxClient


@dataclass(frozen=True)
class CallOptions:
    """What the rep chose for this one call."""

    contact_name: str = ""
    ringback: str = "us-ring"
    auto_answer: bool = False
    record: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, contact_name: str = "") -> CallOptions:
        return cls(contact_name, settings.ringback, settings.auto_answer, settings.record)


def require_configured(settings: Settings) -> None:
    """Raise ``LocalProblem`` naming what is missing before the first call."""
    missing = settings.missing_for_calls()
    if missing:
        raise LocalProblem(
            f"A1 Dialer is not set up yet: {', '.join(missing)} missing. "
            "Open Settings, or run 'a1dialer configure'."
        )


def build_request(settings: Settings, target: DialTarget, options: CallOptions) -> CallRequest:
    return CallRequest(
        destination=target.dial,
        extension=settings.extension,
        caller_id_number=settings.caller_id_number,
        caller_id_name=settings.caller_id_name,
        contact_name=options.contact_name.strip(),
        ringback=options.ringback,
        auto_answer=options.auto_answer,
        record=options.record,
    )


def place_call(
    client: PbxClient,
    settings: Settings,
    call_log: CallLog,
    target: DialTarget,
    options: CallOptions,
) -> CallPlaced:
    """Log the call as pending, send one originate, then log the outcome. Errors are re-raised.

    A number on the do-not-call list raises ``OnDoNotCallList`` before anything is logged or
    sent, so every way of dialling (window, tray, link, hotkey, list, command line) refuses it.
    """
    require_configured(settings)
    DoNotCallList(call_log).check(target)
    request = build_request(settings, target, options)
    call_log.add_pending(
        uuid=request.uuid,
        number=target.dial,
        display_number=target.display,
        name=request.contact_name,
        ringback=request.ringback,
        auto_answer=request.auto_answer,
        record=request.record,
    )
    try:
        placed = client.originate(request)
    except DialerError as exc:
        call_log.mark_failed(request.uuid, exc.sentence, exc.details)
        raise
    except BaseException as exc:
        call_log.mark_failed(
            request.uuid, "The call could not be placed because of an internal error.", repr(exc)
        )
        raise
    call_log.mark_placed(request.uuid)
    return placed


def target_for(text: str, settings: Settings, country: str = "") -> DialTarget:
    """Normalise what the rep typed with the number rules from settings; ``country``, when
    given, is the country of national digits for this one call instead of the default."""
    return parse_dial_input(
        text,
        settings.default_country,
        settings.number_format,
        extension_digits=settings.extension_digits,
        country=country,
    )
