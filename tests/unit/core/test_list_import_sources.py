"""List import beyond one phone column: Mobile fallback, do-not-call rows, Excel workbooks."""

from __future__ import annotations

import random
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from a1dialer.core.call_lists import CallListStore, EntryNumber
from a1dialer.core.calllog import CallLog
from a1dialer.core.csv_columns import ColumnMap, guess_columns
from a1dialer.core.csv_import import convert, preview_numbers, read_table
from a1dialer.core.do_not_call import DoNotCallList
from a1dialer.core.errors import BadInput
from a1dialer.core.numbers import NumberShapes, parse_dial_input
from a1dialer.core.xlsx_import import cell_text

LEADS = (
    "Name,Phone,Mobile,Work,Company\n"
    "Ann,,208 555 0101,,Acme\n"  # only a Mobile
    "Bob,123,(208) 555-0102,208 555 0199,Globex\n"  # a cut-off Phone: its Mobile, all kept
    "Cy,208 555 0103,208 555 0103,,Initech\n"  # the same number twice is one
    "Di,,,,Hooli\n"  # nothing to dial
    "Ed,nope,,,Umbrella\n"  # the Phone's reason is the row's
)


def write(tmp_path: Path, text: str, name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_row_without_a_usable_phone_is_dialled_on_its_mobile(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, LEADS))
    mapping = guess_columns(table.headers)
    assert mapping == ColumnMap(name=0, phone=1, company=4, more_phones=(2, 3))
    result = convert(table, mapping, "US", "e164")
    ann, bob, cy = result.entries
    assert (ann.name, ann.number, ann.dial, ann.numbers) == (
        "Ann", "208 555 0101", "12085550101", (),
    )  # fmt: skip
    assert (bob.number, bob.dial) == ("(208) 555-0102", "12085550102")
    assert bob.numbers == (
        EntryNumber("Mobile", "(208) 555-0102", "12085550102", "+1 208-555-0102"),
        EntryNumber("Work", "208 555 0199", "12085550199", "+1 208-555-0199"),
    )
    assert (cy.dial, cy.numbers) == ("12085550103", ())
    assert [(r.line, r.reason) for r in result.rejected] == [
        (5, "Every phone column is empty in this row."),
        (6, '"nope" is not a phone number: letters are only allowed in numbers such as '
            "1-800-FLOWERS."),
    ]  # fmt: skip


def test_the_order_of_the_phone_columns_decides_the_number_dialled(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, LEADS))
    work_first = ColumnMap(name=0, phone=3, more_phones=(2, 1))
    bob = convert(table, work_first, "US", "e164").entries[1]
    assert (bob.dial, [n.label for n in bob.numbers]) == ("12085550199", ["Work", "Mobile"])
    # A column left out is neither dialled nor kept.
    only_phone = convert(table, ColumnMap(name=0, phone=1), "US", "e164")
    assert [e.name for e in only_phone.entries] == ["Cy"]
    assert [r.reason for r in only_phone.rejected][:2] == [
        "The phone column is empty in this row.",
        "123 is too short for a phone number; check the digits.",
    ]


def test_the_preview_says_what_the_import_will_dial(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, LEADS))
    mapping = guess_columns(table.headers)
    shown = preview_numbers(table, mapping, "US", "e164", blocked={"12085550103"})
    assert shown == [
        ("Mobile", "+1 208-555-0101", False),
        ("Mobile", "+1 208-555-0102", False),
        ("Phone", "+1 208-555-0103", True),
        ("", "Every phone column is empty in this row.", False),
        ("", shown[4][1], False),
    ]


