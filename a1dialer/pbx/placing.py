"""Placing one call the same way everywhere: log it as pending, originate once, log the outcome.

The call is written to the call log before the request leaves (if it cannot be, nothing is sent),
so a crash while the PBX holds the request still leaves a trace; the originate is sent exactly
once, never retried. Once the request may have reached the PBX, nothing local turns the call into
a failure: an answer that never came (or Ctrl+C) is ``unknown``, and a call log that cannot take
the outcome is said beside the call id instead of failing the call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from a1dialer.core.call_options import CallOptions
from a1dialer.core.caller_ids import (
    PresentedId,
    RingChoice,
    default_ring_choice,
    local_caller_id,
)
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.errors import DialerError, LocalProblem, OutcomeUnknown
from a1dialer.core.numbers import DialTarget, parse_dial_input
from a1dialer.core.settings import Settings
from a1dialer.core.translation import N_, _
from a1dialer.pbx.client import CallPlaced, CallRequest, PbxClient

log = logging.getLogger(__name__)

INTERRUPTED = N_(
    "Stopped while the PBX had the call: it may be calling, check your phone before calling again."
)
INTERNAL_UNKNOWN = N_(
    "An internal error came up while the PBX had the call: it may be calling, check your phone "
    "before calling again."
)


def require_configured(settings: Settings) -> None:
    """Raise ``LocalProblem`` naming what is missing before the first call."""
    missing = settings.missing_for_calls()
    if missing:
        # Translators: {missing} lists setting names, separated by commas.
        raise LocalProblem(
            _(
                "A1 Dialer is not set up yet: {missing} missing. "
                "Open Settings, or run 'a1dialer configure'."
            ).format(missing=", ".join(missing))
        )


def build_request(
    settings: Settings,
    target: DialTarget,
    options: CallOptions,
    call_id: str | None = None,
    *,
    caller_id: PresentedId | None = None,
    ring: RingChoice | None = None,
) -> CallRequest:
    """The originate for ``target``: the caller ID picked for it (by hand, else by local
    presence or the default) and the phone that rings first (else the ``ring_me_at`` one)."""
    ids = {"uuid": call_id} if call_id else {}
    caller_id = caller_id or local_caller_id(settings, target)
    ring = ring or default_ring_choice(settings)
    return CallRequest(
        **ids,
        destination=target.dial,
        extension=ring.src,
        caller_id_number=caller_id.number,
        caller_id_name=caller_id.name,
        options=replace(options, contact_name=options.contact_name.strip()),
        phone=ring.display if ring.external else "",
    )


def place_call(
    client: PbxClient,
    settings: Settings,
    call_log: CallLog,
    target: DialTarget,
    options: CallOptions,
    *,
    call_id: str | None = None,
    caller_id: PresentedId | None = None,
    ring: RingChoice | None = None,
) -> CallPlaced:
    """Log the call as pending, send one originate, then log the outcome. Errors are re-raised.

    A number on the do-not-call list raises ``OnDoNotCallList`` before anything is logged or
    sent, so every way of dialling (window, tray, link, hotkey, list, command line) refuses it;
    so does a call log that cannot take the pending row (``LocalProblem``). ``call_id`` lets the
    caller name the call first, to point at it whatever happens. An answer that may have come
    too late (``OutcomeUnknown``), Ctrl+C or an internal error while the PBX has the request
    leave the call ``unknown``; an accepted call whose outcome cannot be logged is returned with
    ``log_problem`` saying why. ``caller_id`` and ``ring`` are what the rep picked for this call;
    without them the settings decide (``build_request``). Both are logged with the call.
    """
    require_configured(settings)
    if call_log.read_only:
        raise LocalProblem(
            _(
                "The call log {file} cannot be written (its folder or disk is read-only or "
                "full), and every call is logged before it is placed, so no call was made; make "
                "room or make that folder writable, then try again."
            ).format(file=call_log.path)
        )
    DoNotCallList(call_log).check(target)
    ring = ring or default_ring_choice(settings)
    request = build_request(settings, target, options, call_id, caller_id=caller_id, ring=ring)
    call_log.add_pending(
        uuid=request.uuid,
        number=target.dial,
        display_number=target.display,
        name=request.options.contact_name,
        ringback=request.options.ringback,
        auto_answer=request.options.auto_answer,
        record=request.options.record,
        extension=target.extension_hint or "",
        cid_number=request.caller_id_number,
        cid_name=request.caller_id_name,
        ring_me_at=ring.logged,
    )
    uuid = request.uuid
    try:
        placed = client.originate(request)
    except OutcomeUnknown as exc:
        _log_outcome(call_log.mark_unknown, uuid, exc.sentence, exc.details)
        raise
    except DialerError as exc:
        _log_outcome(call_log.mark_failed, uuid, exc.sentence, exc.details)
        raise
    except KeyboardInterrupt:
        _log_outcome(call_log.mark_unknown, uuid, _(INTERRUPTED))
        raise
    except Exception as exc:
        log.error("Call %s: internal error while the PBX had the request", uuid, exc_info=exc)
        _log_outcome(call_log.mark_unknown, uuid, _(INTERNAL_UNKNOWN), repr(exc))
        raise OutcomeUnknown(_(INTERNAL_UNKNOWN), repr(exc)) from None
    try:
        queued = call_log.mark_placed(uuid)
    except LocalProblem as problem:
        return replace(placed, log_problem=problem.sentence)
    if queued:
        return replace(
            placed,
            log_problem=f"The call log could not be updated yet ({queued}); the call is kept "
            "and written to it later.",
        )
    return placed


def ring_own_phone(client: PbxClient, settings: Settings, ringback: str) -> CallPlaced:
    """A test call that rings the rep's own phone, then calls their own extension: one
    originate, never retried, not in the call log (no customer was called)."""
    require_configured(settings)
    extension = settings.extension
    target = DialTarget(extension, extension, None, None, is_extension=True)
    options = CallOptions(contact_name="A1 Dialer test", ringback=ringback)
    return client.originate(build_request(settings, target, options))


def _log_outcome(write: Callable[..., str], uuid: str, *sentences: str) -> None:
    """Write the outcome of a call that was not placed; the error at hand wins over the log's."""
    try:
        write(uuid, *sentences)
    except LocalProblem as problem:
        log.warning("Call %s: %s %s", uuid, problem.sentence, problem.details)


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
