"""``opvang seed-demo``: writes the synthetic Heemstede data set (no real people) once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.passwords import hash_secret
from api.common.calendar import today as calendar_today
from api.config import Settings
from api.db import Database, build_engine
from api.demo.data import DemoData, build
from api.demo.decisions import seed_decisions
from api.demo.draagvlak import seed_draagvlak
from api.demo.finance import seed_finance
from api.demo.goals import seed_goals
from api.demo.meetings import seed_meetings
from api.demo.pipeline import seed_pipeline
from api.demo.plan import seed_plan
from api.demo.programme import MARK, Programme, Stored
from api.demo.programme import build as build_programme
from api.demo.publicinfo import seed_publicinfo
from api.demo.rates import seed_rates
from api.demo.scenarios import seed_scenarios
from api.demo.spreiding import seed_spreiding
from api.models import (
    Activity,
    Attendance,
    CapacityChange,
    Enrollment,
    Location,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    Placement,
    Role,
    Signal,
    SignalAction,
    User,
    utcnow,
)

DEMO_PASSWORD = "opvang-demo-2026"  # noqa: S105 - development data only, printed on seeding

PARTNERS = [
    ("Gemeente Heemstede", PartnerKind.municipality),
    ("COA", PartnerKind.coa),
    ("Nidos", PartnerKind.nidos),
    ("GZA Gezondheidszorg Asielzoekers", PartnerKind.gza),
    ("Welzijn Heemstede", PartnerKind.welfare),
    ("Sportclub Heemstede", PartnerKind.sports_club),
    ("Bibliotheek Heemstede", PartnerKind.library),
    ("Vrijwilligerscentrale", PartnerKind.volunteer_org),
]

USERS = [
    ("admin@heemstede.example", Role.admin, None),
    ("coordinator@heemstede.example", Role.coordinator, None),
    ("finance@heemstede.example", Role.finance, None),
    ("viewer@heemstede.example", Role.viewer, None),
    ("coa@coa.example", Role.partner, "COA"),
    ("nidos@nidos.example", Role.partner, "Nidos"),
]


async def seed(settings: Settings) -> list[str]:
    """Idempotent: existing records are left alone."""
    db = Database(build_engine(settings))
    lines: list[str] = []
    try:
        async with db.sessionmaker() as session, session.begin():
            session.info["actor_label"] = "seed-demo"
            existing = {p.name: p for p in (await session.scalars(select(Partner))).all()}
            for name, kind in PARTNERS:
                if name not in existing:
                    existing[name] = Partner(name=name, kind=kind)
                    session.add(existing[name])
            await session.flush()
            emails = set((await session.scalars(select(User.email))).all())
            password_hash = hash_secret(settings, DEMO_PASSWORD)
            for email, role, partner in USERS:
                if email not in emails:
                    partner_id = existing[partner].id if partner else None
                    session.add(
                        User(
                            email=email,
                            password_hash=password_hash,
                            role=role,
                            partner_id=partner_id,
                        )
                    )
                lines.append(f"demo user {email} ({role.value}) password {DEMO_PASSWORD}")
            await session.flush()
            partner_ids = {n: p.id for n, p in existing.items()}
            lines += await _seed_reception(session, partner_ids)
            lines += await _seed_programme(session, partner_ids)
            lines += await seed_rates(session, calendar_today())
            lines += await seed_finance(session, calendar_today())
            lines += await seed_goals(session)
            lines += await seed_pipeline(session)
            lines += await seed_meetings(session, calendar_today(), partner_ids)
            lines += await seed_plan(session, calendar_today())
            lines += await seed_scenarios(session)
            lines += await seed_decisions(session, calendar_today())
            lines += await seed_spreiding(session, calendar_today())
            lines += await seed_draagvlak(session, settings)
            # Last: it adds a meeting at the Dreef only when the others left none.
            lines += await seed_publicinfo(session, calendar_today())
    finally:
        await db.dispose()
    return lines


async def _seed_reception(session: AsyncSession, partners: dict[str, Any]) -> list[str]:
    """Locations, people, stays and progress, once: the first demo location marks them."""
    data = build(calendar_today(), nidos=partners["Nidos"])
    first = data.locations[0].name
    if await session.scalar(select(Location.id).where(Location.name == first)) is not None:
        return ["demo locations already present; reception data not added again"]
    # Core inserts, in bulk: fast enough for `make run`, and the generated rows are demo
    # data, not anyone's action, so they bypass the ORM audit hook on purpose.
    conn = await session.connection()
    await conn.execute(insert(Location), _location_rows(data, partners))
    changes = [
        {"location_id": loc.id, "valid_from": valid_from, "capacity": capacity}
        for loc in data.locations
        for valid_from, capacity in loc.changes
    ]
    await conn.execute(insert(CapacityChange), _stamped(changes))
    await conn.execute(insert(Participant), _stamped(data.participants))
    await conn.execute(insert(Placement), _stamped(data.placements))
    await conn.execute(insert(ParticipantProgress), data.progress)
    return _summary(data, len(changes))


async def _seed_programme(session: AsyncSession, partners: dict[str, Any]) -> list[str]:
    """Activities, enrollments, attendance and signals, once (the first offer
    marks them), fitted to the people and stays as stored."""
    if await session.scalar(select(Activity.id).where(Activity.title == MARK)) is not None:
        return ["demo activities already present; programme data not added again"]
    conn = await session.connection()
    locations = select(
        Location.id,
        Location.name,
        Location.kind,
        Location.opened_on,
        Location.closed_on,
        Partner.name,
    ).join(Partner, Partner.id == Location.operator_partner_id)
    stored = Stored(
        locations=[tuple(r) for r in await conn.execute(locations)],
        people=[
            tuple(r)
            for r in await conn.execute(
                select(Participant.id, Participant.group, Participant.date_of_birth)
            )
        ],
        stays=[
            tuple(r)
            for r in await conn.execute(
                select(Placement.participant_id, Placement.start_date, Placement.end_date)
            )
        ],
        partners=partners,
        users={e: i for i, e in await conn.execute(select(User.id, User.email))},
    )
    data = build_programme(calendar_today(), stored)
    # Bulk Core inserts, like the reception data: demo rows, not anyone's action.
    await conn.execute(insert(Activity), _stamped(data.activities))
    for model, rows in (
        (Enrollment, _stamped(data.enrollments)),
        (Attendance, data.attendance),
        (Signal, _stamped(data.signals)),
        (SignalAction, data.actions),
    ):
        if rows:
            await conn.execute(insert(model), rows)
    return _programme_summary(data)


def _programme_summary(data: Programme) -> list[str]:
    kinds = Counter(a["kind"].value for a in data.activities)
    statuses = Counter(e["status"].value for e in data.enrollments)
    marks = Counter(a["status"].value for a in data.attendance)
    signals = Counter(s["status"].value for s in data.signals)
    return [
        "demo activities: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
        "demo enrollments: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())),
        "demo attendance: " + ", ".join(f"{n} {s}" for s, n in sorted(marks.items())),
        f"demo signals: {len(data.signals)} ("
        + ", ".join(f"{n} {s}" for s, n in sorted(signals.items()))
        + f"), {len(data.actions)} follow-up actions",
    ]


def _location_rows(data: DemoData, partners: dict[str, Any]) -> list[dict[str, Any]]:
    return _stamped(
        [
            {
                "id": loc.id,
                "name": loc.name,
                "address": loc.address,
                "postcode": loc.postcode,
                "kind": loc.kind,
                "operator_partner_id": partners[loc.operator],
                "external_code": loc.external_code,
                "opened_on": loc.opened_on,
                "closed_on": loc.closed_on,
            }
            for loc in data.locations
        ]
    )


def _stamped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    now = utcnow()
    return [{"version": 1, "created_at": now, "updated_at": now, **row} for row in rows]


def _summary(data: DemoData, changes: int) -> list[str]:
    kinds = Counter(loc.kind.value for loc in data.locations)
    groups = Counter(p["group"].value for p in data.participants)
    households = len({p["household_ref"] for p in data.participants if p["household_ref"]})
    reasons = Counter(p["end_reason"].value for p in data.placements if p["end_reason"])
    current = sum(1 for p in data.placements if p["end_date"] is None)
    return [
        "demo locations: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
        f"demo capacity changes: {changes}",
        "demo participants: "
        + ", ".join(f"{n} {g}" for g, n in sorted(groups.items()))
        + f" ({households} households)",
        f"demo placements: {len(data.placements)} ({current} current; ended: "
        + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items()))
        + ")",
        f"demo progress records: {len(data.progress)}",
    ]
