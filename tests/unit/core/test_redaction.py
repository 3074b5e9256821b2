"""The API key never leaves the app: not in text, exceptions or the log file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from a1dialer.core import paths
from a1dialer.core.errors import NetworkFailure
from a1dialer.core.logs import setup_logging
from a1dialer.core.redaction import MASK, redact, register_secret

SECRET = "s3cr3t/Key+with&odd=chars"


def test_key_query_parameters_are_masked_even_if_never_registered() -> None:
    text = "Max retries exceeded with url: /app/api/7/originate?key=abc123&src=1007"
    assert redact(text) == text.replace("abc123", MASK)
    assert redact("url?uuid=1&KEY=zzz") == f"url?uuid=1&KEY={MASK}"


def test_registered_secret_and_its_url_encodings_are_masked() -> None:
    register_secret(SECRET)
    for spelling in (
        SECRET,
        "s3cr3t%2FKey%2Bwith%26odd%3Dchars",
        "s3cr3t%2FKey%2Bwith%26odd%3Dchars",
    ):
        assert SECRET not in redact(f"oops {spelling} here")
        assert spelling not in redact(f"oops {spelling} here")


def test_errors_redact_their_sentence_and_details() -> None:
    register_secret(SECRET)
    error = NetworkFailure(f"Cannot reach {SECRET}", f"GET /x?key={SECRET}")
    assert SECRET not in str(error)
    assert SECRET not in error.details


def test_log_file_never_holds_the_key(tmp_path: Path) -> None:
    register_secret(SECRET)
    handler = setup_logging()
    try:
        log = logging.getLogger("a1dialer.test")
        log.warning("calling %s with key=%s", "https://pbx/app?key=" + SECRET, SECRET)
        try:
            raise RuntimeError(f"boom {SECRET}")
        except RuntimeError:
            log.exception("failed")
        handler.flush()
        text = (paths.log_dir() / "a1dialer.log").read_text(encoding="utf-8")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert "calling" in text
    assert "RuntimeError" in text
    assert SECRET not in text
    assert "s3cr3t" not in text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no secrets here",
        "key is fine without equals",
        "monkey=business",
        "key=value pairs",
        "Smith,key=value",
        "a;key=b and c&key=d",
        "turkey=yes; donkey=no",
    ],
)
def test_harmless_text_is_unchanged(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("https://pbx.example/api/originate?src=1&key=abc&dest=2",
         f"https://pbx.example/api/originate?src=1&key={MASK}&dest=2"),
        ("GET /app/api/7/originate?key=abc (Caused by ...)",
         f"GET /app/api/7/originate?key={MASK} (Caused by ...)"),
        ("url: '/x?a=1;key=abc'", f"url: '/x?a=1;key={MASK}'"),
        ("note with key=value and http://h/p?key=abc", f"note with key=value and http://h/p?key={MASK}"),
    ],
)  # fmt: skip
def test_key_parameters_inside_urls_are_masked_and_nothing_else(text: str, masked: str) -> None:
    assert redact(text) == masked
