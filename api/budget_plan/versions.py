"""Begroting versions and their lines.

Rules: a year's first version is its primitive begroting (number 0), each next one a
wijziging numbered in order, which needs a council decision reference and is decided on
or after the version before it. A version can be changed (its fields, its lines) or
removed only while it is the year's latest: once a later wijziging builds on it, it is
history the council has amended, not a draft (a correction is a new wijziging). Lines:
an expense line names a category, an income line a scheme (by code); no category or
scheme twice in one version; the primitive's amounts are planned amounts (not
negative), a wijziging's are changes (never zero). Every problem is listed in one 400.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, exists, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.budget_plan.schemas import (
    BudgetLineRead,
    BudgetLineWrite,
    BudgetVersionCreate,
    BudgetVersionQuery,
    BudgetVersionRead,
    BudgetVersionSummary,
    BudgetVersionUpdate,
)
from api.common.etag import check_if_match
from api.db.fast import DriverQuery, Reader
from api.errors import BadRequest, Conflict, FieldProblem, NotFound, ProblemType, field_problem
from api.models import BudgetLine, BudgetLineKind, BudgetVersion, ReimbursementScheme
from api.models.base import utcnow

SORTABLE = {"year": BudgetVersion.year, "number": BudgetVersion.number}
DEFAULT_ORDER = [BudgetVersion.year.desc(), BudgetVersion.number]


def _bad(problems: list[FieldProblem], what: str = "The begroting version") -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def list_statement(query: BudgetVersionQuery) -> Select[Any]:
    stmt = select(*(getattr(BudgetVersion, n) for n in BudgetVersionSummary.model_fields))
    if query.year is not None:
        stmt = stmt.where(BudgetVersion.year == query.year)
    return stmt


_V = aliased(BudgetVersion)
# The year's latest: no version of the year has a higher number (unique per year), as
# ``_latest`` finds it.
_IS_LATEST = ~exists().where(_V.year == BudgetVersion.year, _V.number > BudgetVersion.number)
_LINES = DriverQuery(
    select(
        BudgetLine.kind,
        BudgetLine.category,
        ReimbursementScheme.code.label("scheme_code"),
        BudgetLine.amount,
        BudgetLine.note,
    )
    .outerjoin(ReimbursementScheme, ReimbursementScheme.id == BudgetLine.scheme_id)
    .where(BudgetLine.version_id == bindparam("version_id"))
    .order_by(BudgetLine.kind, BudgetLine.category, ReimbursementScheme.code),
    list(BudgetLineRead.model_fields),
)


async def _lines(reader: Reader, row: Mapping[str, Any]) -> dict[str, Any]:
    return {"lines": await reader.rows(_LINES, {"version_id": row["id"]})}


BY_ID = FastRead(
    BudgetVersion,
    BudgetVersionRead,
    "begroting version",
    stmt=select(
        *(getattr(BudgetVersion, n) for n in BudgetVersionSummary.model_fields),
        _IS_LATEST.label("latest"),
    ),
    children=_lines,
)


async def _get(session: AsyncSession, version_id: uuid.UUID) -> BudgetVersion:
    version = await session.get(BudgetVersion, version_id)
    if version is None:
        raise NotFound(f"There is no begroting version with id {version_id}.")
    return version


async def _latest(session: AsyncSession, year: int) -> BudgetVersion | None:
    stmt = (
        select(BudgetVersion)
        .where(BudgetVersion.year == year)
        .order_by(BudgetVersion.number.desc())
        .limit(1)
    )
    return (await session.scalars(stmt)).first()


async def read(session: AsyncSession, *, version_id: uuid.UUID) -> BudgetVersionRead:
    version = await _get(session, version_id)
    latest = await _latest(session, version.year)
    stmt = (
        select(
            BudgetLine.kind,
            BudgetLine.category,
            ReimbursementScheme.code.label("scheme_code"),
            BudgetLine.amount,
            BudgetLine.note,
        )
        .outerjoin(ReimbursementScheme, ReimbursementScheme.id == BudgetLine.scheme_id)
        .where(BudgetLine.version_id == version.id)
        .order_by(BudgetLine.kind, BudgetLine.category, ReimbursementScheme.code)
    )
    lines = [BudgetLineRead.model_validate(row) for row in (await session.execute(stmt)).all()]
    summary = BudgetVersionSummary.model_validate(version)
    return BudgetVersionRead(
        **summary.model_dump(by_alias=False),
        latest=latest is not None and latest.id == version.id,
        lines=lines,
    )


# (the kind's own field, the other kind's field, what is wrong with each) per kind.
_FIELDS = {
    BudgetLineKind.expense: ("category", "schemeCode", "An expense line names a category."),
    BudgetLineKind.income: ("schemeCode", "category", "An income line names a scheme."),
}


def _line_problem(
    line: BudgetLineWrite, at: str, schemes: dict[str, uuid.UUID], primitive: bool
) -> list[FieldProblem]:
    """The problems of one line on its own (``at``: its name's prefix, ``lines[3].``)."""
    own, other, needed = _FIELDS[line.kind]
    key = line.category if line.kind == BudgetLineKind.expense else line.scheme_code
    stray = line.scheme_code if line.kind == BudgetLineKind.expense else line.category
    found: list[FieldProblem] = []
    if key is None:
        found.append(field_problem("body", at + own, needed, code="missing"))
    elif line.kind == BudgetLineKind.income and key not in schemes:
        found.append(field_problem("body", at + own, "There is no such scheme.", code="not_found"))
    if stray is not None:
        found.append(field_problem("body", at + other, "Leave it out here.", code="not_allowed"))
    if primitive and line.amount < 0:
        found.append(
            field_problem(
                "body", at + "amount", "A planned amount is not negative.", code="money_negative"
            )
        )
    if not primitive and line.amount == 0:
        found.append(
            field_problem("body", at + "amount", "A change is never zero.", code="amount_zero")
        )
    return found


async def _line_problems(
    session: AsyncSession, lines: Sequence[BudgetLineWrite], *, primitive: bool, prefix: str
) -> tuple[list[FieldProblem], dict[str, uuid.UUID]]:
    """Every problem of the lines (named ``<prefix>[i].field``), and the schemes' ids (one
    statement for all the codes named)."""
    codes = sorted({line.scheme_code for line in lines if line.scheme_code is not None})
    schemes: dict[str, uuid.UUID] = {}
    if codes:
        stmt = select(ReimbursementScheme.code, ReimbursementScheme.id).where(
            ReimbursementScheme.code.in_(codes)
        )
        schemes = dict((await session.execute(stmt)).all())
    problems: list[FieldProblem] = []
    seen: set[tuple[BudgetLineKind, str]] = set()
    for i, line in enumerate(lines):
        at = f"{prefix}[{i}]."
        problems += _line_problem(line, at, schemes, primitive)
        key = line.category if line.kind == BudgetLineKind.expense else line.scheme_code
        if key is not None and (line.kind, str(key)) in seen:
            own = _FIELDS[line.kind][0]
            problems.append(
                field_problem(
                    "body", at + own, "The version has a line for it already.",
                    code="duplicate_line",
                )
            )  # fmt: skip
        if key is not None:
            seen.add((line.kind, str(key)))
    return problems, schemes


def _decision_problems(number: int, reference: str | None) -> list[FieldProblem]:
    if number > 0 and reference is None:
        return [
            field_problem(
                "body",
                "decisionReference",
                "A wijziging needs the council decision that adopted it.",
                code="missing",
            )
        ]
    return []


def _not_before(previous: BudgetVersion | None, decided: Any) -> list[FieldProblem]:
    if previous is not None and decided < previous.decided_on:
        return [
            field_problem(
                "body",
                "decidedOn",
                "A wijziging is decided on or after the version before it.",
                code="before_previous",
                params={"from": previous.decided_on.isoformat()},
            )
        ]
    return []


def _add_lines(
    session: AsyncSession,
    version: BudgetVersion,
    lines: Sequence[BudgetLineWrite],
    schemes: dict[str, uuid.UUID],
) -> None:
    for line in lines:
        session.add(
            BudgetLine(
                version_id=version.id,
                kind=line.kind,
                category=line.category if line.kind == BudgetLineKind.expense else None,
                scheme_id=schemes[line.scheme_code]
                if line.kind == BudgetLineKind.income and line.scheme_code
                else None,
                amount=line.amount,
                note=line.note,
            )
        )


async def create(
    session: AsyncSession, *, data: BudgetVersionCreate, actor: Principal
) -> BudgetVersion:
    previous = await _latest(session, data.year)
    number = 0 if previous is None else previous.number + 1
    problems = _decision_problems(number, data.decision_reference)
    problems += _not_before(previous, data.decided_on)
    line_problems, schemes = await _line_problems(
        session, data.lines, primitive=number == 0, prefix="lines"
    )
    if problems + line_problems:
        raise _bad(problems + line_problems)
    version = BudgetVersion(
        year=data.year,
        number=number,
        decided_on=data.decided_on,
        decision_reference=data.decision_reference,
        description=data.description,
    )
    session.add(version)
    await session.flush()
    _add_lines(session, version, data.lines, schemes)
    await session.flush()
    return version


async def _editable(
    session: AsyncSession, version_id: uuid.UUID, if_match: str | None
) -> tuple[BudgetVersion, BudgetVersion | None]:
    """The version if it is the year's latest, and the version before it."""
    version = await _get(session, version_id)
    check_if_match(if_match, version.version)
    latest = await _latest(session, version.year)
    if latest is None or latest.id != version.id:
        raise Conflict(
            f"Version {version.number} of {version.year} has a later wijziging; it can no "
            "longer change (record a correction as a new wijziging).",
            type_=ProblemType.STATUS_FLOW,
            extra={"latestNumber": None if latest is None else latest.number},
        )
    previous = None
    if version.number > 0:
        stmt = select(BudgetVersion).where(
            BudgetVersion.year == version.year, BudgetVersion.number == version.number - 1
        )
        previous = (await session.scalars(stmt)).first()
    return version, previous


async def update(
    session: AsyncSession,
    *,
    version_id: uuid.UUID,
    data: BudgetVersionUpdate,
    actor: Principal,
    if_match: str | None,
) -> BudgetVersion:
    version, previous = await _editable(session, version_id, if_match)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("decided_on", "decidedOn"), ("description", "description"))
        if key in changes and changes[key] is None
    ]
    reference = changes.get("decision_reference", version.decision_reference)
    problems += _decision_problems(version.number, reference)
    if changes.get("decided_on") is not None:
        problems += _not_before(previous, changes["decided_on"])
    if problems:
        raise _bad(problems)
    for field, value in changes.items():
        setattr(version, field, value)
    await session.flush()
    return version


async def replace_lines(
    session: AsyncSession,
    *,
    version_id: uuid.UUID,
    lines: Sequence[BudgetLineWrite],
    actor: Principal,
    if_match: str | None,
) -> BudgetVersion:
    version, _previous = await _editable(session, version_id, if_match)
    problems, schemes = await _line_problems(
        session, lines, primitive=version.number == 0, prefix="body"
    )
    if problems:
        raise _bad(problems, "The lines")
    await session.execute(sa_delete(BudgetLine).where(BudgetLine.version_id == version.id))
    _add_lines(session, version, lines, schemes)
    version.updated_at = utcnow()  # the version's ETag moves with its lines
    await session.flush()
    return version


async def delete(
    session: AsyncSession, *, version_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    version, _previous = await _editable(session, version_id, if_match)
    await session.delete(version)  # its lines go with it (ON DELETE CASCADE)
    await session.flush()
