"""Read a spreadsheet's CSV export into call-list entries, listing every row that cannot be used.

Real exports are messy: Excel on Windows writes Windows-1252 with semicolons, Google Sheets UTF-8
with commas, "Unicode text" is UTF-16 with tabs, some files start with a byte order mark, some have
no header row. ``read_table`` detects all of that; ``csv_columns.guess_columns`` picks the name,
phone, company and notes columns from the header names; ``convert`` turns each row's number into
what the PBX dials with ``numbers.parse_dial_input``, so a rejected row carries the sentence the
dialer would show for that number. A short digit string becomes an internal extension only in a
column named as one ("Ext", "Extension"); in a phone column it is a rejected row. No row is dropped
silently: each is either an entry or a ``RejectedRow``.

A file of a million rows never sits in memory: rows are read one line at a time (each line
decoded on its own, so a file pasted together from UTF-8 and Windows-1252 parts reads right), and
the entries are staged in a private temporary SQLite file (``StagedEntries``). A line over
``MAX_LINE_BYTES`` or a cell over the csv module's field limit is a rejected row; a picture or a
workbook renamed ``.csv`` is one ``BadInput`` sentence.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from a1dialer.core.call_lists import EntryNumber, NewEntry
from a1dialer.core.csv_columns import EXTENSION_HEADERS, HEADER_WORDS, ColumnMap, fold_header
from a1dialer.core.errors import BadInput, Cancelled
from a1dialer.core.numbers import DialTarget, NumberShapes, digits_only, parse_dial_input
from a1dialer.core.staged_entries import StagedEntries
from a1dialer.core.translation import N_, _

DELIMITERS = (",", ";", "\t", "|")
MAX_FILE_BYTES = 200 * 1024 * 1024
SAMPLE_ROWS = 50
# A physical line longer than this is no row of a list (a 100 MB line is skipped, never held).
MAX_LINE_BYTES = 1024 * 1024
# The rows that could not be used are kept for the rep up to this many; the rest are counted.
MAX_REJECTED_KEPT = 10_000
MIXED_WARNING = N_(
    "Some lines of this file are UTF-8 and others Windows-1252; each line was read in its own "
    "encoding. Check the names in the preview."
)
NO_NUMBER = N_("The phone column is empty in this row.")
# The text of a rejected row as shown to the rep: enough to recognise it, never a whole page.
_MAX_ROW_TEXT = 200
_PROGRESS_EVERY = 500
_YIELD_EVERY = 8
_YIELD_SECONDS = 0.004
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": N_("UTF-8 with BOM"),
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "ISO-8859-1",
    "cr-utf-8": "UTF-8",
    "cr-cp1252": "Windows-1252",
}
# The codecs decoded as a whole stream rather than line by line (see ``_Lines``).
_TEXT_CODECS = {"utf-16": "utf-16", "cr-utf-8": "utf-8-sig", "cr-cp1252": "cp1252"}

_LONG_DIGIT_RUN = re.compile(r"\d[\d\s().\-/]{5,}\d")


class SourceRow(NamedTuple):
    """One row as read: its first file line, its cells, and how far into the file it ends.

    ``problem`` is a sentence (and ``cells`` empty) for a line that cannot be a row: longer than
    ``MAX_LINE_BYTES``, or a cell over Python's CSV field limit.
    """

    line: int
    cells: list[str]
    problem: str
    offset: int  # bytes read so far, for progress


@dataclass(frozen=True)
class CsvTable:
    """How a CSV file reads: its header names, its first rows for a preview, and how it was read.

    The rows themselves are read again from the file, one at a time, by ``read_rows``: a file of a
    million rows never sits in memory.
    """

    path: Path
    encoding: str  # as shown to the rep: "UTF-8", "UTF-8 with BOM", "Windows-1252", ...
    delimiter: str
    has_header: bool
    headers: tuple[str, ...]  # from the header row, or "Column 1", "Column 2", ... without one
    rows: list[list[str]]  # the first data rows (up to ``SAMPLE_ROWS``), blank lines left out
    lines: list[int] = field(repr=False)  # the file line each of those rows starts on
    codec: str = field(default="utf-8", repr=False)  # how ``read_rows`` decodes the file
    warning: str = ""  # a sentence for the preview when the file needs a second look
    sheet: str = ""  # for a workbook (.xlsx): the sheet read, "" for a CSV file
    sheets: tuple[str, ...] = ()  # for a workbook: all its sheets, to choose another
    sheet_rows: int = field(default=0, repr=False)  # for a workbook: the sheet's rows in all

    def read_rows(self) -> Iterator[SourceRow]:
        """Every data row, read from the file one at a time (blank lines left out)."""
        rows = (
            _sheet_rows(self.path, self.sheet)
            if self.sheet
            else _read_rows(self.path, self.codec, self.delimiter)
        )
        if self.has_header:
            next(rows, None)
        return rows

    @property
    def size(self) -> int:
        """What ``convert`` reports progress against: the file's bytes, or a sheet's rows."""
        if self.sheet:
            return self.sheet_rows
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its file line, its text, and why."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """What an import made: the entries, and the rows that could not be used.

    ``rejected`` holds the first ``MAX_REJECTED_KEPT`` of them in file order;
    ``rejected_count`` counts them all; ``dnc_count`` counts the entries whose numbers are all on
    the do-not-call list.
    """

    entries: StagedEntries
    rejected: list[RejectedRow]
    rejected_count: int
    dnc_count: int = 0  # entries flagged do-not-call: imported, never dialled


# --- reading ------------------------------------------------------------------------------------


def _refuse_binary(head: bytes, path: Path) -> None:
    """A workbook, a picture, an archive: one sentence, before any of it is read as rows."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInput(
            _(
                "{name} is an Excel workbook, not a CSV file; in Excel choose "
                "File > Save As > CSV, then import that file."
            ).format(name=path.name)
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\r\n\f")
    if b"\x00" in head or controls > len(head) // 20:
        raise BadInput(
            _("{name} is not a text file; export the list as CSV and import that.").format(
                name=path.name
            )
        )


