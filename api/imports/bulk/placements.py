"""Placements, set-wise: staged by chunk, checked over the whole file, then written.

A row's own dates are checked as it is staged, by ``api.placements.rules`` (an open
stay has nothing to check). Once the file is read, the natural keys become ids (one
joined ``UPDATE`` each) and the rules that need the database are checked with a fixed
number of statements over the whole staging table -- unknown participants and
locations, duplicate stays inside the file -- then each row's facts are loaded in one
statement and run through the rules of ``placements.rulebook`` (anonymised participants,
the location's opening and closing dates, minors' ages), as the API and partner events
run them; and only a file without problems is written
(``placements_write``), with the touched locations and people locked first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Uuid, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.locks import lock_rows
from api.db.staging import Staged
from api.imports.bulk.placements_write import check_after_write, write_placements
from api.imports.bulk.sql import (
    LOC,
    PL,
    P,
    as_date,
    as_day_or_none,
    column_of,
    duplicates,
    problems,
)
from api.imports.report import Report
from api.placements import rulebook


class PlacementsImport:
    rows_as_dicts = True

    def __init__(
        self, session: AsyncSession, report: Report, columns: set[str], today: date
    ) -> None:
        self.session = session
        self.report = report
        self.stage = Staged(
            session,
            "placements",
            [
                Column("row_no", Integer),
                Column("participant_id", Uuid),
                Column("participant_reference", String(64)),
                Column("location_id", Uuid),
                Column("location_name", String(200)),
                Column("start_date", Date),
                Column("end_date", Date),
                Column("end_reason", String(32)),
                Column("existing_id", Uuid),
                Staged.id_column("new_id"),
            ],
        )

    async def start(self) -> None:
        await self.stage.create()

    async def add(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Stage a chunk of valid rows (dicts by wire name; a field left out is
        ``None``)."""
        records = []
        as_uuid, as_day, report = self.stage.uuid, self.stage.day, self.report
        for row_no, data in rows:
            participant_id: Any = data.get("participantId")
            location_id: Any = data.get("locationId")
            start, end, reason = data["startDate"], data.get("endDate"), data.get("endReason")
            if end is not None or reason is not None:  # an open stay has nothing to check
                found = rulebook.dates(start, end, reason)
                for problem in found:
                    report.add(row_no, problem.field, problem.detail, problem.type)
                if found:
                    continue
            records.append(
                (
                    row_no,
                    as_uuid(participant_id),
                    data.get("participantReference"),
                    as_uuid(location_id),
                    data.get("locationName"),
                    as_day(start),
                    as_day(end),
                    reason.value if reason else None,
                    None,
                )
            )
        await self.stage.add(records)

    async def finish(self, write: bool) -> None:
        s = self.stage.table
        session, report = self.session, self.report
        # Natural keys to ids, one joined UPDATE each (a hash join, not a probe per row).
        await session.execute(
            update(s)
            .where(s.c.participant_reference == P.c.reference)
            .values(participant_id=P.c.id)
        )
        await session.execute(
            update(s).where(s.c.location_name == LOC.c.name).values(location_id=LOC.c.id)
        )
        await self.stage.index("participant_id", "start_date")
        await self.stage.index("location_id")
        await self.stage.analyze()
        await problems(
            session,
            report,
            select(s.c.row_no, s.c.participant_reference).where(
                or_(
                    s.c.participant_id.is_(None),
                    ~select(P.c.id).where(P.c.id == s.c.participant_id).exists(),
                )
            ),
            "participantReference",
            lambda r: (
                "There is no participant with this reference."
                if r[1] is not None
                else "There is no such participant."
            ),
            code="not_found",
        )
        await problems(
            session,
            report,
            select(s.c.row_no, s.c.location_name).where(
                or_(
                    s.c.location_id.is_(None),
                    ~select(LOC.c.id).where(LOC.c.id == s.c.location_id).exists(),
                )
            ),
            "locationName",
            lambda r: (
                "There is no location with this name."
                if r[1] is not None
                else "There is no such location."
            ),
            code="not_found",
        )
        await duplicates(
            session,
            report,
            s,
            ["participant_id", "start_date"],
            "startDate",
            "participant and startDate",
        )
        if report.error_count:
            await self.stage.drop()
            return
        # Lock the touched locations (then people), in id order, as ``lock_location`` does.
        for table, column in ((LOC, s.c.location_id), (P, s.c.participant_id)):
            await lock_rows(session, table.c.id, select(column))
        # The stay a row names by its natural key (participant and startDate), if any.
        await session.execute(
            update(s)
            .where(PL.c.participant_id == s.c.participant_id, PL.c.start_date == s.c.start_date)
            .values(existing_id=PL.c.id)
        )
        # The rules of one stay (``placements.rulebook``), on each row's facts, loaded in
        # one statement: the person, the location's open dates; a stay that exists with
        # the same start does not start anew.
        facts = await session.execute(
            select(
                s.c.row_no,
                s.c.start_date,
                s.c.end_date,
                s.c.existing_id.is_(None),
                s.c.participant_reference.is_not(None),
                s.c.location_name.is_not(None),
                P.c.group,
                P.c.date_of_birth,
                P.c.anonymised_at.is_not(None),
                LOC.c.opened_on,
                LOC.c.closed_on,
            )
            .join(P, P.c.id == s.c.participant_id)
            .join(LOC, LOC.c.id == s.c.location_id)
        )
        person, open_dates = rulebook.person, rulebook.open_dates
        for row in facts:
            start, end = as_date(row[1]), as_day_or_none(row[2])
            found = person(
                group=row[6],
                born=as_day_or_none(row[7]),
                anonymised=bool(row[8]),
                start=start,
                starts_anew=bool(row[3]),
            ) or open_dates(as_date(row[9]), as_day_or_none(row[10]), start, end)
            for problem in found:
                report.add(
                    row[0], column_of(problem.field, row[4], row[5]), problem.detail, problem.type
                )
        if report.error_count or not write:
            await self.stage.drop()
            return
        await write_placements(session, report, self.stage)
        await check_after_write(session, report, self.stage)
        await self.stage.drop()
