"""The row-by-row path: locations, activities, enrollments, expenses and rates.

These files are small (tens to hundreds of rows), and their rules live in their
services, so each valid row goes through the same service call as a POST (or a PATCH
when its natural key finds a record that differs), inside a savepoint: a refused row
is reported and the next one still checked. A row whose natural key finds a record
with the same values changes nothing, so a re-run of a file is a no-op.

Natural keys: a location's ``name``; an activity's ``title``, ``providerPartnerId`` and
``startsOn``; an enrollment's activity, participant and ``enrolledOn``; a rate's
``schemeCode`` and ``validFrom``; an expense is the same when every field is.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.activities import service as activities
from api.activities.schemas import ActivityCreate, ActivityUpdate
from api.auth.principal import Principal
from api.enrollments import service as enrollments
from api.enrollments.schemas import EnrollmentCreate, EnrollmentUpdate
from api.errors import AppError
from api.expenses import service as expenses
from api.imports.report import Report
from api.locations import service as locations
from api.locations.schemas import LocationCreate, LocationUpdate
from api.models import (
    Activity,
    CapacityChange,
    Enrollment,
    Expense,
    Location,
    Participant,
    ReimbursementRate,
    ReimbursementScheme,
)
from api.reimbursements.schemes import service as reimbursements
from api.reimbursements.schemes.schemas import RateCreate


class RowwiseImport:
    def __init__(
        self,
        session: AsyncSession,
        report: Report,
        columns: set[str],
        today: date,
        kind: str,
        actor: Principal,
    ) -> None:
        self.session = session
        self.report = report
        self.columns = columns
        self.today = today
        self.kind = kind
        self.actor = actor

    async def start(self) -> None:
        return None

    async def add(self, rows: list[tuple[int, Any]]) -> None:
        for row_no, data in rows:
            savepoint = await self.session.begin_nested()
            try:
                outcome = await getattr(self, "_" + self.kind)(data)
                await self.session.flush()
            except AppError as exc:
                await savepoint.rollback()
                if exc.errors:
                    for problem in exc.errors:
                        self.report.add(
                            row_no,
                            problem.name,
                            problem.detail,
                            problem.type,
                            code=problem.code,
                            params=problem.params,
                        )
                else:
                    # No field problems: the problem's type names it (a conflict, ...).
                    self.report.add(
                        row_no,
                        exc.extra.get("field"),
                        exc.detail,
                        None if exc.type == "about:blank" else exc.type,
                    )
                continue
            except BaseException:
                await savepoint.rollback()
                raise
            await savepoint.commit()
            if outcome == "created":
                self.report.created += 1
            elif outcome == "updated":
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    async def finish(self, write: bool) -> None:
        return None

    # --- one row of each kind ------------------------------------------------------------

    async def _locations(self, data: LocationCreate) -> str:
        found = (
            await self.session.execute(select(Location).where(Location.name == data.name))
        ).scalar_one_or_none()
        if found is None:
            await locations.create(self.session, data=data, actor=self.actor)
            return "created"
        first = await self.session.scalar(
            select(CapacityChange.capacity)
            .where(CapacityChange.location_id == found.id)
            .order_by(CapacityChange.valid_from)
            .limit(1)
        )
        fixed = {"opened_on": "openedOn", "closed_on": "closedOn"}
        for attr, name in fixed.items():
            if name in self.columns and getattr(found, attr) != getattr(data, attr):
                raise AppError(
                    f"Location '{found.name}' exists with another {name}; change its open "
                    "dates through the API (PATCH /locations/{id}), which checks its stays.",
                    extra={"field": name},
                )
        if first != data.capacity:
            raise AppError(
                f"Location '{found.name}' exists with another opening capacity ({first}); "
                "change capacity through /locations/{id}/capacity-changes.",
                extra={"field": "capacity"},
            )
        changes = self._changes(
            found, data, ("address", "postcode", "kind", "operator_partner_id", "external_code")
        )
        if not changes:
            return "unchanged"
        await locations.update(
            self.session,
            location_id=found.id,
            data=LocationUpdate.model_validate(changes),
            actor=self.actor,
            if_match=None,
        )
        return "updated"

    def _changes(self, found: Any, data: Any, attrs: tuple[str, ...]) -> dict[str, Any]:
        """The fields the file has that differ from the record, by alias."""
        fields = type(data).model_fields
        out = {}
        for attr in attrs:
            alias = fields[attr].alias or attr
            if alias not in self.columns:
                continue
            value = getattr(data, attr)
            current = getattr(found, attr)
            if isinstance(value, list):
                value_cmp: Any = [str(v) for v in value]
                current = [str(v) for v in current or []]
            else:
                value_cmp = value
            if value_cmp != current:
                out[alias] = value
        return out

    async def _activities(self, data: ActivityCreate) -> str:
        found = (
            await self.session.execute(
                select(Activity).where(
                    Activity.title == data.title,
                    Activity.provider_partner_id == data.provider_partner_id,
                    Activity.starts_on == data.starts_on,
                )
            )
        ).scalar_one_or_none()
        if found is None:
            await activities.create(self.session, data=data, actor=self.actor)
            return "created"
        changes = self._changes(
            found,
            data,
            ("kind", "location_id", "ends_on", "schedule", "capacity", "target_groups"),
        )
        if not changes:
            return "unchanged"
        await activities.update(
            self.session,
            activity_id=found.id,
            data=ActivityUpdate.model_validate(changes),
            actor=self.actor,
            if_match=None,
        )
        return "updated"

    async def _enrollments(self, data: Any) -> str:
        participant_id = data.participant_id
        if participant_id is None:
            participant_id = await self.session.scalar(
                select(Participant.id).where(Participant.reference == data.participant_reference)
            )
            if participant_id is None:
                raise AppError(
                    "There is no participant with this reference.",
                    extra={"field": "participantReference"},
                )
        enrolled_on = data.enrolled_on or self.today
        found = (
            await self.session.execute(
                select(Enrollment).where(
                    Enrollment.activity_id == data.activity_id,
                    Enrollment.participant_id == participant_id,
                    Enrollment.enrolled_on == enrolled_on,
                )
            )
        ).scalar_one_or_none()
        if found is None:
            create = EnrollmentCreate.model_validate(
                {
                    "activityId": data.activity_id,
                    "participantId": participant_id,
                    "enrolledOn": enrolled_on,
                    "status": data.status,
                }
            )
            await enrollments.create(self.session, data=create, actor=self.actor)
            return "created"
        if "status" not in self.columns or found.status == data.status:
            return "unchanged"
        await enrollments.update(
            self.session,
            enrollment_id=found.id,
            data=EnrollmentUpdate.model_validate({"status": data.status}),
            actor=self.actor,
            if_match=None,
        )
        return "updated"

    async def _expenses(self, data: Any) -> str:
        scheme_id: uuid.UUID | None = None
        if data.scheme_code is not None:
            scheme_id = await self.session.scalar(
                select(ReimbursementScheme.id).where(ReimbursementScheme.code == data.scheme_code)
            )
        same = await self.session.scalar(
            select(Expense.id)
            .where(
                Expense.spent_on == data.spent_on,
                Expense.category == data.category,
                Expense.amount == data.amount,
                Expense.description == data.description,
                _same(Expense.location_id, data.location_id),
                _same(Expense.activity_id, data.activity_id),
                _same(Expense.partner_id, data.partner_id),
                _same(Expense.scheme_id, scheme_id),
            )
            .limit(1)
        )
        if same is not None:
            return "unchanged"
        await expenses.create(self.session, data=data, actor=self.actor)
        return "created"

    async def _rates(self, data: Any) -> str:
        found = (
            await self.session.execute(
                select(ReimbursementRate)
                .join(ReimbursementScheme, ReimbursementScheme.id == ReimbursementRate.scheme_id)
                .where(
                    ReimbursementScheme.code == data.scheme_code,
                    ReimbursementRate.valid_from == data.valid_from,
                )
            )
        ).scalar_one_or_none()
        if found is not None and (found.valid_to, found.amount) == (data.valid_to, data.amount):
            return "unchanged"
        create = RateCreate.model_validate(
            {
                "validFrom": data.valid_from,
                "validTo": data.valid_to,
                "amount": data.amount,
                "source": data.source,
                "publishedOn": data.published_on,
            }
        )
        await reimbursements.add_rate(self.session, code=data.scheme_code, data=create)
        return "created"


def _same(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value
