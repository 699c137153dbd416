"""Retention (domain.md, "Privacy"): anonymise the people the programme no longer needs.

A participant is due when none of their stays is open and the last one ended more than
the retention period before ``today`` (``OPVANG_RETENTION_DAYS``, default 730); someone
never placed is due when their record was created more than the period ago. Minors get
the stricter period (``OPVANG_RETENTION_DAYS_MINORS``, default 365). A minor is a
participant in the group ``unaccompanied_minor``, or one whose date of birth makes them
under 18 on the day their last stay ended (never placed: the day the record was made).

"More than the period ago": with a period of 730 days and ``today`` 2026-01-01, a stay
ending (its exclusive ``end_date``) on 2024-01-01 (exactly 731 days back, i.e. before
``today - 730``) is due; one ending on 2024-01-02 (exactly the period) is kept a day more.

Anonymising applies the rule of ``DELETE /participants/{id}``
(``api.participants.service.anonymised_values``) set-based, and keeps the row, its stays
and its progress: occupancy, statistics and frozen claims count the same stays of the same
group afterwards. Each person gets one audit event (action ``anonymise``, details
``{"reason": "retention"}``, no personal data) and one change-feed entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.changes.recorder import record_changes
from api.config import Settings
from api.models import ExternalRef, Group, Participant, Placement, utcnow
from api.participants.erasure import clear_free_text, forget_stored_answers
from api.participants.service import ENTITY, IDENTIFYING_FIELDS, anonymised_values

BATCH = 500
ACTOR_LABEL = "retention"


@dataclass(frozen=True)
class RetentionReport:
    today: date
    dry_run: bool
    cutoff: date  # adults: due when the last stay ended before this day
    cutoff_minors: date
    adults: list[uuid.UUID] = field(default_factory=list)
    minors: list[uuid.UUID] = field(default_factory=list)

    @property
    def ids(self) -> list[uuid.UUID]:
        return [*self.adults, *self.minors]

    @property
    def count(self) -> int:
        return len(self.adults) + len(self.minors)

    def lines(self) -> list[str]:
        verb = "would anonymise" if self.dry_run else "anonymised"
        return [
            f"retention on {self.today.isoformat()}"
            + (" (dry run: nothing changed)" if self.dry_run else ""),
            f"adults: last stay ended before {self.cutoff.isoformat()}; "
            f"minors: before {self.cutoff_minors.isoformat()}",
            f"{verb}: {self.count} participants ({len(self.adults)} adults, "
            f"{len(self.minors)} minors)",
        ]


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minor(group: Group | str, born: date | None, ended_on: date) -> bool:
    if Group(group) is Group.unaccompanied_minor:
        return True
    return born is not None and age_on(born, ended_on) < 18


async def _candidates(session: AsyncSession, loosest: date) -> list[Any]:
    """Live participants without an open stay whose last stay ended (or, never placed,
    whose record was created) before ``loosest``, with what the per-person check needs."""
    stays = (
        select(
            Placement.participant_id.label("pid"),
            func.max(Placement.end_date).label("last_end"),
            func.sum(case((Placement.end_date.is_(None), 1), else_=0)).label("open_stays"),
        )
        .group_by(Placement.participant_id)
        .subquery()
    )
    created_before = datetime.combine(loosest, time.min, tzinfo=UTC)
    stmt = (
        select(
            Participant.id,
            Participant.group,
            Participant.date_of_birth,
            Participant.created_at,
            Participant.version,
            stays.c.last_end,
        )
        .outerjoin(stays, stays.c.pid == Participant.id)
        .where(
            Participant.anonymised_at.is_(None),
            or_(
                and_(stays.c.pid.is_(None), Participant.created_at < created_before),
                and_(stays.c.open_stays == 0, stays.c.last_end < loosest),
            ),
        )
        .order_by(Participant.id)
        .with_for_update(of=Participant)
    )
    return list((await session.execute(stmt)).all())


async def run(
    session: AsyncSession, *, settings: Settings, today: date, dry_run: bool
) -> RetentionReport:
    """Anonymise everyone due on ``today`` in the caller's transaction (nothing when
    ``dry_run``); the report lists who (was) due."""
    cutoff = today - timedelta(days=settings.retention_days)
    cutoff_minors = today - timedelta(days=settings.retention_days_minors)
    report = RetentionReport(today, dry_run, cutoff, cutoff_minors)
    versions: dict[uuid.UUID, int] = {}
    for row in await _candidates(session, max(cutoff, cutoff_minors)):
        ended_on: date = row.last_end if row.last_end is not None else row.created_at.date()
        minor = is_minor(row.group, row.date_of_birth, ended_on)
        if ended_on < (cutoff_minors if minor else cutoff):
            (report.minors if minor else report.adults).append(row.id)
            versions[row.id] = row.version
    if dry_run or not versions:
        return report

    session.info.setdefault("actor_label", ACTOR_LABEL)
    table = cast(Table, Participant.__table__)
    now = utcnow()
    template = anonymised_values(uuid.UUID(int=0))
    statement = (
        update(table)
        .where(table.c.id == bindparam("v_id"))
        .values(
            **{name: bindparam(f"v_{name}") for name in template},
            anonymised_at=now,
            updated_at=now,
            version=bindparam("v_version"),
        )
    )
    ids = report.ids
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        await session.execute(
            statement,
            [
                {
                    "v_id": pid,
                    **{f"v_{k}": v for k, v in anonymised_values(pid).items()},
                    "v_version": versions[pid] + 1,
                }
                for pid in chunk
            ],
        )
        # Partners' own references (the COA's is the V-number) go too, as on DELETE.
        await session.execute(delete(ExternalRef).where(ExternalRef.participant_id.in_(chunk)))
        await forget_stored_answers(session, chunk)
        await clear_free_text(session, chunk)
        record_changes(
            session.sync_session,
            Participant,
            [(pid, "update", versions[pid] + 1) for pid in chunk],
        )
    fields = sorted({*IDENTIFYING_FIELDS, *template})
    for pid in ids:
        record(
            session,
            action="anonymise",
            entity=ENTITY,
            entity_id=pid,
            details={"reason": "retention", "fields": fields},
        )
    await session.flush()
    return report


async def run_with_settings(settings: Settings, *, today: date, dry_run: bool) -> RetentionReport:
    """The command line's run: its own engine and one transaction."""
    from api.audit.service import install_audit_hook
    from api.changes.recorder import install_change_hooks
    from api.db import Database, build_engine, checkpoint_wal

    install_audit_hook()
    install_change_hooks()
    db = Database(build_engine(settings))
    try:
        async with db.sessionmaker() as session, session.begin():
            session.info["actor_label"] = ACTOR_LABEL
            report = await run(session, settings=settings, today=today, dry_run=dry_run)
        await checkpoint_wal(db.engine)  # no pages from before the run stay in the log
        return report
    finally:
        await db.dispose()