def _decode_line(raw: bytes) -> tuple[str, str]:
    """One line's text and codec: UTF-8 where it is valid UTF-8, else Windows-1252."""
    if raw.isascii():
        return raw.decode("ascii"), ""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # the five bytes Windows-1252 leaves undefined
        return raw.decode("latin-1"), "latin-1"


class _Lines:
    """A file's lines as text, each at most ``MAX_LINE_BYTES``; longer ones come out empty and
    are listed in ``too_long``.

    UTF-8 and Windows-1252 files are decoded line by line, so a file pasted together from both
    reads right on every line; UTF-16 has to be decoded as a whole stream.
    """

    def __init__(self, handle: BinaryIO, codec: str) -> None:
        self.too_long: set[int] = set()
        self.codecs: set[str] = set()  # the codecs the lines needed, "" for none (ASCII)
        self._handle = handle
        # UTF-16, and files whose lines end in a bare CR (Excel for Mac's "CSV (Macintosh)"),
        # are split into lines by a text stream; a bare CR is no line end to ``readline``.
        self._text = (
            io.TextIOWrapper(handle, encoding=_TEXT_CODECS[codec], errors="replace", newline="")
            if codec in _TEXT_CODECS
            else None
        )
        if codec == "utf-8-sig":
            handle.read(len(codecs.BOM_UTF8))
        self._number = 0

    @property
    def offset(self) -> int:
        return self._handle.tell() if self._text is None else self._text.buffer.tell()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._text is not None:
            text = self._text.readline(MAX_LINE_BYTES // 2)
            if not text:
                raise StopIteration
            self._number += 1
            if len(text) >= MAX_LINE_BYTES // 2 and not text.endswith(("\n", "\r")):
                while (rest := self._text.readline(MAX_LINE_BYTES // 2)) and not rest.endswith(
                    "\n"
                ):
                    pass
                self.too_long.add(self._number)
                return "\n"
            return text
        raw = self._handle.readline(MAX_LINE_BYTES)
        if not raw:
            raise StopIteration
        self._number += 1
        if len(raw) >= MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (tail := self._handle.readline(MAX_LINE_BYTES)) and not tail.endswith(b"\n"):
                pass  # the rest of the line is skipped unread, never held whole
            self.too_long.add(self._number)
            return "\n"
        text, codec = _decode_line(raw)
        if codec:
            self.codecs.add(codec)
        return text


def _open(path: Path) -> BinaryIO:
    """The file opened for reading, or one sentence why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(
                # Translators: {size} and {limit} are megabytes.
                _(
                    "{name} is {size:,.0f} MB; a list file can be at most {limit} MB. Split it "
                    "into smaller files."
                ).format(
                    name=path.name, size=size / 1024 / 1024, limit=MAX_FILE_BYTES // 1024 // 1024
                )
            )
        return path.open("rb")
    except FileNotFoundError:
        raise BadInput(_("The file {path} does not exist.").format(path=path)) from None
    except IsADirectoryError:
        raise BadInput(_("{path} is a folder; choose a CSV file.").format(path=path)) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> BadInput:
    # Translators: {reason} is the system's own description, e.g. "Permission denied".
    return BadInput(
        _("The file {path} could not be read: {reason}.").format(path=path, reason=exc.strerror)
    )


def _codec_of(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\r" in head and b"\n" not in head:  # lines end in a bare CR
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head)
        except UnicodeDecodeError:
            return "cr-cp1252"
        return "cr-utf-8"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8"


def _read_rows(path: Path, codec: str, delimiter: str) -> Iterator[SourceRow]:
    """Every non-blank row of the file, one at a time; a line that cannot be a row is a
    ``SourceRow`` with a ``problem`` instead of cells."""
    with _open(path) as handle:
        lines = _Lines(handle, codec)
        reader = csv.reader(lines, delimiter=delimiter)
        last_line = 0
        while True:
            start = last_line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a cell over the field limit, a stray quote
                last_line = reader.line_num
                yield SourceRow(start, [], _not_csv(lines, start, last_line, exc), lines.offset)
                continue
            last_line = reader.line_num
            if lines.too_long and any(n in lines.too_long for n in range(start, last_line + 1)):
                yield SourceRow(start, [], _not_csv(lines, start, last_line, None), lines.offset)
            elif "".join(row).strip():  # blank lines and ",,," rows hold nothing
                yield SourceRow(start, row, "", lines.offset)


def _not_csv(lines: _Lines, start: int, end: int, error: csv.Error | None) -> str:
    """Why the file's lines ``start``..``end`` are not a row, in the rep's words."""
    if lines.too_long.intersection(range(start, end + 1)):
        lines.too_long.difference_update(range(start, end + 1))
        return _(
            "This line is longer than {limit} MB; a row of a list cannot be this long."
        ).format(limit=MAX_LINE_BYTES // 1024 // 1024)
    if error is not None and "field limit" in str(error):
        return _(
            "A cell in this row is longer than {limit:,} characters (perhaps a quote that is "
            "never closed); fix the row and import it again."
        ).format(limit=csv.field_size_limit())
    # Translators: {error} is Python's CSV reader's own description of the problem, in English.
    return _("This row cannot be read as CSV ({error}); fix it and import it again.").format(
        error=error
    )


def _encoding_name(codec: str, found: set[str]) -> tuple[str, str]:
    """The encoding as shown to the rep, and a warning when lines were read in different ones."""
    if codec != "utf-8":
        seen = found - {"utf-8"}
        if codec == "utf-8-sig" and seen:
            return _("UTF-8 with BOM and Windows-1252, line by line"), _(MIXED_WARNING)
        return _(_ENCODING_NAMES[codec]), ""
    if "utf-8" in found and found - {"utf-8"}:
        return _("UTF-8 and Windows-1252, line by line"), _(MIXED_WARNING)
    if "cp1252" in found:
        return _ENCODING_NAMES["cp1252"], ""
    if "latin-1" in found:
        return _ENCODING_NAMES["latin-1"], ""
    return _ENCODING_NAMES["utf-8"], ""


def _score(lines: Sequence[str], delimiter: str) -> tuple[int, int]:
    """How well ``delimiter`` splits the sample: rows agreeing on the usual column count (more
    than one column), then that count."""
    counts: list[int] = []
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a cell over the field limit is not a row to count
            continue
        if row:
            counts.append(len(row))
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


def _looks_like_header(first: list[str], others: list[list[str]]) -> bool:
    """A header names columns: a known word, or no long digit run where data rows have them."""
    if any(_LONG_DIGIT_RUN.search(cell) for cell in first):
        return False
    if any(fold_header(cell) in HEADER_WORDS for cell in first):
        return True
    return any(_LONG_DIGIT_RUN.search(cell) for row in others for cell in row)


def read_table(
    path: Path | str, sample_rows: int = SAMPLE_ROWS, sheet: str | None = None
) -> CsvTable:
    """How the file reads: the first ``sample_rows`` lines decide delimiter and header; the
    whole file is scanned once (never held) for the encodings its lines need.

    An Excel workbook (.xlsx, or a file that is one whatever its name) is read from ``sheet``,
    by default its first.
    """
    path = Path(path)
    with _open(path) as handle:
        try:
            head = handle.read(4096)
            if _is_workbook(path, head):
                return _read_workbook(path, head, sample_rows, sheet)
            if sheet:
                raise BadInput(
                    _("{name} is a CSV file, which has no sheets; import it without a sheet "
                      "name.").format(name=path.name)
                )  # fmt: skip
            _refuse_binary(head, path)
            codec = _codec_of(head)
            handle.seek(0)
            lines = _Lines(handle, codec)
            sample = [line for _n, line in zip(range(max(2, sample_rows)), lines, strict=False)]
            for _line in lines:  # the rest only for the encodings its lines need
                pass
        except OSError as exc:
            raise _unreadable(path, exc) from None
    delimiter = _detect_delimiter("".join(sample))
    rows: list[list[str]] = []
    numbers: list[int] = []
    problems = 0
    for row in _read_rows(path, codec, delimiter):
        if row.problem:
            problems += 1
        else:
            rows.append(row.cells)
            numbers.append(row.line)
        if len(rows) > sample_rows or problems > sample_rows:
            break
    if not rows:
        if problems:
            raise BadInput(
                _(
                    "{name} has no line that reads as a CSV row; export the list as CSV and "
                    "import that."
                ).format(name=path.name)
            )
        raise BadInput(_("{name} has no rows to import.").format(name=path.name))
    encoding, warning = _encoding_name(codec, lines.codecs)
    return _table(path, rows, numbers, sample_rows, encoding=encoding, delimiter=delimiter,
                  codec=codec, warning=warning)  # fmt: skip


def _table(
    path: Path, rows: list[list[str]], numbers: list[int], sample_rows: int, **how: object
) -> CsvTable:
    """The table of the sample ``rows`` (file lines ``numbers``): its header decided here."""
    has_header = _looks_like_header(rows[0], rows[1:sample_rows])
    width = max(len(row) for row in rows[:sample_rows])
    if has_header:
        names = [cell.strip() for cell in rows[0]]
        headers = tuple(name or column_name(i) for i, name in enumerate(names))
        headers += tuple(column_name(i) for i in range(len(headers), width))
        rows, numbers = rows[1:], numbers[1:]
    else:
        headers = tuple(column_name(i) for i in range(width))
    return CsvTable(
        path=path, has_header=has_header, headers=headers, rows=rows[:sample_rows],
        lines=numbers[:sample_rows], **how,  # type: ignore[arg-type]
    )  # fmt: skip


def column_name(index: int) -> str:
    """What a column without a header is called: "Column 1" for ``index`` 0."""
    # Translators: a spreadsheet column without a header; {n} counts from 1.
    return _("Column {n}").format(n=index + 1)


def _is_workbook(path: Path, head: bytes) -> bool:
    from a1dialer.core.xlsx_import import is_workbook

    return is_workbook(path, head)


def _read_workbook(path: Path, head: bytes, sample_rows: int, sheet: str | None) -> CsvTable:
    """The table of one sheet of an Excel workbook: its first rows, header and size."""
    from a1dialer.core.xlsx_import import check_workbook, sheet_sample

    check_workbook(path, head)
    sheets, chosen, sample, total = sheet_sample(path, sheet, sample_rows + 1)
    if not sample:
        raise BadInput(
            _("The sheet {sheet} of {name} has no rows to import.").format(
                sheet=chosen, name=path.name
            )
        )
    rows = [cells for _line, cells in sample]
    numbers = [line for line, _cells in sample]
    return _table(path, rows, numbers, sample_rows, encoding=_("Excel workbook"), delimiter="\t",
                  sheet=chosen, sheets=sheets, sheet_rows=total)  # fmt: skip


def _sheet_rows(path: Path, sheet: str) -> Iterator[SourceRow]:
    from a1dialer.core.xlsx_import import sheet_rows

    for line, cells, _total in sheet_rows(path, sheet):
        yield SourceRow(line, cells, "", line)


# --- converting ---------------------------------------------------------------------------------


def _row_text(row: list[str], delimiter: str) -> str:
    text = delimiter.join(row).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= _MAX_ROW_TEXT else text[: _MAX_ROW_TEXT - 1] + "…"


def dnc_key(target: DialTarget) -> str:
    """The do-not-call list's key of a number (``do_not_call.DoNotCallEntry.key``): its
    international digits, or an extension as dialled."""
    return digits_only(target.display) if target.display.startswith("+") else target.dial


class _NumberReader:
    """Reads a row's phone columns, in the order tried, with one import's settings."""

    def __init__(
        self,
        table: CsvTable,
        phones: tuple[int, ...],
        default_country: str,
        number_format: str,
        extension_digits: str,
    ) -> None:
        labels = [
            table.headers[index] if index < len(table.headers) else column_name(index)
            for index in phones
        ]
        # (column, its header, whether it may hold extensions)
        self.columns = [
            (index, label, fold_header(label) in EXTENSION_HEADERS)
            for index, label in zip(phones, labels, strict=True)
        ]
        self.no_number = (
            _(NO_NUMBER) if len(phones) == 1 else _("Every phone column is empty in this row.")
        )
        self._rules = (default_country, number_format, extension_digits)
        self._shapes = NumberShapes()

    def _read(self, number: str, extensions_allowed: bool) -> DialTarget:
        country, number_format, extension_digits = self._rules
        target = parse_dial_input(
            number, country, number_format, extension_digits=extension_digits,
            shapes=self._shapes,
        )  # fmt: skip
        if target.is_extension and not extensions_allowed:
            if target.dial.startswith("*"):
                raise BadInput(
                    _("{number} is a feature code, not a phone number.").format(number=number)
                )
            raise BadInput(
                _("{number} is too short for a phone number; check the digits.").format(
                    number=number
                )
            )
        return target

    def read(self, row: Sequence[str]) -> tuple[list[tuple[str, str, DialTarget]], str]:
        """Every usable ``(header, number as typed, target)`` of the row, in the order tried,
        and why the first non-empty column that could not be used could not ("" if none)."""
        width = len(row)
        found: list[tuple[str, str, DialTarget]] = []
        reason = ""
        for index, label, extensions_allowed in self.columns:
            number = row[index].strip() if index < width else ""
            if not number:
                continue
            try:
                found.append((label, number, self._read(number, extensions_allowed)))
            except BadInput as exc:
                reason = reason or exc.sentence
        return found, reason


def _choose(
    found: list[tuple[str, str, DialTarget]], blocked: Collection[str]
) -> tuple[tuple[str, str, DialTarget], bool]:
    """The number to dial (the first not blocked) and whether the row is do-not-call (every
    number blocked: the first is kept, never dialled)."""
    if blocked:
        for item in found:
            if dnc_key(item[2]) not in blocked:
                return item, False
        return found[0], True
    return found[0], False


def preview_numbers(
    table: CsvTable,
    mapping: ColumnMap,
    default_country: str,
    number_format: str,
    *,
    extension_digits: str = "2-5",
    blocked: Collection[str] = (),
    rows: int = SAMPLE_ROWS,
) -> list[tuple[str, str, bool]]:
    """For the first ``rows`` sample rows, what ``convert`` makes of them: the header of the
    column dialled, its number ("Mobile", "+1 208-555-0101") and whether every number of the row
    is on the do-not-call list; or ``("", why not, False)``."""
    if not mapping.phones:
        return []
    reader = _NumberReader(table, mapping.phones, default_country, number_format, extension_digits)
    shown: list[tuple[str, str, bool]] = []
    for row in table.rows[:rows]:
        found, reason = reader.read(row)
        if found:
            (label, _number, target), dnc = _choose(found, blocked)
            shown.append((label, target.display, dnc))
        else:
            shown.append(("", reason or reader.no_number, False))
    return shown


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
    blocked: Collection[str] = (),
) -> ImportResult:
    """Turn each row of the file into a ``NewEntry``, or a ``RejectedRow`` saying why not.

    The file is read one row at a time and the entries are staged on disk, so memory stays
    small whatever the file's length. ``progress(done, total)`` (``table.size`` units) is called
    every few hundred rows and at the end; ``cancelled()`` is polled as often and raises
    ``Cancelled`` when it returns true. A number that appears again later in the file is
    rejected there, naming the line it first appeared on (with ``reject_duplicates=False`` it is
    simply left out). Extensions (``extension_digits``) are kept only from a column named as
    one; elsewhere they are rejected as too short.

    The row's phone columns (``mapping.phones``) are tried in order: the first that holds a
    number that can be dialled, and is not on the do-not-call list (``blocked``: keys as
    ``dnc_key`` makes them), is the one dialled; a row whose every number is blocked is kept
    with ``dnc=True``. Every usable number of a row with more than one goes to its ``numbers``,
    labelled with its column's header.
    """
    phones = mapping.phones
    if not phones:
        raise BadInput(_("Choose the column that holds the phone numbers."))
    # Checked once here (a bad setting is one error, not 50,000 rejected rows).
    parse_dial_input(
        "+12085551234", default_country, number_format, extension_digits=extension_digits
    )
    total = table.size
    reader = _NumberReader(table, phones, default_country, number_format, extension_digits)
    delimiter = "; " if table.sheet else table.delimiter
    name_at, last_at, company_at, notes_at = (
        mapping.name, mapping.last_name, mapping.company, mapping.notes
    )  # fmt: skip
    rejected: list[RejectedRow] = []
    rejected_count = 0
    staged = StagedEntries()
    batch: list[tuple[int, str, NewEntry]] = []

    def reject(line: int, text: str, reason: str) -> None:
        nonlocal rejected_count
        rejected_count += 1
        if len(rejected) < MAX_REJECTED_KEPT:
            rejected.append(RejectedRow(line, text, reason))

    next_yield = 0.0
    try:
        for done, (line, row, problem, offset) in enumerate(table.read_rows()):
            if done % _YIELD_EVERY == 0 and (now := time.monotonic()) >= next_yield:
                # Lets the window's thread take the GIL now: a loop like this one otherwise
                # holds it for the whole switch interval, and on a busy machine far longer.
                # Not more often: each yield may hand the core to another process.
                time.sleep(0)
                next_yield = now + _YIELD_SECONDS
            if done % _PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise Cancelled(_("The import was cancelled; nothing was imported."))
                if progress is not None:
                    progress(min(offset, total), total)
                if batch:
                    staged.add_many(batch)
                    batch.clear()
            if problem:
                reject(line, "", problem)
                continue
            found, reason = reader.read(row)
            if not found:
                reject(line, _row_text(row, delimiter), reason or reader.no_number)
                continue
            (_label, number, target), dnc = _choose(found, blocked)
            width = len(row)
            name = row[name_at].strip() if name_at is not None and name_at < width else ""
            if last_at is not None and last_at < width and (last := row[last_at].strip()):
                name = f"{name} {last}" if name else last
            notes = row[notes_at].strip() if notes_at is not None and notes_at < width else ""
            if target.extension_hint:  # the PBX dials the main number; the rep asks for the rest
                ask = _("Ask for extension {extension}.").format(extension=target.extension_hint)
                notes = f"{ask} {notes}".rstrip()
            numbers: tuple[EntryNumber, ...] = ()
            if len(found) > 1:
                kept: dict[str, EntryNumber] = {}  # the same number twice in a row is one
                for each_label, each_number, each in found:
                    kept.setdefault(
                        each.dial, EntryNumber(each_label, each_number, each.dial, each.display)
                    )
                if len(kept) > 1:
                    numbers = tuple(kept.values())
            entry = NewEntry(
                name,
                number,
                target.dial,
                target.display,
                row[company_at].strip() if company_at is not None and company_at < width else "",
                notes,
                numbers,
                dnc,
            )
            batch.append((line, _row_text(row, delimiter), entry))
        staged.add_many(batch)
        repeats = staged.drop_repeats()
        if reject_duplicates:
            for line, text, display, first in repeats:
                # Translators: {first} is the file's line number where the number first appears.
                already = _("{number} is already on this list (line {first}).")
                reject(line, text, already.format(number=display, first=first))
            rejected.sort(key=lambda row: row.line)
            del rejected[MAX_REJECTED_KEPT:]
        else:
            for _repeat in repeats:
                pass
        dnc_count = staged.dnc_count() if blocked else 0
    except BaseException:
        staged.close()
        raise
    if progress is not None:
        progress(total, total)
    return ImportResult(staged, rejected, rejected_count, dnc_count)
