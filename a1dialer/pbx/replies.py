"""Reading what the PBX answers: ``+OK``/``-ERR`` text, JSON shapes seen in the wild, HTTP status.

The server is only partly documented, so this is forgiving about shapes but honest: HTML where an
API answer was expected means "not signed in or wrong address", never success, and a 2xx originate
reply that cannot be read means the PBX took the request and may be calling, never "try again".
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from a1dialer.core.errors import (
    AuthRejected,
    DialerError,
    OutcomeUnknown,
    PbxRefused,
    UnexpectedReply,
)
from a1dialer.core.redaction import redact
from a1dialer.pbx.causes import cause_sentence

BAD_KEY = "The PBX did not accept the API key: check the key in Settings."
LOGIN_REDIRECT = (
    "The PBX sent us to its login page: the API key is wrong or the server address is not the "
    "PBX's API; check both in Settings."
)
REDIRECTED = (
    "The PBX redirected A1 Dialer to another address: check the server address in Settings "
    "(it may need https://)."
)
HTML_REPLY = (
    "The PBX answered with a web page instead of the API: check the API key and the server "
    "address in Settings."
)
NO_API = "The PBX has no click-to-call API at this address: check the server address in Settings."
SERVER_ERROR = "The PBX had an internal error: try again in a minute, or tell your admin."
REFUSED_NO_REASON = "The PBX refused the call without saying why: tell your admin."
# A 2xx reply means the request reached the PBX and was taken: if it cannot be read, the call may
# be ringing, so the rep is never invited to call again at once.
_MAY_BE_CALLING = "so it may be calling your phone ({phone}): check it before calling again."
EMPTY_ORIGINATE = "The PBX gave an empty answer, " + _MAY_BE_CALLING
UNREADABLE_ORIGINATE = "The PBX's reply could not be read, " + _MAY_BE_CALLING
OVERSIZED_ORIGINATE = "The PBX's reply was too large to read (over 1 MB), " + _MAY_BE_CALLING
_OK = re.compile(r"\+OK(?=\s|$)(?:\s+(\S+))?", re.IGNORECASE)
_ERR = re.compile(r"-ERR\s*([A-Z0-9_]*)", re.IGNORECASE)
_DENIED = re.compile(r"access denied|invalid (api )?key|unauthori[sz]ed|forbidden", re.IGNORECASE)
_LOGIN_FORM = re.compile(r"type=['\"]?password|<title>[^<]*log ?in", re.IGNORECASE)
# Where a PBX's web interface sends a visitor who is not signed in (FusionPBX: "/?path=...").
_LOGIN_PATH = re.compile(r"log_?in|log_?on|sign_?in|sign-in|auth|sso", re.IGNORECASE)
_LOGIN_QUERY = re.compile(r"(^|&)(path|redirect|return(_?to|_?url)?|next)=", re.IGNORECASE)
# A denial is a short message; a long page merely mentioning "forbidden" is something else.
_DENIAL_MAX_LENGTH = 200
_FAILED_STATUSES = ("error", "fail", "failed", "failure")
# A recording JSON holds its base64 audio under one of these names. Such a string is not copied
# out of the reply (it can be tens of MB): it is cut out, and found again by the marker left in
# its place. The rest of the reply, parsed as usual, is small; a big one is not a recording reply.
_PAYLOAD = re.compile(rb'"(?:data|audio|base64)"\s*:\s*"')
_PAYLOAD_MIN = 64 * 1024
_PAYLOAD_MARKER = "\x00payload:"
_JSON_SKELETON_MAX = 1_000_000


def excerpt(body: bytes, limit: int = 120) -> str:
    """A short, printable, redacted excerpt of a reply for the details of an error."""
    text = body[: limit * 4].decode("utf-8", errors="replace")
    text = "".join(ch if ch.isprintable() else "?" for ch in text.replace("\n", " "))
    text = redact(text.strip())
    return text[:limit] + ("..." if len(text) > limit else "")


def looks_like_html(content_type: str, body: bytes) -> bool:
    head = body.lstrip()[:15].lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html", b"<head"))


def is_login_page(body: bytes) -> bool:
    return bool(_LOGIN_FORM.search(body[:20000].decode("utf-8", errors="replace")))


def is_denial(text: str) -> bool:
    """True for a short "access denied" / "invalid key" style message."""
    return len(text) < _DENIAL_MAX_LENGTH and bool(_DENIED.search(text))


def is_login_location(location: str) -> bool:
    """True when a redirect target looks like the web interface's login page."""
    parts = urlsplit(location)
    path = parts.path or "/"
    return path == "/" or bool(_LOGIN_PATH.search(path) or _LOGIN_QUERY.search(parts.query))


