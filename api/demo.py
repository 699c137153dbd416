"""A synthetic Heemstede data set for development and demos: no real people."""

from __future__ import annotations

from sqlalchemy import select

from api.auth.passwords import hash_secret
from api.config import Settings
from api.db import Database, build_engine
from api.models import Partner, PartnerKind, Role, User

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
    finally:
        await db.dispose()
    return lines
