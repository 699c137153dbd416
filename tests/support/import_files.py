"""Files for import tests, written into a temporary directory: CSV in any delimiter
and encoding (with or without BOM), XLSX through openpyxl, and an XLSX zip bomb."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def csv_file(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = text.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def xlsx_file(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Blad1")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def zip_bomb(path: Path, inflated_mib: int = 64) -> Path:
    """An XLSX-looking archive whose sheet inflates ``inflated_mib`` MiB from a few KiB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"<row>" + b" " * (1024 * 1024 - 11) + b"</row>"
            for _ in range(inflated_mib):
                member.write(chunk)
    return path


def participant_rows(n: int, prefix: str = "IMP", start: int = 0) -> list[list[Any]]:
    return [
        [f"{prefix}-{i:06d}", "Olena", f"Achternaam{i}", "ukrainian_displaced", "uk,ru"]
        for i in range(start, start + n)
    ]


PARTICIPANT_HEADER = ["reference", "givenName", "familyName", "group", "languages"]