def parse_json(body: bytes) -> Any:
    """The JSON value of ``body``, or None when it is not JSON."""
    stripped = body.strip()
    if not stripped.startswith((b"{", b"[")):
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def header(headers: dict[str, str], name: str) -> str:
    """A header's value whatever its case (plain dicts of headers are case-sensitive)."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def auth_or_redirect_error(status: int, headers: dict[str, str]) -> DialerError | None:
    """The error for a 3xx/401/403 reply, which we never follow or retry; None otherwise."""
    if status in (401, 403):
        return AuthRejected(BAD_KEY, f"HTTP {status}")
    if 300 <= status < 400:
        location = header(headers, "Location")
        details = f"HTTP {status} to {redact(location) or '(no location)'}"
        if not location or is_login_location(location):
            return AuthRejected(LOGIN_REDIRECT, details)
        return UnexpectedReply(REDIRECTED, details)
    return None


def status_error(status: int, content_type: str, body: bytes, phone: str) -> DialerError:
    """The error for an originate reply that carried no API answer we could read."""
    details = f"HTTP {status}: {excerpt(body)}"
    if status == 404:
        return PbxRefused(NO_API, details)
    if status >= 500:
        return PbxRefused(SERVER_ERROR, details)
    if looks_like_html(content_type, body):
        return AuthRejected(HTML_REPLY, details)
    if status >= 400:
        return PbxRefused(f"The PBX refused the request (HTTP {status}).", details)
    if not body.strip():
        return OutcomeUnknown(EMPTY_ORIGINATE.format(phone=phone), details)
    return OutcomeUnknown(UNREADABLE_ORIGINATE.format(phone=phone), details)


def _json_outcome(
    value: dict[str, Any], status_code: int, headers: dict[str, str], body: bytes, phone: str
) -> str | None:
    """Read one of the JSON shapes: the server's call id on success (maybe None), else raise."""
    details = f"HTTP {status_code}: {excerpt(body)}"
    message = str(value.get("message") or value.get("error") or "").strip()
    status = str(value.get("status", "")).lower()
    ok = (
        value.get("success") is True
        or status in ("success", "ok")
        or (value.get("code") in (0, "0") and not message.upper().startswith("-ERR"))
    )
    if ok:
        server_id = value.get("call_uuid") or value.get("uuid")
        found = _OK.match(message)
        if not server_id and found:
            server_id = found.group(1)
        return str(server_id) if server_id else None
    failed = _ERR.search(message)
    if failed:
        raise PbxRefused(
            cause_sentence(failed.group(1), "", phone=phone), details, cause=failed.group(1)
        )
    if is_denial(message):
        raise AuthRejected(BAD_KEY, details)
    if message:
        raise PbxRefused(f"The PBX refused the call: {excerpt(message.encode(), 160)}", details)
    if (
        value.get("success") is False
        or status in _FAILED_STATUSES
        or value.get("code") not in (None, 0, "0")
    ):
        raise PbxRefused(REFUSED_NO_REASON, details)
    # A JSON shape we do not know: no more readable than any other unknown reply.
    raise status_error(status_code, header(headers, "Content-Type"), body, phone)


def originate_outcome(
    status: int, headers: dict[str, str], body: bytes, phone: str, *, complete: bool = True
) -> str | None:
    """Read an originate reply: the server's call id (maybe None) on success, else raise.

    The order is the notes' Decision 4: ``+OK``/``-ERR`` text, the JSON shapes, then HTTP status.
    ``complete`` False: ``body`` is only the start of a reply too large to read.
    """
    error = auth_or_redirect_error(status, headers)
    if error is not None:
        raise error
    content_type = header(headers, "Content-Type")
    if not complete:
        details = f"HTTP {status}, over {len(body) - 1} bytes: {excerpt(body)}"
        if status >= 300 or looks_like_html(content_type, body):
            raise status_error(status, content_type, body, phone)
        raise OutcomeUnknown(OVERSIZED_ORIGINATE.format(phone=phone), details)
    text = body.decode("utf-8", errors="replace").strip()
    details = f"HTTP {status}: {excerpt(body)}"
    accepted = _OK.match(text)
    if accepted:
        return accepted.group(1)
    failed = _ERR.match(text)
    if failed:
        raise PbxRefused(
            cause_sentence(failed.group(1), "", phone=phone), details, cause=failed.group(1)
        )
    value = parse_json(body)
    if isinstance(value, dict):
        return _json_outcome(value, status, headers, body, phone)
    if is_denial(text):
        raise AuthRejected(BAD_KEY, details)
    raise status_error(status, content_type, body, phone)


def parse_recording_json(
    body: bytearray,
) -> tuple[dict[str, Any], dict[str, tuple[int, int]]] | None:
    """A recording reply's JSON object, or None when ``body`` holds none.

    Long strings under ``data``/``audio``/``base64`` (base64 audio) are not copied: the object
    holds a marker in their place, and the second value maps each marker to its string's span in
    ``body`` (as it stands, JSON escapes included).
    """
    start = 0
    while start < len(body) and body[start] in b" \t\r\n":
        start += 1
    if not body.startswith(b"{", start):
        return None
    skeleton = bytearray()
    spans: dict[str, tuple[int, int]] = {}
    done = 0
    for found in _PAYLOAD.finditer(body):
        begin = found.end()
        if begin < done:
            continue
        end = body.find(b'"', begin)
        if end < 0:
            return None
        if end - begin < _PAYLOAD_MIN:
            continue
        marker = f"{_PAYLOAD_MARKER}{len(spans)}"
        spans[marker] = (begin, end)
        skeleton += body[done:begin] + marker.replace("\x00", "\\u0000").encode()
        done = end
        if len(skeleton) > _JSON_SKELETON_MAX:
            return None
    if len(body) - done + len(skeleton) > _JSON_SKELETON_MAX:
        return None
    skeleton += body[done:]
    value = parse_json(bytes(skeleton))
    return (value, spans) if isinstance(value, dict) else None
