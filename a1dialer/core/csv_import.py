"""Read a spreadsheet's CSV export into call-list entries, listing every row that cannot be used.

Real exports are messy: Excel on Windows writes Windows-1252 with semicolons, Google Sheets UTF-8
with commas, "Unicode text" is UTF-16 with tabs, some files start with a byte order mark, some have
no header row. ``read_table`` detects all of that; ``guess_columns`` picks the name, phone, company
and notes columns from the header names; ``convert`` turns each row's number into what the PBX
dials with ``numbers.parse_dial_input``, so a rejected row carries the sentence the dialer would
show for that number. A short digit string becomes an internal extension only in a column named
as one ("Ext", "Extension"); in a phone column it is a rejected row. No row is dropped silently:
each is either an entry or a ``RejectedRow``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from a1dialer.core.call_lists import NewEntry
from a1dialer.core.errors import BadInput, Cancelled
from a1dialer.core.numbers import parse_dial_input

DELIMITERS = (",", ";", "\t", "|")
MAX_FILE_BYTES = 200 * 1024 * 1024
SAMPLE_ROWS = 50
NO_NUMBER = "The phone column is empty in this row."
# The text of a rejected row as shown to the rep: enough to recognise it, never a whole page.
_MAX_ROW_TEXT = 200
_PROGRESS_EVERY = 500
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
}

# Header words, compared after folding case and dropping everything but letters and digits.
_NAME_HEADERS = ("name", "fullname", "contact", "contactname", "customer", "customername",
                 "person", "nom", "nombre", "kontakt", "kunde", "kundenname", "ansprechpartner",
                 "cliente", "client")  # fmt: skip
_FIRST_NAME_HEADERS = ("firstname", "first", "givenname", "forename", "vorname", "prenom")
_LAST_NAME_HEADERS = ("lastname", "last", "surname", "familyname", "nachname", "nomdefamille")
_PHONE_HEADERS = (
    "phone", "phonenumber", "telephone", "telephonenumber", "tel", "telnumber", "mobile",
    "mobilephone", "mobilenumber", "cell", "cellphone", "number", "phoneno", "telefon",
    "telefono", "telefone", "handy", "businessphone", "workphone", "primaryphone", "directdial",
    "contactnumber", "phone1", "mobile1", "rufnummer", "telefonnummer", "mobilnummer", "numero",
    "numerodetelephone", "celular", "movil", "portable",
)  # fmt: skip
# "Company Phone", "Home Phone", "Mobile Phone": a phone column whatever its first word.
_IDENTIFIERS = ("number", "id", "nr", "no", "code")
_PHONE_SUFFIXES = ("phone", "phonenumber", "mobile", "telephone", "telefon", "telefono")
_COMPANY_HEADERS = ("company", "companyname", "organisation", "organization", "org", "account",
                    "accountname", "business", "firm", "employer", "firma", "unternehmen",
                    "empresa", "societe")  # fmt: skip
# Columns whose short digit strings are internal extensions rather than truncated numbers.
_EXTENSION_HEADERS = frozenset(("ext", "extn", "extension", "extensionnumber", "extno", "extnumber",
                                "phoneextension", "phoneext"))  # fmt: skip
_NOTES_HEADERS = ("notes", "note", "comment", "comments", "remarks", "description", "details",
                  "memo", "info", "notizen", "bemerkung", "notas")  # fmt: skip
_HEADER_WORDS = frozenset(
    _NAME_HEADERS + _FIRST_NAME_HEADERS + _LAST_NAME_HEADERS + _PHONE_HEADERS + _COMPANY_HEADERS
    + _NOTES_HEADERS + ("email", "emailaddress", "title", "city", "address", "country", "id")
)  # fmt: skip
_NOT_A_WORD = re.compile(r"[\W_]+")
_LONG_DIGIT_RUN = re.compile(r"\d[\d\s().\-/]{5,}\d")


@dataclass(frozen=True)
class CsvTable:
    """A whole CSV file as text: its header names and data rows, and how it was read."""

    path: Path
    encoding: str  # as shown to the rep: "UTF-8", "UTF-8 with BOM", "Windows-1252", ...
    delimiter: str
    has_header: bool
    headers: tuple[str, ...]  # from the header row, or "Column 1", "Column 2", ... without one
    rows: list[list[str]]  # data rows, blank lines left out
    lines: list[int] = field(repr=False)  # the file line each row starts on, for the rep


@dataclass(frozen=True)
class ColumnMap:
    """Which column (index into ``CsvTable.headers``) holds what; ``None`` for none.

    ``last_name`` is joined after ``name`` when a file splits first and last names.
    """

    name: int | None = None
    phone: int | None = None
    company: int | None = None
    notes: int | None = None
    last_name: int | None = None


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its file line, its text, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    entries: list[NewEntry]
    rejected: list[RejectedRow]


# --- reading ------------------------------------------------------------------------------------


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The file's text and its encoding's codec name."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInput(
            f"{path.name} is an Excel workbook, not a CSV file; in Excel choose "
            "File > Save As > CSV, then import that file."
        )
    if b"\x00" in raw[:4096]:
        raise BadInput(f"{path.name} is not a text file; export the list as CSV and import that.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return raw.decode("latin-1"), "latin-1"


def _score(lines: Sequence[str], delimiter: str) -> tuple[int, int]:
    """How well ``delimiter`` splits the sample: rows agreeing on the usual column count (more
    than one column), then that count."""
    counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
    if not counts:
        return 0, 0
    usual = max(set(counts), key=counts.count)
    if usual < 2:
        return 0, 1
    return counts.count(usual), usual


def _detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()]
    scores = {delimiter: _score(lines, delimiter) for delimiter in DELIMITERS}
    best = max(scores.values())
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    # The sniffer knows quoting; the column-count agreement keeps it honest on odd samples.
    if sniffed in scores and scores[sniffed] == best:
        return sniffed
    return next(delimiter for delimiter in DELIMITERS if scores[delimiter] == best)


def _fold_header(text: str) -> str:
    """ "Téléphone No." -> "telephoneno": case, accents and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_A_WORD.sub("", plain.casefold())


