"""Read the rows of an Excel workbook (.xlsx) for a call list, one row at a time, as text.

openpyxl reads the sheet as a stream (``read_only=True``, cached values rather than formulas), so
a sheet of a million rows never sits in memory. Cells become the text a rep sees in Excel: a
phone number stored as a number (12085551234.0) is "12085551234", a date "2026-12-05". A broken,
password-protected or oversized workbook is one ``BadInput`` sentence before any row is read.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from a1dialer.core.errors import BadInput
from a1dialer.core.translation import _

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# Unpacked, a workbook's parts may be at most this large: a 200 MB file of a million rows
# unpacks to about 1 GB; far more is a zip bomb, not a list.
MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
# The shared strings (every distinct text of the workbook) are the one part openpyxl holds whole.
MAX_SHARED_STRINGS_BYTES = 256 * 1024 * 1024
# The leading bytes of an OLE container: an old .xls, or an .xlsx saved with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(path: Path, head: bytes) -> bool:
    """Whether the file is to be read as a workbook: named .xlsx/.xlsm, or a zip with a sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    return head.startswith(ZIP_MAGIC)


def _broken(path: Path) -> BadInput:
    return BadInput(
        _(
            "{name} cannot be read as an Excel workbook; open it in Excel, save it again as "
            ".xlsx (or CSV) and import that."
        ).format(name=path.name)
    )


def check_workbook(path: Path, head: bytes) -> None:
    """One sentence for a workbook that cannot be imported: protected, old, broken or huge."""
    if head.startswith(OLE_MAGIC):
        raise BadInput(
            _(
                "{name} is password-protected or an old .xls workbook; in Excel remove the "
                "password and choose File > Save As > Excel Workbook (.xlsx), then import that."
            ).format(name=path.name)
        )
    if not head.startswith(ZIP_MAGIC):
        raise _broken(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _broken(path) from None
    unpacked = sum(part.file_size for part in parts)
    strings = sum(part.file_size for part in parts if part.filename.endswith("sharedStrings.xml"))
    if unpacked > MAX_UNPACKED_BYTES or strings > MAX_SHARED_STRINGS_BYTES:
        raise BadInput(
            _(
                "{name} unpacks to {size:,} MB, too large to import; split it into smaller "
                "workbooks or save it as CSV."
            ).format(name=path.name, size=unpacked // 1024 // 1024)
        )
    if not any(part.filename.startswith("xl/worksheets/") for part in parts):
        raise _broken(path)


class _OpenWorkbook:
    """A workbook open for reading, and the file under it; closes both."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        # Opened as a file: openpyxl refuses a path not named .xlsx, and a workbook a rep
        # renamed .csv is still one.
        self._handle = path.open("rb")
        try:
            with warnings.catch_warnings():
                # openpyxl warns about styles and extensions it ignores; values are read anyway.
                warnings.simplefilter("ignore")
                self.book: Workbook = openpyxl.load_workbook(
                    self._handle, read_only=True, data_only=True
                )
        except Exception:  # whatever its XML and zip readers raise on a broken part
            self._handle.close()
            raise _broken(path) from None

    def __enter__(self) -> Workbook:
        return self.book

    def __exit__(self, *_exc: object) -> None:
        try:
            self.book.close()
        finally:
            self._handle.close()


def cell_text(value: Any) -> str:
    """A cell's value as the text a rep sees: 12085551234.0 -> "12085551234"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def sheet_sample(
    path: Path, sheet: str | None, rows: int
) -> tuple[tuple[str, ...], str, list[tuple[int, list[str]]], int]:
    """The workbook's sheets, the sheet read (``sheet``, by default the first), its first
    ``rows`` rows that hold something (row number, cells) and its rows in all; one opening."""
    with _OpenWorkbook(path) as workbook:
        names = tuple(ws.title for ws in workbook.worksheets)
        if not names:
            raise BadInput(_("{name} has no sheet with rows to import.").format(name=path.name))
        chosen = sheet or names[0]
        sample: list[tuple[int, list[str]]] = []
        total = 0
        for number, cells, in_all in _rows(path, workbook, chosen):
            sample.append((number, cells))
            total = in_all
            if len(sample) >= rows:
                break
        return names, chosen, sample, total


def sheet_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[str], int]]:
    """Every row of ``sheet`` that holds something, as ``(row number, cells, rows in all)``."""
    with _OpenWorkbook(path) as workbook:
        yield from _rows(path, workbook, sheet)


def _rows(path: Path, workbook: Workbook, sheet: str) -> Iterator[tuple[int, list[str], int]]:
    worksheet = next((ws for ws in workbook.worksheets if ws.title == sheet), None)
    if worksheet is None:  # chart sheets have no rows: they are not offered either
        names = ", ".join(ws.title for ws in workbook.worksheets)
        raise BadInput(
            _("{name} has no sheet named {sheet}; its sheets are: {names}.").format(
                name=path.name, sheet=sheet, names=names
            )
        )
    total = int(getattr(worksheet, "max_row", 0) or 0)
    # The stored size may be wrong (some exporters write A1:A1); read every row there is.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception:  # a damaged part in the middle of the sheet
            raise _broken(path) from None
        number += 1
        cells = [cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if cells and any(cell.strip() for cell in cells):
            yield number, cells, max(total, number)
