"""Running an import: read, validate in chunks, stage, check, write -- all or nothing.

The file is read as a stream (``reader``) in chunks of ``CHUNK`` rows. For the
set-based kinds, a chunk of plain rows is converted and validated a column at a time
(``columns``: each distinct value once); from the first chunk that is not plain on, each
chunk is converted (Dutch dates and decimal commas, lists) and validated with the kind's
API schema in one pass (row by row only when a chunk has a bad row, to name its problems;
for the set-based handlers, a chunk of plain rows goes through the schema's fields as a
``TypedDict`` instead, wholly in pydantic's core: ``Kind.fast``), and handed to the
kind's handler: the set-based one for participants and placements
(``bulk``), the service-per-row one for the others (``rowwise``). Everything runs in
a savepoint: a dry run, or a file with any problem, rolls it back, so nothing is
written unless every row is valid. Memory stays flat: one chunk at a time, and a
bounded error list (``report``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.common.calendar import today
from api.db import take_write_lock
from api.errors import INVALID_CODE, BadRequest, ProblemType, problem_params
from api.imports.bulk import ParticipantsImport, PlacementsImport
from api.imports.columns import as_rows, columnwise
from api.imports.kinds import (
    KINDS,
    Kind,
    converter,
    normalise_header,
    to_date,
)
from api.imports.reader import Table, open_table
from api.imports.report import Report
from api.imports.rowwise import RowwiseImport

CHUNK = 5000
Progress = Callable[[int], None]
Cells = tuple[int, list[str]]


def _columns(kind: Kind, table: Table, report: Report) -> list[tuple[int, str, str]]:
    """(cell index, field alias, header as written) per column; header problems as
    row 0."""
    found: list[tuple[int, str, str]] = []
    seen: dict[str, str] = {}
    for index, text in enumerate(table.header):
        if not text:
            continue
        alias = kind.headers.get(normalise_header(text))
        if alias is None:
            columns = ", ".join(sorted(set(kind.headers.values())))
            report.add(
                0,
                text,
                f"Unknown column for {kind.name}; the columns are {columns}"
                " (or their Dutch names).",
                code="unknown_column",
                params={"columns": columns},
            )
            continue
        if alias in seen:
            report.add(
                0,
                text,
                f"The same column as {seen[alias]!r}.",
                code="duplicate_column",
                params={"column": seen[alias]},
            )
            continue
        seen[alias] = text
        found.append((index, alias, text))
    for alias in kind.required:
        if alias not in seen:
            report.add(0, alias, "This column is required.", code="missing_column")
    for left, right in kind.one_of:
        if left not in seen and right not in seen:
            report.add(
                0,
                right,
                f"One of the columns {left} or {right} is required.",
                code="missing_one_of_columns",
                params={"left": left, "right": right},
            )
    return found


def _message(error: Any) -> str:
    text = str(error["msg"])
    return text.removeprefix("Value error, ")


class Importer:
    def __init__(
        self,
        session: AsyncSession,
        *,
        kind: str,
        actor: Principal,
        dry_run: bool,
        progress: Progress | None = None,
    ) -> None:
        self.session = session
        self.kind = KINDS[kind]
        self.actor = actor
        self.dry_run = dry_run
        self.report = Report()
        self.progress = progress
        self._plain = True  # the chunk being read has only plain rows (see ``_validate``)

    def _rows(
        self, table: Table, columns: list[tuple[int, str, str]], source: Iterable[Cells]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        width = len(table.header)
        plan = [
            (index, alias, converter(self.kind, alias, table.decimal_comma))
            for index, alias, _ in columns
        ]
        plain = [(index, alias) for index, alias, convert in plan if convert is None]
        converted = [(index, alias, convert) for index, alias, convert in plan if convert]
        report = self.report
        pairs = self.kind.one_of
        header = {alias: text for _, alias, text in columns}
        for number, cells in source:
            report.total += 1
            size = len(cells)
            if size > width and any(c.strip() for c in cells[width:]):
                report.add(
                    number,
                    None,
                    f"The row has {size} values for {width} columns.",
                    code="row_too_wide",
                    params={"values": size, "columns": width},
                )
                continue
            if size >= width:  # every cell there: the plain ones in one comprehension
                data = {alias: v for index, alias in plain if (v := cells[index].strip())}
            else:
                data = {
                    alias: v
                    for index, alias in plain
                    if index < size and (v := cells[index].strip())
                }
            for index, alias, convert in converted:
                if index < size and (value := cells[index].strip()):
                    value = convert(value)
                    if convert is to_date and value.__class__ is str:
                        self._plain = False  # the schema judges the text
                    data[alias] = value
            if "\x00" in "".join(cells):
                self._plain = False
            bad = False
            for left, right in pairs:
                if (left in data) == (right in data):
                    report.add(
                        number,
                        header.get(right, right),
                        f"Give one of {left} or {right}.",
                        code="one_of",
                        params={"left": left, "right": right},
                    )
                    bad = True
            if not bad:
                yield number, data

    def _validate(
        self, chunk: list[tuple[int, dict[str, Any]]], header: dict[str, str], as_dicts: bool
    ) -> list[tuple[int, Any]]:
        """The chunk's valid rows, as the schema's models or (``as_dicts``, for the
        set-based handlers) as dicts by wire name, where a field left out has its default
        (``Kind.defaults``). A chunk with only plain
        rows (dates converted, no NUL: see ``Kind.fast``) goes through the fast adapter;
        a chunk with a bad row is gone through row by row, to name each problem."""
        assert self.kind.adapter is not None
        fast = self.kind.fast
        if as_dicts and fast is not None and self._plain:
            try:
                rows = fast.validate_python([data for _, data in chunk])
            except ValidationError:
                pass
            else:
                return list(zip((number for number, _ in chunk), rows, strict=True))
        if as_dicts:
            return [
                (number, model.model_dump(by_alias=True))
                for number, model in self._validate(chunk, header, False)
            ]
        try:
            models = self.kind.adapter.validate_python([data for _, data in chunk])
        except ValidationError:
            pass
        else:
            return [(number, model) for (number, _), model in zip(chunk, models, strict=True)]
        valid = []
        for number, data in chunk:
            try:
                valid.append((number, self.kind.schema.model_validate(data)))
            except ValidationError as exc:
                for error in exc.errors():
                    loc = error["loc"]
                    column = header.get(str(loc[0]), str(loc[0])) if loc else None
                    self.report.add(
                        number,
                        column,
                        _message(error),
                        code=str(error.get("type") or INVALID_CODE),
                        params=problem_params(error.get("ctx")),
                    )
        return valid

    def _handler(self, columns: set[str]) -> Any:
        day = today()
        if self.kind.name == "participants":
            return ParticipantsImport(self.session, self.report, columns, day)
        if self.kind.name == "placements":
            return PlacementsImport(self.session, self.report, columns, day)
        return RowwiseImport(self.session, self.report, columns, day, self.kind.name, self.actor)

    async def run(self, path: Path) -> dict[str, Any]:
        """Import the file; answers the report, or raises a 400 carrying it when a real
        run has bad rows (nothing written then)."""
        table = open_table(path)
        columns = _columns(self.kind, table, self.report)
        if self.report.error_count:
            # Header problems: count the rows without looking into them.
            self.report.total = sum(1 for _ in table.rows)
            self.report.bad_rows = self.report.total  # none can be taken as it is
            return self._finish()
        header = {alias: text for _, alias, text in columns}
        await take_write_lock(self.session)
        savepoint = await self.session.begin_nested()
        try:
            handler = self._handler(set(header))
            await handler.start()
            as_dicts = getattr(handler, "rows_as_dicts", False)
            source: Iterable[Cells] = table.rows
            if as_dicts and self.kind.fast is not None:
                source = await self._columnwise(table, columns, handler)
            rows = self._rows(table, columns, source)
            while chunk := list(islice(rows, CHUNK)):
                await handler.add(self._validate(chunk, header, as_dicts))
                self._plain = True
                if self.progress is not None:
                    self.progress(self.report.total)
            await handler.finish(write=not self.report.error_count)
        except IntegrityError as exc:
            await savepoint.rollback()
            self.report.add(0, None, f"The rows could not be written: {exc.orig}")
            return self._finish()
        except BaseException:
            await savepoint.rollback()
            raise
        if self.dry_run or self.report.error_count:
            await savepoint.rollback()
        else:
            await savepoint.commit()
        return self._finish()

    async def _columnwise(
        self, table: Table, columns: list[tuple[int, str, str]], handler: Any
    ) -> Iterable[Cells]:
        """Hand the file's chunks to the handler column-wise (``columns.columnwise``)
        while they are plain; answers the rows left for the row path, from the first
        chunk that is not. The chunks before it had no problem, so the row path then
        meets the rest exactly as it would have (same chunks, same problems)."""
        raw = table.rows
        width = len(table.header)
        adder = getattr(handler, "add_columns", None)
        while batch := list(islice(raw, CHUNK)):
            found = columnwise(self.kind, columns, width, table.decimal_comma, batch)
            if found is None:
                return chain(batch, raw)
            numbers = [number for number, _ in batch]
            self.report.total += len(batch)
            if adder is not None:
                await adder(numbers, found)
            else:
                await handler.add(as_rows(numbers, found))
            if self.progress is not None:
                self.progress(self.report.total)
        return ()

    def _finish(self) -> dict[str, Any]:
        answer = self.report.answer()
        if self.dry_run or self.report.error_count:
            answer["created"] = answer["updated"] = answer["unchanged"] = 0  # none written
        if self.report.error_count and not self.dry_run:
            where = (
                f"{self.report.bad_rows} of {self.report.total} row(s) have problems"
                if self.report.bad_rows < self.report.total or not self.report.total
                else "the file has problems"
            )
            raise BadRequest(
                f"Nothing was imported: {where} (see errors).",
                type_=ProblemType.IMPORT_REJECTED,
                extra=answer,
            )
        record(
            self.session,
            action="import_dry_run" if self.dry_run else "import",
            entity=self.kind.name,
            details={
                "rowsTotal": answer["rowsTotal"],
                "rowsValid": answer["rowsValid"],
                "errors": self.report.error_count,
                "created": answer["created"],
                "updated": answer["updated"],
                "unchanged": answer["unchanged"],
            },
        )
        return answer


async def run_import(
    session: AsyncSession,
    *,
    kind: str,
    path: Path,
    actor: Principal,
    dry_run: bool,
    progress: Progress | None = None,
) -> dict[str, Any]:
    return await Importer(session, kind=kind, actor=actor, dry_run=dry_run, progress=progress).run(
        path
    )
