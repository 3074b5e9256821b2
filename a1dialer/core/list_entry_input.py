"""A call list row typed by the rep: its numbers checked with the rules an import uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from a1dialer.core.call_lists import EntryNumber, ListEntry, NewEntry
from a1dialer.core.calllog import MAX_NOTE_LENGTH
from a1dialer.core.csv_columns import EXTENSION_HEADERS, fold_header
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import parse_dial_input
from a1dialer.core.translation import _

MAX_FIELD = 200
MAX_LABEL = 40


class BadNumber(BadInput):
    """One of the row's numbers cannot be dialled; ``index`` says which (0 = the first)."""

    def __init__(self, sentence: str, index: int) -> None:
        super().__init__(sentence)
        self.index = index


@dataclass(frozen=True)
class NumberRules:
    """The settings a typed number is read with (as in ``parse_dial_input``)."""

    default_country: str = "US"
    number_format: str = "e164"
    extension_digits: str = "2-5"


def entry_from_input(
    name: str,
    company: str,
    notes: str,
    numbers: Sequence[tuple[str, str]],
    rules: NumberRules,
) -> NewEntry:
    """The row for what the rep typed: ``numbers`` are ``(label, text)`` pairs, the first one
    the number dialled; empty pairs are left out. ``BadInput`` (``BadNumber`` for a number)
    says what to fix in one sentence.

    As at import, a short digit string is an extension only under a label named as one
    ("Ext."), so "123" under "Phone" is a typo, not a call to a colleague.
    """
    name, company = " ".join(name.split()), " ".join(company.split())
    notes = notes.strip()
    if len(name) > MAX_FIELD or len(company) > MAX_FIELD:
        raise BadInput(
            _("A name or company can be at most {n} characters long.").format(n=MAX_FIELD)
        )
    if len(notes) > MAX_NOTE_LENGTH:
        raise BadInput(
            _("The notes can be at most {n:,} characters long.").format(n=MAX_NOTE_LENGTH)
        )
    checked: list[EntryNumber] = []
    hints: list[str] = []
    for index, (label, text) in enumerate(numbers):
        label, text = " ".join(label.split()), text.strip()
        if not text:
            continue
        label = label[:MAX_LABEL] or _("Phone")
        try:
            target = parse_dial_input(
                text,
                rules.default_country,
                rules.number_format,
                extension_digits=rules.extension_digits,
            )
        except BadInput as exc:
            raise BadNumber(exc.sentence, index) from None
        if target.is_extension and fold_header(label) not in EXTENSION_HEADERS:
            if target.dial.startswith("*"):
                sentence = _("{number} is a feature code, not a phone number.")
            else:
                sentence = _("{number} is too short for a phone number; check the digits.")
            raise BadNumber(sentence.format(number=text), index)
        if any(number.dial == target.dial for number in checked):
            raise BadNumber(
                _("{number} is in this row twice; remove one of them.").format(number=text), index
            )
        checked.append(EntryNumber(label, text, target.dial, target.display))
        if target.extension_hint:
            hints.append(target.extension_hint)
    if not checked:
        raise BadNumber(_("Type at least one phone number for this row."), 0)
    for hint in hints:  # the PBX dials the main number; the rep asks for the rest, as at import
        line = _("Ask for extension {extension}.").format(extension=hint)
        if line not in notes:
            notes = f"{line} {notes}".rstrip()
    main = checked[0]
    return NewEntry(
        name=name,
        number=main.number,
        dial=main.dial,
        display=main.display,
        company=company,
        notes=notes,
        numbers=tuple(checked),
    )


def all_numbers(entry: ListEntry) -> tuple[EntryNumber, ...]:
    """Every number of ``entry``, the main one first-class: a row imported with one number
    has no ``numbers``, and its number is shown as "Phone"."""
    if entry.numbers:
        return entry.numbers
    return (EntryNumber(_("Phone"), entry.number, entry.dial, entry.display),)


def with_main_number(entry: ListEntry, chosen: EntryNumber) -> NewEntry:
    """``entry`` as it is, but dialling ``chosen`` (one of its numbers) from now on."""
    return NewEntry(
        name=entry.name,
        number=chosen.number,
        dial=chosen.dial,
        display=chosen.display,
        company=entry.company,
        notes=entry.notes,
        numbers=entry.numbers,
    )
