"""Participants, set-wise: staged by chunk, checked over the whole file, then written.

A chunk's rows are checked on their own as they are staged (an unaccompanied minor's
guardian and date of birth). Once the file is read, the rules that need the database
are checked with a fixed number of statements over the whole staging table --
duplicate keys inside the file, a ``bsn`` or ``vNumber`` held by someone else, a
guardian that is not a guardianship organisation (``participants.guardianship``), minors'
ages, anonymised participants -- and only a file without problems
is written (``participants_write``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import Column, Date, Integer, String, Text, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.staging import Staged
from api.imports.bulk.participants_write import STAGE_COLUMNS_P, write_participants
from api.imports.bulk.sql import P, duplicates, problems
from api.imports.columns import Columns, as_rows
from api.imports.kinds import KINDS
from api.imports.report import Report
from api.models import DutchLevel, EmploymentStatus, Group, Partner
from api.participants import guardianship, rulebook
from api.participants.rulebook import record_shape

_P_DEFAULTS = KINDS["participants"].defaults
# A member's text by a dict look-up (``.value`` is a property: slow, 100,000 times over).
_TEXT: dict[Any, str] = {
    member: member.value for kind in (Group, DutchLevel, EmploymentStatus) for member in kind
}
_ALIAS = {
    "reference": "reference",
    "bsn": "bsn",
    "v_number": "vNumber",
    "given_name": "givenName",
    "family_name": "familyName",
    "date_of_birth": "dateOfBirth",
    "nationality": "nationality",
    "group": "group",
    "guardian_partner_id": "guardianPartnerId",
    "household_ref": "householdRef",
    "languages": "languages",
    "dutch_level": "dutchLevel",
    "employment_status": "employmentStatus",
}


class ParticipantsImport:
    rows_as_dicts = True

    def __init__(
        self, session: AsyncSession, report: Report, columns: set[str], today: date
    ) -> None:
        self.session = session
        self.report = report
        self.today = today
        # Columns the file has: an existing participant's other fields are left alone.
        self.columns = [c for c in STAGE_COLUMNS_P if _ALIAS[c] in columns or c == "reference"]
        self.stage = Staged(
            session,
            "participants",
            [
                Column("row_no", Integer),
                Column("reference", String(64)),
                Column("bsn", String(9)),
                Column("v_number", String(20)),
                Column("given_name", String(100)),
                Column("family_name", String(100)),
                Column("date_of_birth", Date),
                Column("nationality", String(3)),
                Column("group", String(32)),
                Column("guardian_partner_id", Uuid),
                Column("household_ref", String(64)),
                Column("languages", Text),
                Column("dutch_level", String(32)),
                Column("employment_status", String(32)),
                Column("progress_on", Date),
                Column("existing_id", Uuid, info={"later": True}),
                Staged.id_column("new_id"),
            ],
        )

    async def start(self) -> None:
        await self.stage.create()
        self._languages: dict[tuple[str, ...], str] = {}

    async def add(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Stage a chunk of valid rows (dicts by wire name; a field left out has its
        default)."""
        records = []
        as_uuid, as_day, languages = self.stage.uuid, self.stage.day, self._languages
        level, work = _P_DEFAULTS["dutchLevel"], _P_DEFAULTS["employmentStatus"]
        report, minor_group = self.report, Group.unaccompanied_minor
        if len(languages) > 10_000:
            languages.clear()  # a cache, bounded
        for row_no, data in rows:
            born = data.get("dateOfBirth")
            group = data["group"]
            if group is minor_group or data.get("guardianPartnerId") is not None:
                shape = record_shape(
                    group=group,
                    born=born,
                    guardian_id=data.get("guardianPartnerId"),
                    check_guardian=True,
                )
                for column, message in shape:
                    report.add(row_no, column, message, code=rulebook.CODES.get(message, "invalid"))
                if shape:
                    continue
            spoken = tuple(data.get("languages", ()))
            spoken_json = languages.get(spoken)
            if spoken_json is None:
                spoken_json = languages[spoken] = json.dumps(list(spoken))
            records.append(
                (
                    row_no,
                    data["reference"],
                    data.get("bsn"),
                    data.get("vNumber"),
                    data.get("givenName"),
                    data.get("familyName"),
                    as_day(born),
                    data.get("nationality"),
                    _TEXT[group],
                    as_uuid(data.get("guardianPartnerId")),
                    data.get("householdRef"),
                    spoken_json,
                    _TEXT[data.get("dutchLevel", level)],
                    _TEXT[data.get("employmentStatus", work)],
                    as_day(data.get("progressOn")),
                )
            )
        await self.stage.add(records)

    async def add_columns(self, numbers: list[int], found: Columns) -> None:
        """Stage a chunk of valid rows given column-wise (``api.imports.columns``): the
        records are the columns zipped, with no dict per row. A chunk with an
        unaccompanied minor or a guardian goes ``add``, for its checks per row."""
        groups = found["group"]
        guardians = found.get("guardianPartnerId")
        if Group.unaccompanied_minor in groups or (
            guardians is not None and any(g is not None for g in guardians)
        ):
            await self.add(as_rows(numbers, found))
            return
        none: list[Any] = [None] * len(numbers)

        def given(alias: str) -> list[Any]:
            return found.get(alias, none)

        def text(alias: str) -> list[str]:
            names = dict(_TEXT)
            names[None] = _TEXT[_P_DEFAULTS.get(alias)] if alias in _P_DEFAULTS else ""
            return list(map(names.__getitem__, given(alias)))

        def day(alias: str) -> list[Any]:
            values = given(alias)
            return values if self.stage.pg else list(map(self.stage.day, values))

        spoken: dict[int, str] = {}  # by the list's identity: one list per distinct cell
        empty = json.dumps([])
        languages = [
            empty
            if v is None
            else spoken.get(id(v)) or spoken.setdefault(id(v), json.dumps(list(v)))
            for v in given("languages")
        ]
        await self.stage.add(
            list(
                zip(
                    numbers,
                    found["reference"],
                    given("bsn"),
                    given("vNumber"),
                    given("givenName"),
                    given("familyName"),
                    day("dateOfBirth"),
                    given("nationality"),
                    text("group"),
                    none,  # no guardian (see above)
                    given("householdRef"),
                    languages,
                    text("dutchLevel"),
                    text("employmentStatus"),
                    day("progressOn"),
                    strict=True,
                )
            )
        )

    async def finish(self, write: bool) -> None:
        s = self.stage.table
        session, report = self.session, self.report
        await self.stage.index("reference")
        for key, column, what in (
            ("reference", "reference", "reference"),
            ("bsn", "bsn", "bsn"),
            ("v_number", "vNumber", "vNumber"),
        ):
            await duplicates(session, report, s, [key], column, what)
        for key, column in (("bsn", "bsn"), ("v_number", "vNumber")):
            await problems(
                session,
                report,
                select(s.c.row_no)
                .join(P, P.c[key] == s.c[key])
                .where(P.c.reference != s.c.reference),
                column,
                f"Another participant already has this {column}.",
                code="taken",
            )
        await problems(
            session,
            report,
            select(s.c.row_no).where(
                s.c.guardian_partner_id.is_not(None),
                ~select(Partner.id)
                .where(
                    Partner.id == s.c.guardian_partner_id,
                    Partner.kind == guardianship.GUARDIAN_KIND,
                )
                .exists(),
            ),
            guardianship.FIELD,
            guardianship.NOT_A_GUARDIAN,
            code=rulebook.CODES[guardianship.NOT_A_GUARDIAN],
        )
        existing = P.alias("existing")
        await problems(
            session,
            report,
            select(s.c.row_no)
            .join(existing, existing.c.reference == s.c.reference)
            .where(existing.c.anonymised_at.is_not(None)),
            "reference",
            "This participant has been anonymised and can no longer change.",
            code="anonymised",
        )
        if report.error_count or not write:
            await self.stage.drop()
            return
        await write_participants(
            session, report, stage=self.stage, columns=self.columns, today=self.today
        )
        await self.stage.drop()
