"""CSV import with the files reps really have: Excel on Windows, Google Sheets, no headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from a1dialer.core.csv_columns import ColumnMap, guess_columns
from a1dialer.core.csv_import import MAX_REJECTED_KEPT, NO_NUMBER, CsvTable, convert, read_table
from a1dialer.core.errors import BadInput, Cancelled
from a1dialer.core.numbers import parse_dial_input


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_excel_on_windows_semicolons_and_windows_1252(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Name;Telefon;Firma;Notizen\r\n"
        'Jörg Müller;030 1234567;Müller GmbH;"Preis: 5€; bitte zurückrufen"\r\n'
        "Zoë Brünn;+49 89 123456;Café Ü;\r\n",
        encoding="cp1252",
    )
    table = read_table(path)
    assert (table.encoding, table.delimiter, table.has_header) == ("Windows-1252", ";", True)
    assert table.headers == ("Name", "Telefon", "Firma", "Notizen")
    assert guess_columns(table.headers) == ColumnMap(name=0, phone=1, company=2, notes=3)
    result = convert(table, guess_columns(table.headers), "DE", "e164")
    assert result.rejected == []
    first, second = result.entries
    assert (first.name, first.number, first.dial, first.display) == (
        "Jörg Müller", "030 1234567", "49301234567", "+49 30 1234567",
    )  # fmt: skip
    assert (first.company, first.notes) == ("Müller GmbH", "Preis: 5€; bitte zurückrufen")
    assert (second.name, second.company) == ("Zoë Brünn", "Café Ü")


def test_utf8_with_bom_commas_quoted_commas_and_blank_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Full Name,Company,Mobile Phone,Comments\n"
        '"Smith, Ann","Acme, Inc.",(208) 555-1234,"Said ""call after 3pm"""\n'
        "\n"
        "   \n"
        "José Núñez,Ñandú S.A.,208.555.9876,\n",
        encoding="utf-8-sig",
    )
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("UTF-8 with BOM", ",")
    assert table.headers[0] == "Full Name"  # no BOM glued to the first header
    mapping = guess_columns(table.headers)
    assert mapping == ColumnMap(name=0, phone=2, company=1, notes=3)
    result = convert(table, mapping, "US", "e164")
    assert [(e.name, e.company, e.dial) for e in result.entries] == [
        ("Smith, Ann", "Acme, Inc.", "12085551234"),
        ("José Núñez", "Ñandú S.A.", "12085559876"),
    ]
    assert result.entries[0].notes == 'Said "call after 3pm"'
    assert table.lines == [2, 5]  # blank lines skipped, line numbers still the file's


def test_bad_numbers_and_duplicates_are_listed_with_line_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "name\tphone\n"
        "Ann\t208-555-1234\n"
        "Bob\tcall me\n"
        "Cy\t\n"
        "Di\t12\n"
        "Ed\t+1 (208) 555 1234\n"
        "Fay\t208 555 1234 or 208 555 9999\n"
        "Gus\t208-555-1000 x 42\n"
        "Hal\t123\n"
        "Ivy\t555123\n"
        "Jo\t(208) 555-12345\n",
    )
    table = read_table(path)
    assert table.delimiter == "\t"
    result = convert(table, guess_columns(table.headers), "US", "plus-e164")
    assert [(e.name, e.dial) for e in result.entries] == [
        ("Ann", "+12085551234"),
        ("Gus", "+12085551000"),
    ]
    assert result.entries[1].notes == "Ask for extension 42."

    def sentence(text: str) -> str:
        with pytest.raises(BadInput) as refused:
            parse_dial_input(text, "US", "plus-e164")
        return refused.value.sentence

    assert [(r.line, r.text, r.reason) for r in result.rejected] == [
        (3, "Bob\tcall me", sentence("call me")),
        (4, "Cy\t", NO_NUMBER),
        (5, "Di\t12", "12 is too short for a phone number; check the digits."),
        (6, "Ed\t+1 (208) 555 1234", "+1 208-555-1234 is already on this list (line 2)."),
        (7, "Fay\t208 555 1234 or 208 555 9999", sentence("208 555 1234 or 208 555 9999")),
        (9, "Hal\t123", "123 is too short for a phone number; check the digits."),
        (10, "Ivy\t555123", sentence("555123")),
        (11, "Jo\t(208) 555-12345", sentence("(208) 555-12345")),
    ]
    assert "one digit too many for a number in United States" in result.rejected[-1].reason


