"""Keep the API key out of every log line, exception text and output.

Secrets are registered once (when the key is read) and then removed wherever text leaves the app.
``key=...`` query parameters of URLs are masked even when the secret was never registered, because
requests puts the full URL (or its path and query) into its exception messages. Outside a URL,
``key=`` is ordinary text ("monkey=business", "key=value pairs") and stays as written.
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus

MASK = "***"
# Shorter "secrets" would mask ordinary letters everywhere; a real A1PBX key is far longer, and
# key= parameters are masked whatever their length.
MIN_SECRET_LENGTH = 6
# A URL's query: from the first "?" of a word ("https://pbx/api?...", "/api/originate?...", as
# requests quotes it) to the end of that word.
_URL_QUERY = re.compile(r"\?[^\s#'\"<>]*")
_KEY_PARAM = re.compile(r"(?i)([?&;]key=)[^&;#]*")
_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(secret: str) -> None:
    """Remember a secret (and its URL-encoded spellings) so that ``redact`` removes it."""
    if len(secret) < MIN_SECRET_LENGTH:
        return
    with _lock:
        _secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})


def redact(text: str) -> str:
    """Return ``text`` with every registered secret and every ``key=`` parameter masked."""
    if not text:
        return text
    text = _URL_QUERY.sub(lambda url: _KEY_PARAM.sub(rf"\g<1>{MASK}", url.group()), text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message (and traceback) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
