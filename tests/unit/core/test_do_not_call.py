"""The do-not-call list: stored with the call log, matched however the number is written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList, OnDoNotCallList, added_on
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import parse_dial_input


@pytest.fixture
def dnc(call_log: CallLog) -> DoNotCallList:
    return DoNotCallList(call_log)


def test_a_blocked_number_is_found_however_it_is_written(dnc: DoNotCallList) -> None:
    target = parse_dial_input("(208) 555-1234", "US", "e164")
    assert dnc.add(target.dial, target.display, "  asked not  to be called ")
    for fmt in ("e164", "plus-e164", "national"):
        other = parse_dial_input("+1 208.555.1234", "US", fmt)
        entry = dnc.contains(other)
        assert entry is not None, fmt
        assert (entry.display, entry.reason) == ("+1 208-555-1234", "asked not to be called")
    assert dnc.contains("12085551234") is not None
    assert dnc.contains("+12085551234") is not None
    assert dnc.is_blocked(target)
    assert not dnc.is_blocked(parse_dial_input("208 555 9999", "US", "e164"))
    assert not dnc.is_blocked("2085551234 ")  # national digits alone: no country to read them


def test_a_number_added_without_its_display_form_is_still_matched(dnc: DoNotCallList) -> None:
    dnc.add("+12085551234", "")
    assert dnc.is_blocked(parse_dial_input("208 555 1234", "US", "e164"))
    assert dnc.is_blocked(parse_dial_input("208 555 1234", "US", "national"))


def test_adding_twice_keeps_the_first_date_and_reason(dnc: DoNotCallList) -> None:
    assert dnc.add("12085551234", "+1 208-555-1234", "first")
    assert not dnc.add("+12085551234", "+1 208-555-1234", "second")
    [entry] = dnc.entries()
    assert entry.reason == "first"
    assert entry.added_at.tzinfo is not None


def test_remove_unblocks_by_target_or_digits(dnc: DoNotCallList) -> None:
    dnc.add("12085551234", "+1 208-555-1234")
    dnc.add("1007", "1007", "the CEO's desk")
    assert dnc.remove(parse_dial_input("208-555-1234", "US", "national"))
    assert not dnc.remove("12085551234")
    assert dnc.is_blocked("1007")
    assert dnc.remove("1007")
    assert dnc.entries() == []


def test_extensions_and_feature_codes_are_kept_as_dialled(dnc: DoNotCallList) -> None:
    dnc.add("*97", "*97")
    assert dnc.is_blocked(parse_dial_input("*97"))
    assert not dnc.is_blocked(parse_dial_input("97 1234 5678", "GB"))


def test_the_refusal_says_when_and_why(dnc: DoNotCallList) -> None:
    target = parse_dial_input("208 555 1234", "US", "e164")
    dnc.add(target.dial, target.display, "asked not to be called")
    with pytest.raises(OnDoNotCallList) as refused:
        dnc.check(target)
    entry = dnc.contains(target)
    assert entry is not None
    assert refused.value.sentence == (
        f"+1 208-555-1234 is on the do-not-call list (added {added_on(entry.added_at)}: "
        "asked not to be called). A1 Dialer will not dial it."
    )
    assert refused.value.exit_code == 2
    dnc.remove(target)
    dnc.add(target.dial, target.display)
    with pytest.raises(OnDoNotCallList, match=r"\(added \d{1,2} [A-Z][a-z]{2} \d{4}\)\. A1"):
        dnc.check(target)


def test_dates_are_spelled_the_same_in_every_locale() -> None:
    moment = datetime(2026, 11, 28, 12, 0).astimezone()
    assert added_on(moment) == "28 Nov 2026"


def test_overlong_reasons_and_empty_numbers_are_refused(dnc: DoNotCallList) -> None:
    with pytest.raises(BadInput, match="at most 500"):
        dnc.add("12085551234", "+1 208-555-1234", "x" * 501)
    with pytest.raises(BadInput, match="phone number to block"):
        dnc.add(" ", "")
    assert dnc.entries() == []


def test_importing_lines_of_text(dnc: DoNotCallList) -> None:
    added, rejected, _ = dnc.import_numbers(
        ["208-555-1234", "", "not a number", "+44 20 7946 0123", "208 555 1234"], "US", "e164"
    )
    assert added == 2
    assert [(r.line, r.text) for r in rejected] == [(3, "not a number")]
    assert "not a phone number" in rejected[0].reason
    assert {e.display for e in dnc.entries()} == {"+1 208-555-1234", "+44 20 7946 0123"}


def test_importing_a_csv_file_uses_its_phone_column(dnc: DoNotCallList, tmp_path: Path) -> None:
    dnc.add("12085551234", "+1 208-555-1234", "kept")
    path = tmp_path / "dnc.csv"
    path.write_text(
        "Name;Phone;Why\nAnn;208-555-1234;x\nBo;208-555-9876;y\nCy;nope;z\nBo;2085559876;y\n",
        encoding="cp1252",
    )
    added, rejected, _ = dnc.import_numbers(path, "US", "e164", reason="from the CRM")
    assert added == 1  # one already blocked, one repeated in the file
    assert [r.line for r in rejected] == [4]
    reasons = {e.display: e.reason for e in dnc.entries()}
    assert reasons == {"+1 208-555-1234": "kept", "+1 208-555-9876": "from the CRM"}


def test_a_csv_file_without_a_phone_column_is_refused(dnc: DoNotCallList, tmp_path: Path) -> None:
    path = tmp_path / "dnc.csv"
    path.write_text("Name,Email\nAnn,ann@example.com\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no column named Phone"):
        dnc.import_numbers(path, "US", "e164")


def test_a_number_abroad_stored_as_digits_is_matched_by_its_display_form(
    dnc: DoNotCallList,
) -> None:
    # Blocked from a call: the history stores a UK number as e164 digits "442079460123".
    target = parse_dial_input("+44 20 7946 0123", "US", "e164")
    dnc.add(target.dial, target.display)
    [entry] = dnc.entries()
    # What the history and the do-not-call dialog put back in the dialer is the display form.
    assert dnc.is_blocked(parse_dial_input(entry.display, "US", "e164"))
    assert dnc.is_blocked(parse_dial_input(entry.display, "US", "national"))
    # The bare digits no longer read as that number with default US: refused, never another one.
    with pytest.raises(BadInput, match="2 digits too many for a number in United States"):
        parse_dial_input(entry.dial, "US", "e164")
    assert dnc.remove(entry.dial)  # removing by the stored digits needs no parsing


def test_importing_lines_follows_the_number_rules(dnc: DoNotCallList) -> None:
    lines = ["(208) 555-12345", "442079460123", "1007", "555123", "00 44 20 7946 0123"]
    added, rejected, _ = dnc.import_numbers(lines, "US", "e164", extension_digits="2-5")
    assert added == 2
    assert {e.display for e in dnc.entries()} == {"1007", "+44 20 7946 0123"}
    assert [r.line for r in rejected] == [1, 2, 4]
    assert "one digit too many for a number in United States" in rejected[0].reason
    assert "too short for a number in United States" in rejected[2].reason


def test_a_csv_phone_column_blocks_no_extensions(dnc: DoNotCallList, tmp_path: Path) -> None:
    path = tmp_path / "dnc.csv"
    path.write_text("Name,Phone\nAnn,123\nBo,208-555-9876\n", encoding="utf-8")
    added, rejected, _ = dnc.import_numbers(path, "US", "e164")
    assert added == 1
    assert [(r.line, r.reason) for r in rejected] == [
        (2, "123 is too short for a phone number; check the digits.")
    ]