@pytest.mark.parametrize("header", ["Ext", "Ext.", "Extension", "Extension Number"])
def test_extensions_come_only_from_a_column_named_as_one(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"Name,{header}\nAnn,1007\nBob,55\nCy,123456\nDi,208-555-1234\n")
    table = read_table(path)
    result = convert(table, ColumnMap(name=0, phone=1), "US", "e164")
    assert [(e.name, e.dial, e.display) for e in result.entries] == [
        ("Ann", "1007", "1007"),
        ("Bob", "55", "55"),
        ("Di", "12085551234", "+1 208-555-1234"),
    ]
    [rejected] = result.rejected
    assert (rejected.line, rejected.reason) == (
        4,
        "123456 is too short for a number in United States; check for missing digits.",
    )
    # The admin's extension_digits decides which lengths an extension column holds.
    wider = convert(table, ColumnMap(name=0, phone=1), "US", "e164", extension_digits="4-6")
    assert [e.dial for e in wider.entries] == ["1007", "123456", "12085551234"]


@pytest.mark.parametrize("header", ["Phone", "Number", "Column 2", "Internal"])
def test_a_phone_column_never_holds_extensions(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"Name,{header}\nAnn,1007\nBob,*97\nCy,2085551234\n")
    table = read_table(path)
    result = convert(table, ColumnMap(name=0, phone=1), "US", "e164")
    assert [e.dial for e in result.entries] == ["12085551234"]
    assert [(r.line, r.reason) for r in result.rejected] == [
        (2, "1007 is too short for a phone number; check the digits."),
        (3, "*97 is a feature code, not a phone number."),
    ]


def test_pipes_and_a_file_without_a_header_row(tmp_path: Path) -> None:
    path = write(tmp_path, "Ann|2085551234|Acme\nBob|2085559876|Beta\n")
    table = read_table(path)
    assert (table.delimiter, table.has_header) == ("|", False)
    assert table.headers == ("Column 1", "Column 2", "Column 3")
    assert len(table.rows) == 2
    result = convert(table, ColumnMap(name=0, phone=1, company=2), "US", "e164")
    assert [e.name for e in result.entries] == ["Ann", "Bob"]


def test_one_number_per_line_is_a_list_of_phone_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "208-555-1234\n+44 20 7946 0123\n")
    table = read_table(path)
    assert table.headers == ("Column 1",)
    mapping = guess_columns(table.headers)
    assert mapping.phone == 0
    assert [e.dial for e in convert(table, mapping, "US", "e164").entries] == [
        "12085551234",
        "442079460123",
    ]


