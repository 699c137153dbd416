"""Participant rules that need the database or more than one field.

Single-field formats (BSN 11-test, ISO codes, dates) are checked by the schemas, so a
request with several bad fields gets one 400 naming all of them. What is left here is
checked after that: uniqueness (409) and the cross-field rules (400).

Unaccompanied minors: the group requires a guardian, a guardianship organisation, and a
date of birth (``rulebook``, shared by every writer). Their age is a rule of a stay:
under 18 on its first night (``placements.rulebook``), not of the record.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import BadRequest, Conflict, FieldProblem, ProblemType, field_problem
from api.models import Group, Participant, Partner
from api.participants import rulebook
from api.participants.rulebook import eighteenth_birthday as eighteenth_birthday

_UNIQUE = (("reference", "reference"), ("bsn", "bsn"), ("v_number", "vNumber"))


async def ensure_unique(
    session: AsyncSession, values: dict[str, object], exclude: uuid.UUID | None = None
) -> None:
    """409 naming every identifier (reference, bsn, vNumber) already held by someone else."""
    wanted = {attr: values[attr] for attr, _ in _UNIQUE if values.get(attr) is not None}
    if not wanted:
        return
    stmt = select(Participant.reference, Participant.bsn, Participant.v_number).where(
        or_(*(getattr(Participant, attr) == value for attr, value in wanted.items()))
    )
    if exclude is not None:
        stmt = stmt.where(Participant.id != exclude)
    rows = (await session.execute(stmt)).all()
    problems = [
        field_problem("body", name, f"Another participant already has this {name}.", code="taken")
        for attr, name in _UNIQUE
        if attr in wanted and any(getattr(row, attr) == wanted[attr] for row in rows)
    ]
    if problems:
        raise Conflict(
            "A participant with the same identifier already exists: "
            + ", ".join(p.name for p in problems)
            + ".",
            type_=ProblemType.DUPLICATE_PARTICIPANT,
            errors=problems,
        )


async def check_consistency(
    session: AsyncSession,
    *,
    group: Group,
    guardian_partner_id: uuid.UUID | None,
    date_of_birth: date | None,
    group_set: bool,
    guardian_changed: bool,
    problems: list[FieldProblem],
) -> None:
    """Raise one 400 with ``problems`` plus every cross-field problem found here."""
    kind = None
    if (group_set or guardian_changed) and guardian_partner_id is not None:
        kind = await session.scalar(select(Partner.kind).where(Partner.id == guardian_partner_id))
    problems += [
        field_problem("body", name, message, code=rulebook.CODES.get(message, "invalid"))
        for name, message in rulebook.registration(
            group=group,
            born=date_of_birth,
            guardian_id=guardian_partner_id,
            guardian_kind=kind,
            check_guardian=group_set or guardian_changed,
        )
    ]
    if problems:
        raise BadRequest(
            f"The participant has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_PARTICIPANT,
            errors=problems,
        )
