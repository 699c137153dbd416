"""Reading an uploaded file as a stream of rows of text cells.

CSV: comma or semicolon (sniffed from the header line), UTF-8 with or without BOM, or
Windows-1252 when the bytes are not UTF-8 (decided by one streaming pass with an
incremental decoder, so the file is never held in memory). XLSX: openpyxl in read-only
mode, which streams the sheet's rows, after a zip-bomb guard on the archive's declared
sizes (see ``check_zip``). Every cell comes out as text (``""`` when empty); XLSX
dates become ``YYYY-MM-DD`` and numbers their plain decimal form, so one set of
converters serves both formats.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from api.errors import BadRequest, ProblemType

# Zip-bomb guard for XLSX, on the sizes the archive declares (zipfile never inflates a
# member beyond its declared size, so they bound the work): at most this much in all
# once inflated, and no member above 1 MiB inflating more than MAX_RATIO times.
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 100
# openpyxl holds the shared strings in memory (the sheet itself streams): capped lower.
MAX_SHARED_STRINGS = 64 * 1024 * 1024
MAX_CELLS_PER_ROW = 200


class FileProblem(BadRequest):
    """The file cannot be read at all: a 400 before any row is looked at."""

    def __init__(self, detail: str, kind: ProblemType = ProblemType.IMPORT_FILE_UNREADABLE) -> None:
        super().__init__(detail, type_=kind)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    """(data row number from 1, cells as text, ``""`` when empty, not yet stripped);
    blank rows are skipped but keep their number."""
    decimal_comma: bool
    format: str


def is_xlsx(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


def check_zip(path: Path) -> None:
    """Refuse an archive that would inflate beyond the limits (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileProblem("The file looks like XLSX but is not a valid zip archive.") from exc
    if len(infos) > MAX_MEMBERS:
        raise FileProblem(
            "The XLSX archive has too many members.", ProblemType.IMPORT_FILE_TOO_LARGE
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.filename.endswith("sharedStrings.xml") and info.file_size > MAX_SHARED_STRINGS:
            raise FileProblem(
                f"The workbook's shared strings would inflate to {info.file_size} bytes, "
                f"above the limit of {MAX_SHARED_STRINGS}.",
                ProblemType.IMPORT_FILE_TOO_LARGE,
            )
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileProblem(
                f"The XLSX member {info.filename[:80]!r} would inflate {info.file_size} bytes "
                f"from {info.compress_size} (more than {MAX_RATIO} times): refused as a "
                "possible zip bomb.",
                ProblemType.IMPORT_FILE_TOO_LARGE,
            )
    if total > MAX_UNCOMPRESSED:
        raise FileProblem(
            f"The XLSX archive would inflate to {total} bytes, above the limit of "
            f"{MAX_UNCOMPRESSED}: refused as a possible zip bomb.",
            ProblemType.IMPORT_FILE_TOO_LARGE,
        )


def _encoding(path: Path) -> str:
    """``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252`` (checked too)."""
    for name in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(name)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return name
    raise FileProblem(
        "The file is neither UTF-8 nor Windows-1252 text (nor XLSX).",
        ProblemType.IMPORT_FILE_ENCODING,
    )


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    text = str(value).strip()
    return text or None


def _csv(path: Path) -> Table:
    encoding = _encoding(path)
    stream = path.open("r", encoding=encoding, newline="")
    first = stream.readline()
    if "\x00" in first:
        stream.close()
        raise FileProblem("The file holds binary data, not CSV text.")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        stream.close()
        raise FileProblem(f"The CSV header cannot be read: {exc}.") from exc
    if not header or not any(h.strip() for h in header):
        stream.close()
        raise FileProblem(
            "The file is empty: a header line is required.", ProblemType.IMPORT_FILE_EMPTY
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for raw in reader:
                number += 1
                if "".join(raw).strip():  # not blank (in C, not a loop per cell)
                    yield number, raw
        except csv.Error as exc:
            raise FileProblem(f"Row {number + 1} of the CSV cannot be read: {exc}.") from exc
        finally:
            stream.close()

    return Table([h.strip() for h in header], rows(), delimiter == ";", "csv")


def _xlsx(path: Path) -> Table:
    check_zip(path)
    import openpyxl

    handle = path.open("rb")  # a file object: openpyxl judges a path by its suffix
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_row = next(values, None)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        handle.close()
        raise FileProblem("The XLSX workbook cannot be read.") from exc
    if header_row is None:
        book.close()
        handle.close()
        raise FileProblem("The workbook's first sheet is empty.", ProblemType.IMPORT_FILE_EMPTY)
    header = [_cell(v) or "" for v in header_row[:MAX_CELLS_PER_ROW]]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for raw in values:
                number += 1
                cells = [_cell(v) or "" for v in raw[:MAX_CELLS_PER_ROW]]
                if any(cells):
                    yield number, cells
        except Exception as exc:
            raise FileProblem(f"Row {number + 1} of the workbook cannot be read.") from exc
        finally:
            book.close()
            handle.close()

    return Table(header, rows(), True, "xlsx")


def open_table(path: Path) -> Table:
    """The file's header and a stream of its rows (CSV or XLSX, told by content)."""
    if path.stat().st_size == 0:
        raise FileProblem(
            "The file is empty: a header line is required.", ProblemType.IMPORT_FILE_EMPTY
        )
    if is_xlsx(path):
        return _xlsx(path)
    return _csv(path)
