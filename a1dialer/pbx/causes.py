"""FreeSWITCH hangup causes from ``-ERR CAUSE`` replies, as sentences a rep understands."""

from __future__ import annotations

# {phone} names the phone that rang first ("ext 1007", or an outside number). Causes about the
# rep's own phone name it; the others are about the customer's side or the PBX.
_SENTENCES: dict[str, str] = {
    "USER_BUSY": "The number is busy: try again in a few minutes.",
    "NO_ANSWER": "Nobody answered: try again later.",
    "NO_USER_RESPONSE": "Your phone ({phone}) did not answer: pick it up when it rings, "
    "then call again.",
    "SUBSCRIBER_ABSENT": "The number cannot be reached right now (phone off or out of coverage).",
    "USER_NOT_REGISTERED": "Your phone ({phone}) is not registered: check that it is switched "
    "on and connected, then try again.",
    "CALL_REJECTED": "The call was rejected: the other side or your phone declined it.",
    "UNALLOCATED_NUMBER": "That number does not exist: check the digits and the country.",
    "NO_ROUTE_DESTINATION": "The PBX has no route to that number: check the number, or ask your "
    "admin whether such calls are allowed.",
    "INVALID_NUMBER_FORMAT": "The PBX did not accept the number's format: check the number and "
    "the number format in Settings.",
    "NORMAL_TEMPORARY_FAILURE": "The phone network had a temporary problem: try again in a moment.",
    "ORIGINATOR_CANCEL": "The call was cancelled on your phone ({phone}) before it connected.",
    "GATEWAY_DOWN": "The PBX's line to the phone network is down: tell your admin.",
    "RECOVERY_ON_TIMER_EXPIRE": "The phone network did not respond in time: try again.",
    "DESTINATION_OUT_OF_ORDER": "The number is out of order: try later or use another number.",
    "NETWORK_OUT_OF_ORDER": "The phone network is out of order: try again later.",
    "NORMAL_CIRCUIT_CONGESTION": "All lines are busy: try again in a few minutes.",
    "SWITCH_CONGESTION": "The PBX is overloaded: try again in a few minutes.",
    "MANDATORY_IE_MISSING": "The PBX says the request was incomplete: check your extension and "
    "caller-ID number in Settings.",
    "INCOMPATIBLE_DESTINATION": "The number cannot take this kind of call.",
    "EXCHANGE_ROUTING_ERROR": "The phone network could not route the call: check the number.",
    "ALLOTTED_TIMEOUT": "The call took too long to connect and was dropped: try again.",
    "MEDIA_TIMEOUT": "The call lost its audio and was dropped: try again.",
    "PROGRESS_TIMEOUT": "The phone network did not respond in time: try again.",
    "NORMAL_CLEARING": "The call ended before it connected: try again.",
    "USER_CHALLENGE": "The PBX asked for authentication it did not get: tell your admin.",
    "NORMAL_UNSPECIFIED": "The call ended before it connected: try again.",
    "CALL_AWARDED_DELIVERED": "The call was picked up elsewhere.",
    "BEARERCAPABILITY_NOTAVAIL": "The phone network cannot make this kind of call right now.",
    "FACILITY_REJECTED": "The phone network rejected the call: tell your admin.",
    "OUTGOING_CALL_BARRED": "Outgoing calls to this number are barred on the PBX: ask your admin.",
    "INCOMING_CALL_BARRED": "The number does not accept calls.",
    "NUMBER_CHANGED": "That number has changed: look up the new one.",
    "LOSE_RACE": "The call was answered somewhere else first.",
    "SERVICE_UNAVAILABLE": "The phone service is unavailable right now: try again later.",
}


def cause_sentence(cause: str, extension: str, *, phone: str = "") -> str:
    """The rep's sentence for a FreeSWITCH cause; unknown causes get a generic one naming it.

    The rep's phone is named by ``phone`` ("ext 1007", "+1 208-555-0199"), else ``extension``."""
    cause = cause.strip().upper()
    sentence = _SENTENCES.get(cause)
    if sentence is None:
        readable = cause.replace("_", " ").lower() or "no reason given"
        return f"The PBX could not place the call ({readable}): try again, or tell your admin."
    return sentence.format(phone=phone or f"ext {extension or '?'}")


def known_causes() -> tuple[str, ...]:
    return tuple(_SENTENCES)
