"""Rows typed by the rep: numbers checked as at import, added and edited, do-not-call flagged."""

from __future__ import annotations

import pytest

from a1dialer.core.call_lists import MISSING_ENTRY, MISSING_LIST, CallListStore, NewEntry
from a1dialer.core.calllog import CallLog
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.errors import BadInput
from a1dialer.core.list_entry_input import (
    BadNumber,
    NumberRules,
    all_numbers,
    entry_from_input,
    with_main_number,
)

US = NumberRules("US", "e164")


@pytest.fixture
def store(call_log: CallLog) -> CallListStore:
    return CallListStore(call_log)


def seeded(store: CallListStore) -> int:
    first = entry_from_input("Ada", "Acme", "", [("Phone", "(208) 555-0171")], US)
    return store.create_list("Leads", [first])


def test_typed_numbers_are_read_like_an_import_main_number_first() -> None:
    entry = entry_from_input(
        "  Dana   Whitfield ",
        " Acme ",
        " wants the price list ",
        [("", ""), ("Mobile", "208.555.0199"), ("Work", "+44 20 7946 0123 x55")],
        US,
    )
    assert (entry.name, entry.company) == ("Dana Whitfield", "Acme")
    assert (entry.number, entry.dial, entry.display) == (
        "208.555.0199", "12085550199", "+1 208-555-0199",
    )  # fmt: skip
    assert [(n.label, n.dial) for n in entry.numbers] == [
        ("Mobile", "12085550199"), ("Work", "442079460123"),
    ]  # fmt: skip
    assert entry.notes == "Ask for extension 55. wants the price list"
    again = entry_from_input("D", "", entry.notes, [("Work", "+44 20 7946 0123 x55")], US)
    assert again.notes == entry.notes  # not said twice after an edit


def test_the_national_format_setting_is_used() -> None:
    entry = entry_from_input(
        "A", "", "", [("Phone", "+1 (208) 555-0171")], NumberRules("US", "national")
    )
    assert entry.dial == "2085550171"


@pytest.mark.parametrize(
    ("numbers", "index", "words"),
    [
        ([("Phone", "12")], 0, "too short"),
        ([("Phone", "(208) 555-0171"), ("Mobile", "123")], 1, "123 is too short"),
        ([("Phone", "*97")], 0, "feature code"),
        ([("Phone", "hello")], 0, "not a phone number"),
        ([("Phone", "208 555 0171"), ("Work", "+1 208-555-0171")], 1, "twice"),
        ([("Phone", "  "), ("Mobile", "")], 0, "at least one"),
    ],
)
def test_a_bad_number_is_one_sentence_naming_which(
    numbers: list[tuple[str, str]], index: int, words: str
) -> None:
    with pytest.raises(BadNumber) as caught:
        entry_from_input("A", "", "", numbers, US)
    assert caught.value.index == index
    assert words in caught.value.sentence
    assert caught.value.sentence.endswith(".")
    assert caught.value.sentence.count(". ") == 0


def test_a_short_number_is_an_extension_only_under_an_extension_label() -> None:
    entry = entry_from_input("Front desk", "", "", [("Ext.", "123")], US)
    assert (entry.dial, entry.numbers[0].label) == ("123", "Ext.")


def test_overlong_texts_are_refused() -> None:
    with pytest.raises(BadInput, match="at most 200"):
        entry_from_input("x" * 201, "", "", [("Phone", "2085550171")], US)
    with pytest.raises(BadInput, match="notes"):
        entry_from_input("x", "", "n" * 10_001, [("Phone", "2085550171")], US)


