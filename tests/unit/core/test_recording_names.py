"""The file name offered for a saved recording: date, number, contact, safe on every OS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from a1dialer.core.recording_names import MAX_STEM, recording_file_stem, safe_file_stem


def test_date_number_and_contact() -> None:
    started = datetime(2026, 12, 4, 10, 30)
    assert recording_file_stem(started, "+1 208-555-0142", "Dana Whitfield") == (
        "2026-12-04 1030 +1 208-555-0142 Dana Whitfield"
    )
    assert recording_file_stem(started, "+1 208-555-0142") == "2026-12-04 1030 +1 208-555-0142"


def test_an_aware_time_is_shown_in_local_time() -> None:
    started = datetime(2026, 12, 4, 10, 30, tzinfo=UTC)
    local = started.astimezone().strftime("%Y-%m-%d %H%M")
    assert recording_file_stem(started, "12085550142").startswith(local)


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ('Acme/Sons: "Jo" <boss>?*|\\', "Acme Sons Jo boss"),
        ("line\nbreak\ttab", "line break tab"),
        ("...", "recording"),
        ("CON", "recording CON"),
        ("nul.txt", "recording nul.txt"),
        ("Zoë’s Café", "Zoë’s Café"),
        ("trailing dot.", "trailing dot"),
    ],
)
def test_names_are_safe_on_every_os(text: str, stem: str) -> None:
    assert safe_file_stem(text) == stem


def test_a_long_contact_name_is_cut() -> None:
    assert len(safe_file_stem("x" * 500)) == MAX_STEM
