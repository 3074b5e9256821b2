"""FreeSWITCH hangup causes from ``-ERR CAUSE`` replies, as sentences a rep understands."""

from __future__ import annotations

import re

from a1dialer.core.translation import N_, _

# {phone} names the phone that rang first ("ext 1007", or an outside number). Causes about the
# rep's own phone name it; the others are about the customer's side or the PBX.
_SENTENCES: dict[str, str] = {
    "USER_BUSY": N_("The number is busy: try again in a few minutes."),
    "NO_ANSWER": N_("Nobody answered: try again later."),
    "NO_USER_RESPONSE": N_(
        "Your phone ({phone}) did not answer: pick it up when it rings, then call again."
    ),
    "SUBSCRIBER_ABSENT": N_(
        "The number cannot be reached right now (phone off or out of coverage)."
    ),
    "USER_NOT_REGISTERED": N_(
        "Your phone ({phone}) is not registered: check that it is switched "
        "on and connected, then try again."
    ),
    "CALL_REJECTED": N_("The call was rejected: the other side or your phone declined it."),
    "UNALLOCATED_NUMBER": N_("That number does not exist: check the digits and the country."),
    "NO_ROUTE_DESTINATION": N_(
        "The PBX has no route to that number: check the number, or ask your "
        "admin whether such calls are allowed."
    ),
    "INVALID_NUMBER_FORMAT": N_(
        "The PBX did not accept the number's format: check the number and "
        "the number format in Settings."
    ),
    "NORMAL_TEMPORARY_FAILURE": N_(
        "The phone network had a temporary problem: try again in a moment."
    ),
    "ORIGINATOR_CANCEL": N_("The call was cancelled on your phone ({phone}) before it connected."),
    "GATEWAY_DOWN": N_("The PBX's line to the phone network is down: tell your admin."),
    "RECOVERY_ON_TIMER_EXPIRE": N_("The phone network did not respond in time: try again."),
    "DESTINATION_OUT_OF_ORDER": N_("The number is out of order: try later or use another number."),
    "NETWORK_OUT_OF_ORDER": N_("The phone network is out of order: try again later."),
    "NORMAL_CIRCUIT_CONGESTION": N_("All lines are busy: try again in a few minutes."),
    "SWITCH_CONGESTION": N_("The PBX is overloaded: try again in a few minutes."),
    "MANDATORY_IE_MISSING": N_(
        "The PBX says the request was incomplete: check your extension and "
        "caller-ID number in Settings."
    ),
    "INCOMPATIBLE_DESTINATION": N_("The number cannot take this kind of call."),
    "EXCHANGE_ROUTING_ERROR": N_("The phone network could not route the call: check the number."),
    "ALLOTTED_TIMEOUT": N_("The call took too long to connect and was dropped: try again."),
    "MEDIA_TIMEOUT": N_("The call lost its audio and was dropped: try again."),
    "PROGRESS_TIMEOUT": N_("The phone network did not respond in time: try again."),
    "NORMAL_CLEARING": N_("The call ended before it connected: try again."),
    "USER_CHALLENGE": N_("The PBX asked for authentication it did not get: tell your admin."),
    "NORMAL_UNSPECIFIED": N_("The call ended before it connected: try again."),
    "CALL_AWARDED_DELIVERED": N_("The call was picked up elsewhere."),
    "BEARERCAPABILITY_NOTAVAIL": N_("The phone network cannot make this kind of call right now."),
    "FACILITY_REJECTED": N_("The phone network rejected the call: tell your admin."),
    "OUTGOING_CALL_BARRED": N_(
        "Outgoing calls to this number are barred on the PBX: ask your admin."
    ),
    "INCOMING_CALL_BARRED": N_("The number does not accept calls."),
    "NUMBER_CHANGED": N_("That number has changed: look up the new one."),
    "LOSE_RACE": N_("The call was answered somewhere else first."),
    "SERVICE_UNAVAILABLE": N_("The phone service is unavailable right now: try again later."),
}


def cause_sentence(cause: str, extension: str, *, phone: str = "") -> str:
    """The rep's sentence for a FreeSWITCH cause; unknown causes get a generic one naming it.

    The rep's phone is named by ``phone`` ("ext 1007", "+1 208-555-0199"), else ``extension``."""
    cause = cause.strip().upper()
    sentence = _SENTENCES.get(cause)
    if sentence is None:
        if not cause:
            return _(
                "The PBX could not place the call (no reason given): try again, or tell your admin."
            )
        # Translators: {cause} is the PBX's reason in English words, such as "user busy".
        return _(
            "The PBX could not place the call ({cause}): try again, or tell your admin."
        ).format(cause=cause.replace("_", " ").lower())
    # Translators: the rep's own desk phone, named by its extension number.
    return _(sentence).format(
        phone=phone or _("ext {extension}").format(extension=extension or "?")
    )


def known_causes() -> tuple[str, ...]:
    return tuple(_SENTENCES)


_CAUSE_CODE = re.compile(r"-ERR\s*([A-Z0-9_]+)", re.IGNORECASE)


def cause_in(details: str) -> str:
    """The FreeSWITCH cause named in a call's technical details ("USER_BUSY"), or ""."""
    found = _CAUSE_CODE.search(details)
    return found.group(1).upper() if found else ""


def cause_word(cause: str) -> str:
    """A word or two for a cause, for a column of a table ("Busy"); "" when there is none.

    The full sentence is ``cause_sentence``'s; this is only a label to scan a list by.
    """
    words = {
        "USER_BUSY": _("Busy"),
        "NORMAL_CIRCUIT_CONGESTION": _("Lines busy"),
        "SWITCH_CONGESTION": _("PBX busy"),
        "NO_ANSWER": _("No answer"),
        "NO_USER_RESPONSE": _("Not picked up"),
        "USER_NOT_REGISTERED": _("Phone offline"),
        "SUBSCRIBER_ABSENT": _("Unreachable"),
        "CALL_REJECTED": _("Rejected"),
        "UNALLOCATED_NUMBER": _("No such number"),
        "INVALID_NUMBER_FORMAT": _("Bad number"),
        "NUMBER_CHANGED": _("Number changed"),
        "NO_ROUTE_DESTINATION": _("No route"),
        "ORIGINATOR_CANCEL": _("Cancelled"),
        "DESTINATION_OUT_OF_ORDER": _("Out of order"),
        "GATEWAY_DOWN": _("Line down"),
        "NETWORK_OUT_OF_ORDER": _("Network down"),
        "OUTGOING_CALL_BARRED": _("Barred"),
        "INCOMING_CALL_BARRED": _("Barred"),
    }
    return words.get(cause.strip().upper(), "")
