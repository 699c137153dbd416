"""Demo: the signals' due dates (issue 18). The programme's signals are written in bulk
around the service, so their ``due_at`` is filled here, by the same rule (reported at plus
the days their severity allows); signals that already have one are left alone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.config import Settings
from api.models import Severity, Signal


async def seed_draagvlak(session: AsyncSession, settings: Settings) -> list[str]:
    days = {
        Severity.high: settings.signal_due_days_high,
        Severity.medium: settings.signal_due_days_medium,
        Severity.low: settings.signal_due_days_low,
    }
    conn = await session.connection()
    rows = await conn.execute(
        select(Signal.id, Signal.reported_at, Signal.severity).where(Signal.due_at.is_(None))
    )
    params = [
        {"sid": sid, "due": reported + timedelta(days=days[Severity(severity)])}
        for sid, reported, severity in rows
    ]
    if params:
        # One statement, many parameter sets (habit 8), on the table: no ORM objects.
        table = Signal.__table__
        assert isinstance(table, Table)
        stmt = update(table).where(table.c.id == bindparam("sid")).values(due_at=bindparam("due"))
        await conn.execute(stmt, params)
    return [f"demo signal due dates: {len(params)} set"]
