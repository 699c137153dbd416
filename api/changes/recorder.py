"""Writing the change feed, inside the transaction of the change.

ORM writes of resources (``Entity`` rows) are collected by an ``after_flush`` hook, so
no service can forget them; set-based writers (imports, partner events) that bypass the
ORM call ``record_changes``. Just before COMMIT the session:

1. bumps the single-row counter (``UPDATE change_counter ... RETURNING``): the row lock
   is held until COMMIT, so a second writer waits there and gets the next positions only
   after the first has committed. Positions therefore follow commit order, and a reader
   that sees position n+1 also sees every position up to n;
2. writes the ``changes`` rows and, per change, the partners that may see it
   (``change_audiences``), from each model's ``partner_scope``, in chunks of ``CHUNK``
   rows.

A set-based writer with many rows (the bulk imports) calls ``record_changes_from``
instead: its rows go by ``INSERT ... SELECT`` into a temporary table of the
transaction, and at COMMIT from there into ``changes`` (and their audiences into
``change_audiences``) with one statement each -- no Python object per change, so memory
stays flat however many rows an import writes.

Changes made inside a savepoint that is rolled back are forgotten with it (the rows of
the temporary table too: they were written in the savepoint).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import count, islice
from typing import Any, cast

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    event,
    func,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from api.db.dialect import sql_of
from api.db.staging import temporary_table_ddl
from api.models import Change, ChangeAudience, ChangeCounter, Entity, Partner, utcnow

_PENDING = "pending_changes"
_BATCH_TABLES = "pending_change_tables"  # the temporary tables exist on the connection
CHANGES = cast(Table, Change.__table__)
AUDIENCES = cast(Table, ChangeAudience.__table__)
CHUNK = 5000
_batch_numbers = count(1)  # unique in the process: no batch is taken for another's

# The temporary tables of ``record_changes_from`` (one pair per connection, emptied at
# COMMIT): ``seq`` numbers a batch's rows from 1, in the order they are to be fed.
_TEMP = MetaData()
BATCH_ROWS = Table(
    "opvang_pending_changes",
    _TEMP,
    Column("batch", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("operation", String(16), nullable=False),
    Column("version", Integer),
    prefixes=["TEMPORARY"],
)
BATCH_AUDIENCES = Table(
    "opvang_pending_change_audiences",
    _TEMP,
    Column("batch", Integer, nullable=False),
    Column("entity_id", Uuid, nullable=False),
    Column("partner_id", Uuid, nullable=False),
    prefixes=["TEMPORARY"],
)


@dataclass
class PendingChange:
    model: type[Entity]
    entity_id: uuid.UUID
    operation: str  # create | update | delete
    version: int | None
    at: datetime
    transaction: SessionTransaction | None
    # For a delete the row is gone at COMMIT: its audience is taken before the flush.
    audience: list[uuid.UUID] | None = None


@dataclass
class PendingBatch:
    """``count`` changes of ``model`` waiting in the temporary table as ``batch``;
    ``explicit``: their audiences are in the audience table too (else they are taken
    from the model's ``partner_scope`` at COMMIT)."""

    model: type[Entity]
    batch: int
    count: int
    at: datetime
    transaction: SessionTransaction | None
    explicit: bool


_NAMES: dict[type[Entity], str] = {}


def entity_name(model: type[Entity]) -> str:
    """The feed's name of a model: its table's (looked up once per model)."""
    name = _NAMES.get(model)
    if name is None:
        name = _NAMES[model] = str(inspect(model).local_table.name)
    return name


def _pending(session: Session) -> list[PendingChange | PendingBatch]:
    pending: list[PendingChange | PendingBatch] = session.info.setdefault(_PENDING, [])
    return pending


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def record_changes(
    session: Session,
    model: type[Entity],
    rows: list[tuple[uuid.UUID, str, int | None]],
    *,
    audiences: dict[uuid.UUID, list[uuid.UUID]] | None = None,
) -> None:
    """Changes written without the ORM: ``(id, operation, version)`` per row. Pass the
    sync session (``async_session.sync_session``). A writer that already knows which
    partners may see each row passes ``audiences`` (spares the look-up at COMMIT)."""
    now = utcnow()
    tx = _innermost(session)
    _pending(session).extend(
        PendingChange(model, i, op, v, now, tx, None if audiences is None else audiences.get(i, []))
        for i, op, v in rows
    )


async def record_changes_from(
    session: AsyncSession,
    model: type[Entity],
    rows: Any,
    *,
    audiences: Any = None,
) -> int:
    """Changes of a set-based write, straight from SQL: ``rows`` is a select of
    ``(order, entity_id, operation, version)`` (one row per entity; ``order`` sorts them
    for the feed), ``audiences`` of ``(entity_id, partner_id)`` when the writer knows
    who may see each row (else the model's ``partner_scope`` decides at COMMIT).
    Answers how many changes were recorded. Run it in the transaction of the write."""
    connection = await session.connection()
    sync = session.sync_session
    if not sync.info.get(_BATCH_TABLES):
        for table in (BATCH_ROWS, BATCH_AUDIENCES):
            ddl = temporary_table_ddl(table, connection.dialect, if_not_exists=True)
            await connection.exec_driver_sql(ddl)
        sync.info[_BATCH_TABLES] = True
    batch = next(_batch_numbers)
    source = rows.subquery()
    order, entity_id, operation, version = list(source.c)[:4]
    number = func.row_number().over(order_by=[order, entity_id])
    result: CursorResult[Any] = await session.execute(  # type: ignore[assignment]
        insert(BATCH_ROWS).from_select(
            ["batch", "seq", "entity_id", "operation", "version"],
            select(literal(batch, Integer), number, entity_id, operation, version),
        )
    )
    recorded = int(result.rowcount or 0)
    if audiences is not None and recorded:
        given = audiences.subquery()
        entity, partner = list(given.c)[:2]
        await session.execute(
            insert(BATCH_AUDIENCES).from_select(
                ["batch", "entity_id", "partner_id"],
                select(literal(batch, Integer), entity, partner).where(partner.is_not(None)),
            )
        )
    if recorded:
        _pending(sync).append(
            PendingBatch(model, batch, recorded, utcnow(), _innermost(sync), audiences is not None)
        )
    return recorded


def _write_batch(session: Session, change: PendingBatch, first: int) -> None:
    """The batch's changes at positions ``first`` on, and their audiences."""
    rows = BATCH_ROWS
    base = bindparam("base", first - 1, type_=CHANGES.c.position.type)
    mine = rows.c.batch == change.batch
    session.execute(
        insert(CHANGES).from_select(
            ["position", "entity", "entity_id", "operation", "version", "changed_at"],
            select(
                base + rows.c.seq,
                literal(entity_name(change.model), String),
                sql_of(session).uuid_text(rows.c.entity_id),
                rows.c.operation,
                rows.c.version,
                bindparam("at", change.at, type_=DateTime(timezone=True)),
            )
            .where(mine)
            .order_by(rows.c.seq),
        )
    )
    model = change.model
    if change.explicit:
        given = BATCH_AUDIENCES
        audience: Any = (
            select(base + rows.c.seq, given.c.partner_id)
            .select_from(rows)
            .join(given, (given.c.batch == rows.c.batch) & (given.c.entity_id == rows.c.entity_id))
            .where(mine)
        )
    elif model.partner_scope.__func__ is Entity.partner_scope.__func__:  # type: ignore[attr-defined]
        audience = None  # default-deny: no partner sees this kind of record
    elif model is Partner:
        audience = select(base + rows.c.seq, rows.c.entity_id).where(mine)
    else:
        id_column: Any = model.id
        partner_id: Any = Partner.id
        audience = (
            select(base + rows.c.seq, Partner.id)
            .select_from(rows)
            .join(model, id_column == rows.c.entity_id)
            .join(Partner, model.partner_scope(partner_id))
            .where(mine)
        )
    if audience is not None:
        session.execute(
            insert(AUDIENCES).from_select(["position", "partner_id"], audience.distinct())
        )


def _audiences(
    session: Session, model: type[Entity], ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Which partners may see each of ``ids``: one statement per model."""
    found: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    if model.partner_scope.__func__ is Entity.partner_scope.__func__:  # type: ignore[attr-defined]
        return found  # default-deny: no partner sees this kind of record
    if model is Partner:
        return {i: [i] for i in ids}  # a partner sees its own record
    id_column: Any = model.id
    partner_id: Any = Partner.id  # partner_scope correlates with any partner's id
    for start in range(0, len(ids), 500):
        stmt = (
            select(id_column, Partner.id)
            .select_from(model)
            .join(Partner, model.partner_scope(partner_id))
            .where(id_column.in_(ids[start : start + 500]))
        )
        for entity_id, partner in session.execute(stmt):
            found[entity_id].append(partner)
    return found


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    deleted = [obj for obj in session.deleted if isinstance(obj, Entity)]
    if not deleted:
        return
    tx = _innermost(session)
    now = utcnow()
    by_model: dict[type[Entity], list[Entity]] = defaultdict(list)
    for obj in deleted:
        by_model[type(obj)].append(obj)
    for model, objects in by_model.items():
        audiences = _audiences(session, model, [o.id for o in objects])
        _pending(session).extend(
            PendingChange(model, o.id, "delete", o.version, now, tx, audiences.get(o.id, []))
            for o in objects
        )


def _after_flush(session: Session, _context: Any) -> None:
    tx = _innermost(session)
    now = utcnow()
    pending = _pending(session)
    for obj in session.new:
        if isinstance(obj, Entity):
            pending.append(PendingChange(type(obj), obj.id, "create", obj.version, now, tx))
    for obj in session.dirty:
        if isinstance(obj, Entity) and session.is_modified(obj, include_collections=False):
            pending.append(PendingChange(type(obj), obj.id, "update", obj.version, now, tx))


def _within(tx: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while tx is not None:
        if tx is ended:
            return True
        tx = tx.parent
    return False


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    # The temporary tables may have been created in what was rolled back: look again.
    session.info.pop(_BATCH_TABLES, None)
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [c for c in pending if not _within(c.transaction, previous)]


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: its changes wait for the real COMMIT
    # SQLAlchemy flushes after this hook; flush now so the last ORM writes join the list.
    session.flush()
    pending: list[PendingChange | PendingBatch] = session.info.pop(_PENDING, [])
    tables = session.info.pop(_BATCH_TABLES, False)
    if pending:
        _write_pending(session, pending)
    if tables or any(isinstance(c, PendingBatch) for c in pending):
        # The temporary tables live as long as the connection: emptied for the next
        # transaction (cheap; dropping them would be DDL each time).
        for table in (BATCH_ROWS, BATCH_AUDIENCES):
            session.execute(table.delete())


def _write_pending(session: Session, pending: list[PendingChange | PendingBatch]) -> None:
    total = sum(c.count if isinstance(c, PendingBatch) else 1 for c in pending)
    at_once = sql_of(session).feed_at_once()
    if at_once and total <= CHUNK and not any(isinstance(c, PendingBatch) for c in pending):
        # The common case (the ORM's changes, a partner batch's): one round trip.
        _write_at_once(session, at_once, cast(list[PendingChange], pending))
        return
    last = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(last_position=ChangeCounter.last_position + total)
        .returning(ChangeCounter.last_position)
    ).scalar_one()
    position = last - total + 1
    # The ORM's changes go in runs between the batches, each run in chunks.
    run: list[tuple[int, PendingChange]] = []
    for change in pending:
        if isinstance(change, PendingBatch):
            _write_run(session, run)
            run = []
            _write_batch(session, change, position)
            position += change.count
        else:
            run.append((position, change))
            position += 1
    _write_run(session, run)


def _heard_by(session: Session, changes: list[PendingChange]) -> list[list[uuid.UUID]]:
    """Per change, the partners that may see it: as the writer gave them, else from the
    model's ``partner_scope`` (one statement per model)."""
    by_model: dict[type[Entity], list[uuid.UUID]] = defaultdict(list)
    for change in changes:
        if change.audience is None:
            by_model[change.model].append(change.entity_id)
    found = {
        model: _audiences(session, model, list(dict.fromkeys(ids)))
        for model, ids in by_model.items()
    }
    return [
        c.audience if c.audience is not None else found[c.model].get(c.entity_id, [])
        for c in changes
    ]


def _write_run(session: Session, run: list[tuple[int, PendingChange]]) -> None:
    changes = iter(run)
    while chunk := list(islice(changes, CHUNK)):
        rows = [
            {
                "position": position,
                "entity": entity_name(change.model),
                "entity_id": str(change.entity_id),
                "operation": change.operation,
                "version": change.version,
                "changed_at": change.at,
            }
            for position, change in chunk
        ]
        session.execute(insert(CHANGES), rows)  # Core: no ORM bulk overhead
        heard = _heard_by(session, [change for _position, change in chunk])
        audience_rows = [
            {"position": position, "partner_id": partner_id}
            for (position, _change), partners in zip(chunk, heard, strict=True)
            for partner_id in partners
        ]
        if audience_rows:
            session.execute(insert(AUDIENCES), audience_rows)


def _write_at_once(session: Session, statement: str, pending: list[PendingChange]) -> None:
    """The changes and their audiences in one statement (``Sql.feed_at_once``)."""
    heard = _heard_by(session, pending)
    numbers = range(1, len(pending) + 1)
    changes = (
        list(numbers),
        [entity_name(c.model) for c in pending],
        [str(c.entity_id) for c in pending],
        [c.operation for c in pending],
        [c.version for c in pending],
        [c.at for c in pending],
    )
    audiences: tuple[list[int], list[uuid.UUID]] = ([], [])
    for n, partners in zip(numbers, heard, strict=True):
        audiences[0].extend([n] * len(partners))
        audiences[1].extend(partners)
    session.connection().exec_driver_sql(statement, (len(pending), *changes, *audiences))


def _alive(tx: SessionTransaction | None) -> bool:
    if tx is None:
        return False
    while tx is not None:
        if not tx.is_active:
            return False
        tx = tx.parent
    return True


def _after_rollback(session: Session) -> None:
    # SQLAlchemy dispatches this for the rollback of a savepoint too (with the outer
    # transaction going on): forget only what the ended transactions wrote.
    session.info.pop(_BATCH_TABLES, None)
    pending = session.info.get(_PENDING)
    if pending:
        kept = [c for c in pending if _alive(c.transaction)]
        if kept:
            session.info[_PENDING] = kept
        else:
            session.info.pop(_PENDING, None)


def install_change_hooks() -> None:
    for name, handler in (
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("after_soft_rollback", _after_soft_rollback),
        ("before_commit", _before_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)
