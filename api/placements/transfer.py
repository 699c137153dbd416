"""Verhuizen: one stay ends and the next starts on the same day, in one transaction.

The moving day ``date`` is the old stay's ``endDate`` (reason ``transfer``; its last
night is the day before) and the new stay's ``startDate``. Both writes go through
``rules.write`` with every rule; the old stay is shortened first (a shorter stay never
breaks capacity), so the new one does not overlap it. A refusal of either raises, and
the request's transaction is rolled back: the person never ends up with one stay
ended and no next one. A rule's field on the new stay is named as in the request
(``startDate`` -> ``date``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import get_scoped
from api.common.etag import check_if_match
from api.common.schemas import ApiModel, ReadModel
from api.db import take_write_lock
from api.errors import AppError, BadRequest, ProblemType, field_problem
from api.models import EndReason, Placement
from api.placements.rules import Stay, write
from api.placements.schemas import CapacityOverride, PlacementRead

_RENAMED = {"startDate": "date"}


class PlacementTransfer(ApiModel):
    location_id: uuid.UUID = Field(description="Where the person moves to.")
    date: dt.date = Field(
        description="The moving day: the old stay's `endDate` and the new stay's `startDate`."
    )
    end_date: dt.date | None = Field(
        default=None, description="The new stay's planned departure day (exclusive)."
    )
    end_reason: EndReason | None = Field(
        default=None, description="Required together with `endDate`, and only with it."
    )
    capacity_override: CapacityOverride | None = Field(
        default=None, description="Admin only: move even when the new location is full."
    )


class TransferRead(ReadModel):
    ended: PlacementRead = Field(description="The old stay, now ending on `date`.")
    started: PlacementRead = Field(description="The new stay, from `date`.")


def _renamed(error: AppError) -> AppError:
    field = error.extra.get("field")
    if isinstance(field, str) and field in _RENAMED:
        error.extra["field"] = _RENAMED[field]
    for problem in error.errors or []:
        problem.name = _RENAMED.get(problem.name, problem.name)
    return error


async def transfer(
    session: AsyncSession,
    *,
    placement_id: uuid.UUID,
    data: PlacementTransfer,
    actor: Principal,
    if_match: str | None,
) -> tuple[Placement, Placement]:
    await take_write_lock(session)
    old = await get_scoped(session, Placement, placement_id, actor, "placement")
    check_if_match(if_match, old.version)
    problems = []
    if data.date <= old.start_date:
        problems.append(field_problem("body", "date", "Must be after the stay's startDate."))
    elif old.end_date is not None and old.end_date < data.date:
        problems.append(field_problem("body", "date", f"The stay already ends on {old.end_date}."))
    if data.location_id == old.location_id:
        problems.append(field_problem("body", "locationId", "Choose another location."))
    if problems:
        raise BadRequest(
            f"The transfer has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    ending = Stay(
        old.participant_id, old.location_id, old.start_date, data.date, EndReason.transfer
    )
    try:
        ended = await write(session, stay=ending, actor=actor, placement=old)
    except AppError as error:
        raise _renamed(error) from None
    starting = Stay(old.participant_id, data.location_id, data.date, data.end_date, data.end_reason)
    override = data.capacity_override.reason if data.capacity_override else None
    try:
        started = await write(session, stay=starting, actor=actor, override_reason=override)
    except AppError as error:
        raise _renamed(error) from None
    return ended, started
