"""A synthetic Heemstede data set for development and demos: no real people."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.passwords import hash_secret
from api.config import Settings
from api.db import Database, build_engine
from api.demo_data import DemoData, build
from api.models import (
    CapacityChange,
    Location,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    Placement,
    Role,
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
            lines += await _seed_reception(session, {n: p.id for n, p in existing.items()})
    finally:
        await db.dispose()
    return lines


async def _seed_reception(session: AsyncSession, partners: dict[str, Any]) -> list[str]:
    """Locations, people, stays and progress, once: the first demo location marks them."""
    data = build(date.today(), nidos=partners["Nidos"])
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
