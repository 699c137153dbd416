"""Participant rules that need the database or more than one field.

Single-field formats (BSN 11-test, ISO codes, dates) are checked by the schemas, so a
request with several bad fields gets one 400 naming all of them. What is left here is
checked after that: uniqueness (409) and the cross-field rules (400).

Unaccompanied minors: the group requires a guardian, a guardianship organisation (the
rules are in ``guardianship``, shared by every writer), and a date of birth, and the person must be
under 18 on the day the group is set (at creation, or when a PATCH changes the group).
Turning 18 later changes nothing by itself, as with placements.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import BadRequest, Conflict, FieldProblem, field_problem
from api.models import Group, Participant, Partner
from api.participants.guardianship import guardian_problems

_UNIQUE = (("reference", "reference"), ("bsn", "bsn"), ("v_number", "vNumber"))


def eighteenth_birthday(born: date) -> date:
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February: of age on 1 March
        return date(born.year + 18, 3, 1)


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
        field_problem("body", name, f"Another participant already has this {name}.")
        for attr, name in _UNIQUE
        if attr in wanted and any(getattr(row, attr) == wanted[attr] for row in rows)
    ]
    if problems:
        raise Conflict(
            "A participant with the same identifier already exists: "
            + ", ".join(p.name for p in problems)
            + ".",
            type_="urn:opvang:problem:duplicate-participant",
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
    today: date,
    problems: list[FieldProblem],
) -> None:
    """Raise one 400 with ``problems`` plus every cross-field problem found here."""
    if group_set or guardian_changed:
        kind = None
        if guardian_partner_id is not None:
            kind = await session.scalar(
                select(Partner.kind).where(Partner.id == guardian_partner_id)
            )
        problems += [
            field_problem("body", name, message)
            for name, message in guardian_problems(group, guardian_partner_id, kind)
        ]
    if group is Group.unaccompanied_minor:
        if date_of_birth is None:
            problems.append(
                field_problem(
                    "body", "dateOfBirth", "An unaccompanied minor requires a date of birth."
                )
            )
        elif group_set and eighteenth_birthday(date_of_birth) <= today:
            problems.append(
                field_problem(
                    "body", "dateOfBirth", "An unaccompanied minor must be under 18 on entry."
                )
            )
    if problems:
        raise BadRequest(
            f"The participant has {len(problems)} invalid value(s); see errors.",
            type_="urn:opvang:problem:invalid-participant",
            errors=problems,
        )