def _looks_like_header(first: list[str], others: list[list[str]]) -> bool:
    """A header names columns: a known word, or no long digit run where data rows have them."""
    if any(_LONG_DIGIT_RUN.search(cell) for cell in first):
        return False
    if any(_fold_header(cell) in _HEADER_WORDS for cell in first):
        return True
    return any(_LONG_DIGIT_RUN.search(cell) for row in others for cell in row)


def read_table(path: Path | str, sample_rows: int = SAMPLE_ROWS) -> CsvTable:
    """Read the whole file; the first ``sample_rows`` lines decide delimiter and header."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(
                f"{path.name} is {size / 1024 / 1024:,.0f} MB; a call list file can be at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"The file {path} does not exist.") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a folder; choose a CSV file.") from None
    except OSError as exc:
        raise BadInput(f"The file {path} could not be read: {exc.strerror}.") from None
    text, codec = _decode(raw, path)
    sample = "\n".join(text.splitlines()[: max(2, sample_rows)])
    delimiter = _detect_delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    last_line = 0
    try:
        for row in reader:
            start, last_line = last_line + 1, reader.line_num
            if "".join(row).strip():  # blank lines and ",,," rows hold nothing
                rows.append(row)
                lines.append(start)
    except csv.Error as exc:  # a NUL byte or similar deep in the file
        raise BadInput(
            f"{path.name} line {reader.line_num} cannot be read as CSV: {exc}."
        ) from None
    if not rows:
        raise BadInput(f"{path.name} has no rows to import.")
    has_header = _looks_like_header(rows[0], rows[1:sample_rows])
    width = max(len(row) for row in rows[:sample_rows])
    if has_header:
        names = [cell.strip() for cell in rows[0]]
        headers = tuple(name or f"Column {i + 1}" for i, name in enumerate(names))
        headers += tuple(f"Column {i + 1}" for i in range(len(headers), width))
        rows, lines = rows[1:], lines[1:]
    else:
        headers = tuple(f"Column {i + 1}" for i in range(width))
    return CsvTable(path, _ENCODING_NAMES[codec], delimiter, has_header, headers, rows, lines)


# --- columns ------------------------------------------------------------------------------------


def _find(
    folded: list[str], words: tuple[str, ...], taken: set[int], suffixes: tuple[str, ...] = ()
) -> int | None:
    """The first column named exactly one of ``words``, else one whose name starts with one,
    else one whose name ends with one of ``suffixes``."""
    for word in words:
        for index, name in enumerate(folded):
            if index not in taken and name == word:
                return index
    for index, name in enumerate(folded):
        if index in taken or not name or (not suffixes and name.endswith(_IDENTIFIERS)):
            continue  # "Account Number" is not the company, "Customer ID" not the name
        if any(name.startswith(w) for w in words if len(w) > 3):
            return index
    for index, name in enumerate(folded):
        if index not in taken and suffixes and name.endswith(suffixes):
            return index
    return None


def guess_columns(headers: Sequence[str]) -> ColumnMap:
    """Guess the columns from header names ("Phone", "Mobile", "Tel.", "Company", "Notes", ...).

    Without any phone-like name, a lone data column is taken as the phone numbers.
    """
    folded = [_fold_header(header) for header in headers]
    taken: set[int] = set()

    def pick(words: tuple[str, ...], suffixes: tuple[str, ...] = ()) -> int | None:
        index = _find(folded, words, taken, suffixes)
        if index is not None:
            taken.add(index)
        return index

    phone = pick(_PHONE_HEADERS, _PHONE_SUFFIXES)
    if phone is None and len(headers) == 1:
        phone = 0
        taken.add(0)
    name = pick(_NAME_HEADERS)
    last_name = None
    if name is None:
        name = pick(_FIRST_NAME_HEADERS)
        last_name = pick(_LAST_NAME_HEADERS)
        if name is None:
            name, last_name = last_name, None
    company = pick(_COMPANY_HEADERS)
    notes = pick(_NOTES_HEADERS)
    return ColumnMap(name=name, phone=phone, company=company, notes=notes, last_name=last_name)


# --- converting ---------------------------------------------------------------------------------


def _row_text(row: list[str], delimiter: str) -> str:
    text = delimiter.join(row).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= _MAX_ROW_TEXT else text[: _MAX_ROW_TEXT - 1] + "…"


def convert(
    table: CsvTable,
    mapping: ColumnMap,
    default_country: str,
    number_format: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    *,
    reject_duplicates: bool = True,
    extension_digits: str = "2-5",
) -> ImportResult:
    """Turn each row into a ``NewEntry``, or a ``RejectedRow`` saying why not.

    ``progress(done, total)`` is called every few hundred rows and at the end; ``cancelled()``
    is polled as often and raises ``Cancelled`` when it returns true. A number that appears
    again later in the file is rejected there, naming the line it first appeared on (with
    ``reject_duplicates=False`` it is simply left out). Extensions (``extension_digits``) are
    kept only from a column named as one; elsewhere they are rejected as too short.
    """
    if mapping.phone is None:
        raise BadInput("Choose the column that holds the phone numbers.")
    # Checked once here (a bad setting is one error, not 50,000 rejected rows).
    parse_dial_input(
        "+12085551234", default_country, number_format, extension_digits=extension_digits
    )
    phone, total = mapping.phone, len(table.rows)
    header = table.headers[phone] if phone < len(table.headers) else ""
    extensions_allowed = _fold_header(header) in _EXTENSION_HEADERS
    seen: dict[str, int] = {}
    entries: list[NewEntry] = []
    rejected: list[RejectedRow] = []

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    for done, (row, line) in enumerate(zip(table.rows, table.lines, strict=True)):
        if done % _PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise Cancelled("The import was cancelled; nothing was imported.")
            if progress is not None:
                progress(done, total)
        number = cell(row, phone)
        if not number:
            rejected.append(RejectedRow(line, _row_text(row, table.delimiter), NO_NUMBER))
            continue
        try:
            target = parse_dial_input(
                number, default_country, number_format, extension_digits=extension_digits
            )
        except BadInput as exc:
            rejected.append(RejectedRow(line, _row_text(row, table.delimiter), exc.sentence))
            continue
        if target.is_extension and not extensions_allowed:
            reason = (
                f"{number} is a feature code, not a phone number."
                if target.dial.startswith("*")
                else f"{number} is too short for a phone number; check the digits."
            )
            rejected.append(RejectedRow(line, _row_text(row, table.delimiter), reason))
            continue
        first = seen.setdefault(target.dial, line)
        if first != line:
            if not reject_duplicates:
                continue
            reason = f"{target.display} is already on this list (line {first})."
            rejected.append(RejectedRow(line, _row_text(row, table.delimiter), reason))
            continue
        name = " ".join(part for part in (cell(row, mapping.name), cell(row, mapping.last_name))
                        if part)  # fmt: skip
        notes = cell(row, mapping.notes)
        if target.extension_hint:  # the PBX dials the main number; the rep asks for the rest
            notes = f"Ask for extension {target.extension_hint}. {notes}".rstrip()
        entries.append(
            NewEntry(
                name=name,
                number=number,
                dial=target.dial,
                display=target.display,
                company=cell(row, mapping.company),
                notes=notes,
            )
        )
    if progress is not None:
        progress(total, total)
    return ImportResult(entries, rejected)