def test_first_and_last_name_columns_are_joined(tmp_path: Path) -> None:
    path = write(tmp_path, "First Name,Last Name,Organisation,Tel.\nAnn,Lee,Acme,2085551234\n")
    table = read_table(path)
    mapping = guess_columns(table.headers)
    assert mapping == ColumnMap(name=0, last_name=1, company=2, phone=3)
    [entry] = convert(table, mapping, "US", "e164").entries
    assert (entry.name, entry.company) == ("Ann Lee", "Acme")


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (("Telephone", "Contact"), ColumnMap(name=1, phone=0)),
        (("E-mail", "Phone Number", "Account Name"), ColumnMap(phone=1, company=2)),
        (("Cell", "Customer", "Remarks"), ColumnMap(name=1, phone=0, notes=2)),
        (
            ("Number", "Name", "Organization", "Note"),
            ColumnMap(name=1, phone=0, company=2, notes=3),
        ),
        (("Email", "City"), ColumnMap()),
        (("Nom", "Téléphone", "Société"), ColumnMap(name=0, phone=1, company=2)),
        (("Kunde", "Rufnummer"), ColumnMap(name=0, phone=1)),
        (("Company Name", "Company Phone"), ColumnMap(phone=1, company=0)),
        (("Account Number", "Mobile", "Name"), ColumnMap(name=2, phone=1)),
        (("Customer ID", "Customer", "Phone"), ColumnMap(name=1, phone=2)),
        (
            ("Nombre", "Teléfono", "Empresa", "Notas"),
            ColumnMap(name=0, phone=1, company=2, notes=3),
        ),
    ],
)
def test_column_names_in_common_variants(headers: tuple[str, ...], expected: ColumnMap) -> None:
    assert guess_columns(headers) == expected


def test_a_file_without_a_phone_column_says_what_to_do(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Name,Email\nAnn,ann@example.com\n"))
    mapping = guess_columns(table.headers)
    assert mapping.phone is None
    with pytest.raises(BadInput, match="Choose the column that holds the phone numbers"):
        convert(table, mapping, "US", "e164")


def test_a_bad_default_country_is_one_error_not_a_rejected_row_each(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Phone\n2085551234\n"))
    with pytest.raises(BadInput, match="two-letter country code"):
        convert(table, ColumnMap(phone=0), "XX", "e164")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"PK\x03\x04rest of a workbook", "Excel workbook"),
        (b"\x00\x01\x02binary", "not a text file"),
        (b"\n\n  \n", "no rows to import"),
    ],
)
def test_files_that_are_not_csv_are_refused(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=fragment):
        read_table(path)


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(BadInput, match="is a folder"):
        read_table(tmp_path)


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffName\tPhone\r\nÅsa\t2085551234\r\n", encoding="utf-16-le")
    table = read_table(path)
    assert (table.encoding, table.delimiter, table.headers) == ("UTF-16", "\t", ("Name", "Phone"))
    assert convert(table, guess_columns(table.headers), "US", "e164").entries[0].name == "Åsa"


def test_bytes_windows_1252_leaves_undefined_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Name,Phone\nA\x81nn,2085551234\n")
    table = read_table(path)
    assert table.encoding == "ISO-8859-1"
    assert table.rows == [["A\x81nn", "2085551234"]]


def big_table(tmp_path: Path, rows: int) -> CsvTable:
    lines = "".join(f"C{n},208555{n:04d}\n" for n in range(rows))
    return read_table(write(tmp_path, "Name,Phone\n" + lines, name="big.csv"))


def test_progress_is_reported_and_cancel_stops_the_import(tmp_path: Path) -> None:
    table = big_table(tmp_path, 2000)
    size = table.path.stat().st_size
    seen: list[tuple[int, int]] = []
    result = convert(table, ColumnMap(name=0, phone=1), "US", "e164", lambda *p: seen.append(p))
    assert len(result.entries) == 2000
    assert seen[0][1] == size
    assert seen[0][0] < size // 2  # the first report comes near the start of the file
    assert seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) >= 4
    polls: list[int] = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 2

    with pytest.raises(Cancelled):
        convert(table, ColumnMap(name=0, phone=1), "US", "e164", None, cancelled)
    assert len(polls) == 3


# --- hostile and broken files ----------------------------------------------------------------


def test_a_cell_over_the_csv_field_limit_is_a_rejected_row(tmp_path: Path) -> None:
    huge = "x" * 140_000
    path = write(tmp_path, f"Name,Phone\nAnn,2085551234\n{huge},2085551235\nCy,2085551236\n")
    table = read_table(path)
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert [e.name for e in result.entries] == ["Ann", "Cy"]
    [rejected] = result.rejected
    assert rejected.line == 3
    assert "longer than 131,072 characters" in rejected.reason


