"""Expense rules: an amount is never zero (negative: a refund or credit note), every
reference names something that exists (each missing one is listed), and the scheme is
named by its code on the wire but held by id. Writes go through the ORM, so the audit
hook records them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.auth.scoping import FastRead, get_scoped
from api.common.etag import check_if_match
from api.errors import BadRequest, FieldProblem, NotFound, ProblemType, field_problem
from api.expenses.schemas import ExpenseCreate, ExpenseQuery, ExpenseRead, ExpenseUpdate
from api.models import Activity, Expense, Location, Partner, ReimbursementScheme

SORTABLE = {
    "date": Expense.spent_on,
    "amount": Expense.amount,
    "category": Expense.category,
    "createdAt": Expense.created_at,
}
DEFAULT_ORDER = [Expense.spent_on.desc(), Expense.id]
_COLUMNS = [
    *(getattr(Expense, n) for n in ExpenseRead.model_fields if n != "scheme_code"),
    ReimbursementScheme.code.label("scheme_code"),
]
# (attribute, wire name, key column) of the references checked on create and change.
_REFERENCES: list[tuple[str, str, Any]] = [
    ("location_id", "locationId", Location.id),
    ("activity_id", "activityId", Activity.id),
    ("partner_id", "partnerId", Partner.id),
]
_REQUIRED = (
    ("spent_on", "date"),
    ("category", "category"),
    ("amount", "amount"),
    ("description", "description"),
)


def _select() -> Select[Any]:
    return select(*_COLUMNS).outerjoin(
        ReimbursementScheme, ReimbursementScheme.id == Expense.scheme_id
    )


BY_ID = FastRead(Expense, ExpenseRead, "expense", stmt=_select())


def _bad(problems: list[FieldProblem], what: str = "The expense") -> BadRequest:
    return BadRequest(
        f"{what} has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def check_query(query: ExpenseQuery) -> None:
    problems = []
    if query.year is not None:
        for value, name in ((query.from_, "from"), (query.to, "to")):
            if value is not None:
                problems.append(field_problem("query", name, "Give `year` or `from`/`to`."))
    if query.from_ is not None and query.to is not None and query.to < query.from_:
        problems.append(
            field_problem("query", "to", "Must be on or after from.", code="before_start")
        )
    if problems:
        raise _bad(problems, "The query")


def list_statement(query: ExpenseQuery) -> Select[Any]:
    stmt = _select()
    first, last = query.from_, query.to
    if query.year is not None:
        first, last = date(query.year, 1, 1), date(query.year, 12, 31)
    if first is not None:
        stmt = stmt.where(Expense.spent_on >= first)
    if last is not None:
        stmt = stmt.where(Expense.spent_on <= last)
    if query.category is not None:
        stmt = stmt.where(Expense.category == query.category)
    if query.location_id is not None:
        stmt = stmt.where(Expense.location_id == query.location_id)
    if query.scheme_code is not None:
        # An unknown code simply matches nothing: a filter, not a reference.
        stmt = stmt.where(ReimbursementScheme.code == query.scheme_code)
    return stmt


async def read(session: AsyncSession, *, expense_id: uuid.UUID) -> Any:
    row = (await session.execute(_select().where(Expense.id == expense_id))).one_or_none()
    if row is None:
        raise NotFound(f"There is no expense with id {expense_id}.")
    return row


async def _resolve(
    session: AsyncSession, changes: dict[str, Any]
) -> tuple[uuid.UUID | None, list[FieldProblem]]:
    """The scheme's id for ``scheme_code`` and a problem for each reference that does not
    exist, in one statement (a scalar subquery per reference given)."""
    probes: list[tuple[str, Any]] = []
    for key, name, column in _REFERENCES:
        if changes.get(key) is not None:
            probes.append((name, select(column).where(column == changes[key])))
    code = changes.get("scheme_code")
    if code is not None:
        probes.append(("schemeCode", select(ReimbursementScheme.id).where(
            ReimbursementScheme.code == code
        )))  # fmt: skip
    if not probes:
        return None, []
    row = (await session.execute(select(*(q.scalar_subquery().label(n) for n, q in probes)))).one()
    found = dict(zip((n for n, _ in probes), row, strict=True))
    problems = [
        field_problem(
            "body",
            name,
            "There is no such scheme." if name == "schemeCode" else "There is no such record.",
        )
        for name, value in found.items()
        if value is None
    ]
    scheme_id = found.get("schemeCode")
    return (scheme_id if isinstance(scheme_id, uuid.UUID) else None), problems


async def create(session: AsyncSession, *, data: ExpenseCreate, actor: Principal) -> Expense:
    values = data.model_dump(by_alias=False)
    scheme_id, problems = await _resolve(session, values)
    if problems:
        raise _bad(problems)
    values.pop("scheme_code")
    expense = Expense(**values, scheme_id=scheme_id)
    session.add(expense)
    await session.flush()
    return expense


async def update(
    session: AsyncSession,
    *,
    expense_id: uuid.UUID,
    data: ExpenseUpdate,
    actor: Principal,
    if_match: str | None,
) -> Expense:
    expense = await get_scoped(session, Expense, expense_id, actor, "expense")
    check_if_match(if_match, expense.version)
    changes = data.model_dump(exclude_unset=True, by_alias=False)
    problems = [
        field_problem("body", name, "Cannot be cleared.", code="cannot_clear")
        for key, name in _REQUIRED
        if key in changes and changes[key] is None
    ]
    scheme_id, missing = await _resolve(session, changes)
    problems += missing
    if problems:
        raise _bad(problems)
    if "scheme_code" in changes:
        changes.pop("scheme_code")
        expense.scheme_id = scheme_id
    for field, value in changes.items():
        setattr(expense, field, value)
    await session.flush()
    return expense


async def delete(
    session: AsyncSession, *, expense_id: uuid.UUID, actor: Principal, if_match: str | None
) -> None:
    expense = await get_scoped(session, Expense, expense_id, actor, "expense")
    check_if_match(if_match, expense.version)
    await session.delete(expense)
    await session.flush()
