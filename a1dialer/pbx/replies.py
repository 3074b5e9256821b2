"""Reading what the PBX answers: ``+OK``/``-ERR`` text, JSON shapes seen in the wild, HTTP status.

The server is only partly documented, so this is forgiving about shapes but honest: HTML where an
API answer was expected means "not signed in or wrong address", never success.
"""

from __future__ import annotations

import json
import re
from typing import Any

from a1dialer.core.errors import AuthRejected, DialerError, PbxRefused, UnexpectedReply
from a1dialer.core.redaction import redact
from a1dialer.pbx.causes import cause_sentence

BAD_KEY = "The PBX did not accept the API key: check the key in Settings."
LOGIN_REDIRECT = (
    "The PBX sent us to its login page: the API key is wrong or the server address is not the "
    "PBX's API; check both in Settings."
)
HTML_REPLY = (
    "The PBX answered with a web page instead of the API: check the API key and the server "
    "address in Settings."
)
NO_API = "The PBX has no click-to-call API at this address: check the server address in Settings."
SERVER_ERROR = "The PBX had an internal error: try again in a minute, or tell your admin."
_ERR = re.compile(r"-ERR\s*([A-Z0-9_]*)", re.IGNORECASE)
_DENIED = re.compile(r"access denied|invalid (api )?key|unauthori[sz]ed|forbidden", re.IGNORECASE)
_LOGIN_FORM = re.compile(r"type=['\"]?password|<title>[^<]*log ?in", re.IGNORECASE)


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


def parse_json(body: bytes) -> Any:
    """The JSON value of ``body``, or None when it is not JSON."""
    stripped = body.strip()
    if not stripped.startswith((b"{", b"[")):
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def auth_or_redirect_error(status: int, headers: dict[str, str]) -> DialerError | None:
    """The error for a 3xx/401/403 reply, which we never follow or retry; None otherwise."""
    if status in (401, 403):
        return AuthRejected(BAD_KEY, f"HTTP {status}")
    if 300 <= status < 400:
        location = redact(headers.get("Location", headers.get("location", "")))
        return AuthRejected(LOGIN_REDIRECT, f"HTTP {status} to {location or '(no location)'}")
    return None


def status_error(status: int, content_type: str, body: bytes) -> DialerError:
    """The error for a reply that carried no API answer we could read."""
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
        return UnexpectedReply(
            "The PBX gave an empty answer: the call may not have been placed; "
            "check your phone before calling again.",
            details,
        )
    return UnexpectedReply(
        "The PBX gave an answer A1 Dialer does not understand: check your phone "
        "before calling again, and tell your admin.",
        details,
    )


def originate_outcome(
    status: int, headers: dict[str, str], body: bytes, extension: str
) -> str | None:
    """Read an originate reply: the server's call id (maybe None) on success, else raise."""
    error = auth_or_redirect_error(status, headers)
    if error is not None:
        raise error
    content_type = headers.get("Content-Type", headers.get("content-type", ""))
    text = body.decode("utf-8", errors="replace").strip()
    details = f"HTTP {status}: {excerpt(body)}"
    if 200 <= status < 300 or text.startswith(("+OK", "-ERR")):
        message = text
        value = parse_json(body)
        if isinstance(value, dict):
            message = str(value.get("message") or value.get("error") or "")
            ok = (
                value.get("success") is True
                or str(value.get("status", "")).lower() in ("success", "ok")
                or (value.get("code") in (0, "0") and not message.startswith("-ERR"))
            )
            if ok:
                server_id = value.get("call_uuid") or value.get("uuid")
                if server_id is None and message.startswith("+OK"):
                    server_id = message[3:].strip() or None
                return str(server_id) if server_id else None
            if not message and not (value.get("success") is False or "status" in value):
                message = text
        if message.startswith("+OK"):
            return message[3:].strip() or None
        found = _ERR.search(message)
        if found:
            raise PbxRefused(cause_sentence(found.group(1), extension), details)
        if _DENIED.search(message) and len(message) < 200:
            raise AuthRejected(BAD_KEY, details)
        if isinstance(value, dict) and message:
            raise PbxRefused(f"The PBX refused the call: {excerpt(message.encode(), 160)}", details)
    raise status_error(status, content_type, body)