def test_a_quote_never_closed_swallows_no_more_than_the_field_limit(tmp_path: Path) -> None:
    rows = "".join(f"N{n},{2085550000 + n}\n" for n in range(20_000))
    path = write(tmp_path, f'Name,Phone\nAnn,2085551234\n"Bob,2085551235\n{rows}')
    table = read_table(path)
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert result.rejected[0].line == 3
    assert "quote that is never closed" in result.rejected[0].reason
    assert len(result.entries) > 10_000  # the rows after the swallowed ones are imported


def test_a_100_mb_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as handle:
        handle.write(b"Name,Phone\nAnn,2085551234\n")
        chunk = b"y" * (1024 * 1024)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b",2085551235\nCy,2085551236\n")
    table = read_table(path)
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert [e.name for e in result.entries] == ["Ann", "Cy"]
    [rejected] = result.rejected
    assert (rejected.line, rejected.text) == (3, "")
    assert "longer than 1 MB" in rejected.reason


def test_a_file_that_is_one_100_mb_line_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("wb") as handle:
        for _ in range(100):
            handle.write(b"2085551234," * 95_000)
    with pytest.raises(BadInput, match="no line that reads as a CSV row"):
        read_table(path)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (PNG, "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "Excel workbook"),
        (bytes(range(1, 32)) * 100, "not a text file"),
    ],
)
def test_pictures_and_workbooks_renamed_csv_are_one_sentence(
    tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=fragment):
        read_table(path)


def test_a_nul_byte_deep_in_the_file_stops_nothing(tmp_path: Path) -> None:
    rows = "".join(f"N{n},{2085550000 + n}\n" for n in range(300))
    path = tmp_path / "nul.csv"
    path.write_bytes(f"Name,Phone\n{rows}".encode() + b"Bad\x00,2085559999\nZed,2085558888\n")
    table = read_table(path)
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert len(result.entries) == 302
    assert result.entries[301].name == "Zed"


def test_utf8_and_windows_1252_lines_in_one_file_are_each_read_right(tmp_path: Path) -> None:
    path = tmp_path / "pasted.csv"
    path.write_bytes(
        "Name,Phone\nJosé Núñez,2085551234\n".encode()
        + "Jörg Müller,2085551235\n".encode("cp1252")
        + "Zoë,2085551236\n".encode()
    )
    table = read_table(path)
    assert table.encoding == "UTF-8 and Windows-1252, line by line"
    assert "each line was read in its own encoding" in table.warning
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert [e.name for e in result.entries] == ["José Núñez", "Jörg Müller", "Zoë"]


def test_a_plain_file_has_no_encoding_warning(tmp_path: Path) -> None:
    table = read_table(write(tmp_path, "Name,Phone\nJörg,2085551234\n", encoding="cp1252"))
    assert (table.encoding, table.warning) == ("Windows-1252", "")


def test_rejected_rows_beyond_the_kept_ones_are_counted(tmp_path: Path) -> None:
    rows = "".join(f"N{n},call me\n" for n in range(MAX_REJECTED_KEPT + 5))
    table = read_table(write(tmp_path, "Name,Phone\n" + rows))
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert len(result.entries) == 0
    assert len(result.rejected) == MAX_REJECTED_KEPT
    assert result.rejected_count == MAX_REJECTED_KEPT + 5
    assert result.rejected[0].line == 2


def test_excel_for_mac_lines_ending_in_a_bare_cr(tmp_path: Path) -> None:
    path = write(tmp_path, "Name,Phone\rJörg,2085551234\rAnn,2085551235\r", encoding="cp1252")
    table = read_table(path)
    assert (table.encoding, table.headers) == ("Windows-1252", ("Name", "Phone"))
    result = convert(table, guess_columns(table.headers), "US", "e164")
    assert [(e.name, e.dial) for e in result.entries] == [
        ("Jörg", "12085551234"),
        ("Ann", "12085551235"),
    ]
