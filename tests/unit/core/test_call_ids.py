"""A call id names a file (a recording), so anything that could be a path is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from a1dialer.core.call_ids import checked_call_id, looks_like_call_id
from a1dialer.core.errors import BadInput


@pytest.mark.parametrize(
    "text",
    ["../../x", "/tmp/x", "..", "./abc", "a/b/c", "C:\\x\\y", "abc\x00def", "COM1", "nul.wav",
     "Aux.mp3", ".hidden", "abcd.", "x" * 101, "", "   "],
)  # fmt: skip
def test_paths_and_device_names_are_not_call_ids(text: str) -> None:
    assert not looks_like_call_id(text)
    with pytest.raises(BadInput, match="is not a call id") as refused:
        checked_call_id(text)
    assert refused.value.exit_code == 2


def test_uuids_and_pbx_ids_pass_without_their_spaces() -> None:
    assert checked_call_id(" 0B5E2A4E-7f0c-4a77-9d0b-3f1f3b1f2a10\n") == (
        "0B5E2A4E-7f0c-4a77-9d0b-3f1f3b1f2a10"
    )
    assert checked_call_id("1700000000.1234") == "1700000000.1234"
    assert checked_call_id("console-7") == "console-7"


def test_the_refusal_does_not_print_control_characters() -> None:
    with pytest.raises(BadInput) as refused:
        checked_call_id("\x1b[2J../x")
    assert "\x1b" not in refused.value.sentence


@given(st.text(max_size=120))
def test_an_accepted_id_is_one_plain_file_name(text: str) -> None:
    if looks_like_call_id(text):
        name = text.strip()
        assert "/" not in name
        assert "\\" not in name
        assert ":" not in name
        assert not name.startswith(".")
        assert name not in (".", "..")
