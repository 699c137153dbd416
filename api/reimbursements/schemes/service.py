"""Scheme and rate rules: codes unique and fixed, a scheme's basis fixed once a claim uses
it, and rate ranges of one scheme that never overlap (checked under a lock on the scheme's
row). Rates are append-only: a published amount is never edited; a new rate that starts
after an open-ended one ends that one the day before ("until further notice")."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from api.common.etag import check_if_match, etag_for
from api.common.pagination import read_columns
from api.db import take_write_lock
from api.db.fast import DriverQuery, dumps, reading, wire_keys
from api.errors import BadRequest, Conflict, NotFound, ProblemType, field_problem
from api.models import RateCertainty, ReimbursementClaim, ReimbursementRate, ReimbursementScheme
from api.reimbursements.schemes.schemas import (
    RateCreate,
    RateUpdate,
    SchemeCreate,
    SchemeQuery,
    SchemeRead,
    SchemeUpdate,
)

SORTABLE = {
    "code": ReimbursementScheme.code,
    "name": ReimbursementScheme.name,
    "basis": ReimbursementScheme.basis,
    "createdAt": ReimbursementScheme.created_at,
}
DEFAULT_ORDER = [ReimbursementScheme.code, ReimbursementScheme.id]


def list_statement(query: SchemeQuery) -> Any:
    stmt = select(*read_columns(ReimbursementScheme, SchemeRead))
    if query.basis is not None:
        stmt = stmt.where(ReimbursementScheme.basis == query.basis)
    return stmt


async def get(session: AsyncSession, code: str, *, lock: bool = False) -> ReimbursementScheme:
    """The scheme by code, or 404; with ``lock``, held until commit (``FOR UPDATE`` on
    PostgreSQL, the database's write lock on SQLite)."""
    stmt = select(ReimbursementScheme).where(ReimbursementScheme.code == code)
    if lock:
        await take_write_lock(session)
        stmt = stmt.with_for_update()
    scheme = (await session.execute(stmt)).scalar_one_or_none()
    if scheme is None:
        raise NotFound(f"There is no reimbursement scheme with code '{code}'.")
    return scheme


# GET /reimbursement-schemes/{code}, on the driver. The kinds and groups are stored as
# the enums' values, which is how the schema writes them.
_BY_CODE = DriverQuery(
    select(*read_columns(ReimbursementScheme, SchemeRead)).where(
        ReimbursementScheme.code == bindparam("code")
    ),
    wire_keys(SchemeRead),
)


async def read_response(request: Request, code: str) -> Response:
    """``get`` on the driver, answered as ``SchemeRead``'s JSON with its ETag."""
    async with reading(request.app.state.db) as reader:
        row = await reader.one(_BY_CODE, {"code": code})
    if row is None:
        raise NotFound(f"There is no reimbursement scheme with code '{code}'.")
    return Response(
        dumps(row), media_type="application/json", headers={"ETag": etag_for(row["version"])}
    )


def _distinct(values: list[Any] | None) -> list[str] | None:
    return None if values is None else list(dict.fromkeys(v.value for v in values))


async def create(session: AsyncSession, *, data: SchemeCreate) -> ReimbursementScheme:
    clash = select(ReimbursementScheme.id).where(ReimbursementScheme.code == data.code)
    if (await session.execute(clash)).first() is not None:
        raise Conflict(
            f"A scheme with code '{data.code}' already exists.",
            type_=ProblemType.DUPLICATE,
            extra={"field": "code"},
        )
    scheme = ReimbursementScheme(
        code=data.code,
        name=data.name,
        basis=data.basis,
        location_kinds=_distinct(data.location_kinds),
        groups=_distinct(data.groups),
        description=data.description,
        requires_living_allowance=data.requires_living_allowance,
        place_condition=data.place_condition,
    )
    session.add(scheme)
    await session.flush()
    return scheme


async def update(
    session: AsyncSession, *, code: str, data: SchemeUpdate, if_match: str | None
) -> ReimbursementScheme:
    scheme = await get(session, code, lock=True)
    check_if_match(if_match, scheme.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (
            ("name", "name"),
            ("basis", "basis"),
            ("location_kinds", "locationKinds"),
            ("requires_living_allowance", "requiresLivingAllowance"),
        )
        if key in changes and changes[key] is None
    ]
    if problems:
        raise BadRequest(
            f"The scheme has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    if "basis" in changes and changes["basis"] != scheme.basis:
        used = exists().where(ReimbursementClaim.scheme_id == scheme.id)
        if await session.scalar(select(used)):
            raise Conflict(
                "Claims use this scheme; its basis cannot change (create another scheme).",
                type_=ProblemType.SCHEME_IN_USE,
                extra={"field": "basis"},
            )
    if "location_kinds" in changes:
        changes["location_kinds"] = _distinct(data.location_kinds)
    if "groups" in changes:
        changes["groups"] = _distinct(data.groups)
    for field, value in changes.items():
        setattr(scheme, field, value)
    await session.flush()
    return scheme


async def rates(session: AsyncSession, *, scheme_id: uuid.UUID) -> list[ReimbursementRate]:
    stmt = (
        select(ReimbursementRate)
        .where(ReimbursementRate.scheme_id == scheme_id)
        .order_by(ReimbursementRate.valid_from)
    )
    return list((await session.execute(stmt)).scalars().all())


async def add_rate(session: AsyncSession, *, code: str, data: RateCreate) -> ReimbursementRate:
    """Under the scheme's lock: two finance staff adding rates at once are serialised, so
    the overlap check sees the other's rate."""
    problems = []
    if data.valid_to is not None and data.valid_to < data.valid_from:
        problems.append(
            field_problem("body", "validTo", "Must be on or after validFrom.", code="before_start")
        )
    problems += _basis_problems(data.certainty, data.source)
    if problems:
        raise BadRequest(
            f"The rate has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    scheme = await get(session, code, lock=True)
    existing = await rates(session, scheme_id=scheme.id)
    if data.certainty is RateCertainty.published:
        existing = await _supersede(session, scheme.id, existing, data)
    for rate in existing:
        open_before = rate.valid_to is None and rate.valid_from < data.valid_from
        if open_before:
            # Until further notice: the new rate is that notice.
            rate.valid_to = data.valid_from - timedelta(days=1)
            continue
        ends_after = rate.valid_to is None or rate.valid_to >= data.valid_from
        starts_before = data.valid_to is None or rate.valid_from <= data.valid_to
        if ends_after and starts_before:
            until = rate.valid_to.isoformat() if rate.valid_to else "further notice"
            raise Conflict(
                f"The rate overlaps the scheme's rate of {rate.valid_from} until {until} "
                f"(id {rate.id}); the ranges of a scheme never overlap.",
                type_=ProblemType.OVERLAPPING_RATE,
                extra={
                    "rateId": str(rate.id),
                    "validFrom": rate.valid_from.isoformat(),
                    "validTo": rate.valid_to.isoformat() if rate.valid_to else None,
                },
            )
    rate = ReimbursementRate(
        scheme_id=scheme.id,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        amount=data.amount,
        source=data.source,
        published_on=data.published_on,
        certainty=data.certainty,
    )
    session.add(rate)
    await session.flush()
    return rate


async def _supersede(
    session: AsyncSession,
    scheme_id: uuid.UUID,
    existing: list[ReimbursementRate],
    data: RateCreate,
) -> list[ReimbursementRate]:
    """A published rate supersedes the provisional ones it overlaps: they were stand-ins
    for it. Each is cut back to the days outside the new range (split in two when it
    runs on past it; removed when nothing is left). Returns the rates left to check."""
    new_first, new_last = data.valid_from, data.valid_to
    kept: list[ReimbursementRate] = []
    for rate in existing:
        ends_after = rate.valid_to is None or rate.valid_to >= new_first
        starts_before = new_last is None or rate.valid_from <= new_last
        if rate.certainty is RateCertainty.published or not (ends_after and starts_before):
            kept.append(rate)
            continue
        after: ReimbursementRate | None = None
        if new_last is not None and (rate.valid_to is None or rate.valid_to > new_last):
            after = ReimbursementRate(
                scheme_id=scheme_id,
                valid_from=new_last + timedelta(days=1),
                valid_to=rate.valid_to,
                amount=rate.amount,
                source=rate.source,
                published_on=rate.published_on,
                certainty=rate.certainty,
            )
        if rate.valid_from < new_first:
            rate.valid_to = new_first - timedelta(days=1)
            kept.append(rate)
        else:
            await session.delete(rate)
        await session.flush()  # the cut first: the unique (scheme, valid_from) holds
        if after is not None:
            session.add(after)
            await session.flush()
            kept.append(after)
    return kept


def _basis_problems(certainty: RateCertainty, source: str | None) -> list[Any]:
    """A provisional amount is only as good as its basis: it must say what it rests on."""
    if certainty is RateCertainty.published or source:
        return []
    return [
        field_problem(
            "body",
            "source",
            "A provisional rate needs its basis (e.g. the announcing letter, or "
            "'assumed equal to 2025').",
            code="basis_required",
            params={"certainty": certainty.value},
        )
    ]


async def update_rate(
    session: AsyncSession,
    *,
    code: str,
    rate_id: uuid.UUID,
    data: RateUpdate,
    if_match: str | None,
) -> ReimbursementRate:
    """A provisional rate's amount, basis or certainty; a published one never changes
    (409): frozen claims and their hashes rest on it."""
    scheme = await get(session, code, lock=True)
    rate = (
        await session.execute(
            select(ReimbursementRate).where(
                ReimbursementRate.id == rate_id, ReimbursementRate.scheme_id == scheme.id
            )
        )
    ).scalar_one_or_none()
    if rate is None:
        raise NotFound(f"Scheme '{code}' has no rate with id {rate_id}.")
    check_if_match(if_match, rate.version)
    if rate.certainty is RateCertainty.published:
        raise Conflict(
            "The rate is published: it is never edited. Add a new rate instead.",
            type_=ProblemType.RATE_PUBLISHED,
            extra={"rateId": str(rate.id)},
        )
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in (("amount", "amount"), ("certainty", "certainty"))
        if key in changes and changes[key] is None
    ]
    certainty = changes.get("certainty") or rate.certainty
    source = changes.get("source", rate.source)
    problems += _basis_problems(RateCertainty(certainty), source)
    if problems:
        raise BadRequest(
            f"The rate has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    for field, value in changes.items():
        setattr(rate, field, value)
    await session.flush()
    return rate