def test_adding_a_row_puts_it_last_and_flags_do_not_call(
    store: CallListStore, call_log: CallLog
) -> None:
    list_id = seeded(store)
    DoNotCallList(call_log).add("12085550199", "+1 208-555-0199", "asked us")
    clean = store.add_entry(
        list_id, entry_from_input("Bo", "", "", [("Phone", "208-555-0172")], US)
    )
    assert (clean.position, clean.name, clean.state, clean.dnc) == (1, "Bo", "todo", False)
    # Any of the row's numbers on the list flags the row: the person asked not to be called.
    blocked = store.add_entry(
        list_id,
        entry_from_input(
            "Cy", "", "", [("Phone", "208-555-0173"), ("Mobile", "(208) 555-0199")], US
        ),
    )
    assert (blocked.position, blocked.dnc) == (2, True)
    assert [e.name for e in store.entries(list_id)] == ["Ada", "Bo", "Cy"]
    assert store.summary(list_id).total == 3
    store.delete_list(list_id)
    with pytest.raises(BadInput) as gone:
        store.add_entry(list_id, clean_entry())
    assert gone.value.sentence == MISSING_LIST


def clean_entry() -> NewEntry:
    return entry_from_input("Di", "", "", [("Phone", "208-555-0174")], US)


def test_editing_a_row_keeps_its_place_and_progress(
    store: CallListStore, call_log: CallLog
) -> None:
    list_id = seeded(store)
    [ada] = store.entries(list_id)
    store.mark_called(ada.id, "call-1")
    edited = store.update_entry(
        ada.id,
        entry_from_input(
            "Ada Lovelace", "Analytical", "met at the fair",
            [("Mobile", "208 555 0188"), ("Phone", "(208) 555-0171")], US,
        ),
    )  # fmt: skip
    assert (edited.id, edited.position, edited.state, edited.call_uuid) == (
        ada.id, 0, "done", "call-1",
    )  # fmt: skip
    assert (edited.name, edited.company, edited.notes) == (
        "Ada Lovelace", "Analytical", "met at the fair",
    )  # fmt: skip
    assert (edited.dial, edited.display) == ("12085550188", "+1 208-555-0188")
    assert [n.label for n in edited.numbers] == ["Mobile", "Phone"]
    assert store.entry(ada.id) == edited
    # Edited to a blocked number: flagged; edited away from it: not any more.
    DoNotCallList(call_log).add("12085550177", "+1 208-555-0177")
    flagged = store.update_entry(
        ada.id, entry_from_input("Ada", "", "", [("Phone", "+1 208 555 0177")], US)
    )
    assert flagged.dnc
    assert not store.update_entry(ada.id, clean_entry()).dnc
    store.delete_list(list_id)
    with pytest.raises(BadInput) as gone:
        store.update_entry(ada.id, clean_entry())
    assert gone.value.sentence == MISSING_ENTRY


def test_switching_the_main_number_keeps_all_numbers(store: CallListStore) -> None:
    list_id = store.create_list(
        "Leads",
        [entry_from_input("Ada", "", "", [("Phone", "2085550171"), ("Mobile", "2085550188")], US)],
    )
    [ada] = store.entries(list_id)
    mobile = all_numbers(ada)[1]
    switched = store.update_entry(ada.id, with_main_number(ada, mobile))
    assert switched.dial == "12085550188"
    assert all_numbers(switched) == all_numbers(ada)


def test_a_row_with_only_its_main_number_shows_it_as_phone(store: CallListStore) -> None:
    list_id = store.create_list(
        "Leads",
        [NewEntry("Ada", "208-555-0171", "12085550171", "+1 208-555-0171")],
    )
    [ada] = store.entries(list_id)
    [only] = all_numbers(ada)
    assert (only.label, only.dial, only.display) == ("Phone", "12085550171", "+1 208-555-0171")


def test_an_api_key_typed_into_a_row_is_masked(store: CallListStore) -> None:
    from a1dialer.core.redaction import MASK, register_secret

    register_secret("sekrit-key-123456")
    list_id = seeded(store)
    added = store.add_entry(
        list_id,
        entry_from_input("sekrit-key-123456", "", "", [("Phone", "2085550172")], US),
    )
    assert added.name == MASK