def test_phone_columns_never_hold_extensions_but_extension_columns_do(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Name,Phone,Mobile,Ext\nAnn,123,55,1007\nBo,,,\n"))
    mapping = guess_columns(table.headers)
    assert mapping.phones == (1, 2)  # "Ext" is not a phone column
    result = convert(table, mapping, "US", "e164")
    assert len(result.entries) == 0
    assert result.rejected[0].reason == "123 is too short for a phone number; check the digits."
    with_ext = convert(table, ColumnMap(phone=1, more_phones=(3,)), "US", "e164")
    assert [e.dial for e in with_ext.entries] == ["1007"]


@pytest.mark.parametrize(
    ("headers", "phones"),
    [
        (("Name", "Telefon", "Handy", "Telefon privat"), (1, 2, 3)),
        (("Vorname", "Nachname", "Mobiltelefon", "Festnetz", "Büro"), (2, 3, 4)),
        (("Nom", "Téléphone", "Portable", "Domicile"), (1, 2, 3)),
        (("Nome", "Cellulare", "Ufficio"), (1, 2)),
        (("Nombre", "Móvil", "Teléfono fijo", "Oficina"), (1, 3, 2)),
        (("Nome", "Telemóvel", "Telefone", "Escritório"), (2, 1, 3)),
        (("Имя", "Мобильный телефон", "Рабочий телефон", "Компания"), (1, 2)),
        (("Ime", "Mobilni", "Kućni", "Posao"), (1, 2, 3)),
        (("Име", "Број телефона", "Мобилни"), (2, 1)),
        (("Name", "Work Email", "Home Address", "Home", "Work"), (4, 3)),
    ],
)
def test_phone_columns_in_every_language_the_matcher_knows(
    headers: tuple[str, ...], phones: tuple[int, ...]
) -> None:
    mapping = guess_columns(headers)
    assert mapping.phones == phones
    assert mapping.name == 0


def test_a_german_export_imports_its_handy_when_the_telefon_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "kunden.csv"
    path.write_bytes(
        "Name;Telefon;Handy;Firma\r\nJörg;;0151 23456789;Müller GmbH\r\n".encode("cp1252")
    )
    table = read_table(path)
    [entry] = convert(table, guess_columns(table.headers), "DE", "e164").entries
    assert (entry.name, entry.dial, entry.company) == ("Jörg", "4915123456789", "Müller GmbH")


def test_rows_on_the_do_not_call_list_are_flagged_and_counted(
    tmp_path: Path, call_log: CallLog
) -> None:
    dnc = DoNotCallList(call_log)
    dnc.add("12085550103", "+1 208-555-0103")  # Cy's only number
    dnc.add("12085550102", "+1 208-555-0102")  # Bob's Mobile: his Work number is dialled
    table = read_table(write(tmp_path, LEADS))
    result = convert(table, guess_columns(table.headers), "US", "e164", blocked=dnc.keys())
    ann, bob, cy = result.entries
    assert result.dnc_count == 1
    assert (ann.dnc, bob.dnc, cy.dnc) == (False, False, True)
    assert bob.dial == "12085550199"
    assert cy.dial == "12085550103"  # kept, to be shown struck through, never dialled
    list_id = CallListStore(call_log).create_list("Leads", result.entries)
    stored = CallListStore(call_log).entries(list_id)
    assert [(e.name, e.dnc) for e in stored] == [("Ann", False), ("Bob", False), ("Cy", True)]
    assert [n.label for n in stored[1].numbers] == ["Mobile", "Work"]


def test_the_number_shapes_of_an_import_read_every_number_as_the_full_parse_does() -> None:
    rng = random.Random(14)
    formats = [
        "({a}) {b}-{c}", "{a}.{b}.{c}", "+1 {a} {b} {c}", "1{a}{b}{c}", "1 {a} {b} {c}",
        "+44 20 {b}{c}", "020 {b}{c} {c}", "+49 151 {b}{c}", "0151 {b} {c}{c}",
        "+39 06 {b}{c}", "+55 11 9{b} {c}", "+61 4{b} {c}", "+7 9{b}{c}", "+33 6 {b} {c}",
        "{a}-{b}-{c} x{b}", "+1 {a} {b} {c}5", "+1 800 {b} {c}", "({a}) {b}-{c}{b}",
    ]  # fmt: skip
    numbers = []
    for _n in range(2500):
        area = rng.choice([208, 212, 415, 303, 617, 416, 800, 555, 100, 911])
        numbers.append(
            rng.choice(formats).format(
                a=area, b=rng.randint(0, 999), c=f"{rng.randint(0, 9999):04}"
            )
        )
    for country in ("US", "CA", "GB", "DE", "IT"):
        for number_format in ("e164", "plus-e164", "national"):
            shapes = NumberShapes()
            for number in numbers:
                try:
                    full = parse_dial_input(number, country, number_format)
                    expected: object = (full.dial, full.display, full.extension_hint)
                except BadInput as exc:
                    expected = exc.sentence
                try:
                    fast = parse_dial_input(number, country, number_format, shapes=shapes)
                    got: object = (fast.dial, fast.display, fast.extension_hint)
                except BadInput as exc:
                    got = exc.sentence
                assert got == expected, (number, country, number_format)


# --- Excel workbooks ------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_imports_its_first_sheet_with_the_mobile_fallback(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "leads.xlsx",
        {
            "Leads": [
                ["Name", "Phone", "Mobile", "Met on", "Notes"],
                ["Ann", None, 2085550101, datetime(2026, 11, 3), "wants a demo"],
                [None, None, None, None, None],
                ["Bob", 12085550102.0, "", datetime(2026, 11, 4, 15, 30), 42],
                ["Cy", "n/a", None, None, None],
            ],
            "Archive": [["Name", "Phone"], ["Old", "208 555 0999"]],
        },
    )
    table = read_table(path)
    assert (table.sheet, table.sheets, table.encoding) == (
        "Leads", ("Leads", "Archive"), "Excel workbook",
    )  # fmt: skip
    assert table.headers == ("Name", "Phone", "Mobile", "Met on", "Notes")
    assert table.rows[0] == ["Ann", "", "2085550101", "2026-11-03", "wants a demo"]
    assert table.rows[1] == ["Bob", "12085550102", "", "2026-11-04 15:30", "42"]
    mapping = guess_columns(table.headers)
    result = convert(table, mapping, "US", "e164", lambda *_: None)
    assert [(e.name, e.dial, e.notes) for e in result.entries] == [
        ("Ann", "12085550101", "wants a demo"),
        ("Bob", "12085550102", "42"),
    ]
    [cy] = result.rejected
    assert (cy.line, cy.text) == (5, "Cy; n/a")  # the sheet's own row number
    archive = read_table(path, sheet="Archive")
    assert [e.name for e in convert(archive, guess_columns(archive.headers), "US", "e164")
            .entries] == ["Old"]  # fmt: skip


def test_a_workbook_renamed_csv_is_still_read_as_one(tmp_path: Path) -> None:
    path = workbook(tmp_path / "book.xlsx", {"Sheet": [["Phone"], ["208 555 0101"]]})
    renamed = path.rename(tmp_path / "book.csv")
    assert read_table(renamed).rows == [["208 555 0101"]]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12085551234.0, "12085551234"),
        (2085551234, "2085551234"),
        (1.5, "1.5"),
        (True, "TRUE"),
        (None, ""),
        (datetime(2026, 12, 5), "2026-12-05"),
    ],
)
def test_cells_read_as_the_text_excel_shows(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_unreadable_workbooks_are_one_sentence(tmp_path: Path) -> None:
    protected = tmp_path / "protected.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(BadInput, match=r"password-protected or an old \.xls workbook"):
        read_table(protected)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(300))
    with pytest.raises(BadInput, match="cannot be read as an Excel workbook"):
        read_table(broken)
    not_a_book = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(BadInput, match="cannot be read as an Excel workbook"):
        read_table(not_a_book)
    book = workbook(tmp_path / "book.xlsx", {"Leads": [["Phone"], ["208 555 0101"]]})
    with pytest.raises(BadInput, match="has no sheet named Nope; its sheets are: Leads"):
        read_table(book, sheet="Nope")
    empty = workbook(tmp_path / "empty.xlsx", {"Leads": []})
    with pytest.raises(BadInput, match="has no rows to import"):
        read_table(empty)
    with pytest.raises(BadInput, match="CSV file, which has no sheets"):
        read_table(write(tmp_path, LEADS), sheet="Leads")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "")
        # A shared-strings part that unpacks to 300 MB (the bytes are written as a stream).
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _n in range(300):
                part.write(chunk)
    with pytest.raises(BadInput, match="too large to import"):
        read_table(bomb)


def test_a_do_not_call_import_blocks_every_phone_column(tmp_path: Path, call_log: CallLog) -> None:
    dnc = DoNotCallList(call_log)
    path = write(tmp_path, "Name,Phone,Mobile\nAnn,208 555 0101,208 555 0102\nBo,,208 555 0103\n")
    added, rejected, _count = dnc.import_numbers(path, "US", "e164")
    assert (added, rejected) == (3, [])
    assert dnc.keys() == {"12085550101", "12085550102", "12085550103"}
