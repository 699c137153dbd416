"""Retention: `opvang retention run` anonymises exactly the people past their period
(the boundary day, minors stricter, an open stay keeps a person), audits each one without
personal data, changes nothing on a dry run, and leaves a frozen claim reproducible."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from api.auth.principal import Principal
from api.config import Settings, get_settings
from api.db import Database
from api.models import AuditEvent, Group, LocationKind, Participant, Placement, Role
from api.models.reimbursement import Basis
from api.participants.retention import RetentionReport, age_on, is_minor, run
from api.reimbursements.claims.engine import compute
from tests.support import engine_data, records
from tests.support.builders import Builder

TODAY = date(2026, 6, 1)
# 730 days before TODAY is 2024-06-01; 365 days before is 2025-06-01.
ADULT_CUTOFF, MINOR_CUTOFF = date(2024, 6, 1), date(2025, 6, 1)
CLAIMS = "/api/v1/reimbursement-claims"


def retention_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"retention_days": 730, "retention_days_minors": 365})


async def retention(db: Database, settings: Settings, *, dry_run: bool) -> RetentionReport:
    async with db.sessionmaker() as session, session.begin():
        return await run(
            session, settings=retention_settings(settings), today=TODAY, dry_run=dry_run
        )


async def snapshot(db: Database, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[object, ...]]:
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(
                Participant.id,
                Participant.reference,
                Participant.bsn,
                Participant.v_number,
                Participant.given_name,
                Participant.family_name,
                Participant.date_of_birth,
                Participant.nationality,
                Participant.languages,
                Participant.group,
                Participant.version,
                Participant.anonymised_at,
            ).where(Participant.id.in_(ids))
        )
        return {row.id: tuple(row) for row in rows}


class World:
    """People around the boundaries, each with one stay at an emergency location."""

    def __init__(self) -> None:
        self.due: dict[str, uuid.UUID] = {}
        self.kept: dict[str, uuid.UUID] = {}


async def world(db: Database, build: Builder) -> tuple[World, uuid.UUID]:
    coa = await build.partner()
    nidos = await build.partner()
    venue = await records.location(
        db, coa, kind=LocationKind.emergency, opened_on=date(2020, 1, 1), capacity=50
    )
    w = World()

    async def person(
        bucket: dict[str, uuid.UUID],
        key: str,
        stays: list[tuple[date, date | None]],
        **kw: object,
    ) -> None:
        n = len(w.due) + len(w.kept) + 1
        made = await records.participant(
            db,
            bsn=None,
            v_number=f"V-RET-{uuid.uuid4().hex[:8]}",
            given_name=f"Ret{n}",
            family_name=f"Bewaar{n}",
            **kw,  # type: ignore[arg-type]
        )
        for start, end in stays:
            await records.placement(db, made, venue, start=start, end=end)
        bucket[key] = made.id

    adult = {"date_of_birth": date(1980, 3, 3)}
    await person(w.due, "adult one day past", [(date(2024, 1, 10), date(2024, 5, 31))], **adult)
    await person(w.kept, "adult on the boundary", [(date(2024, 1, 10), ADULT_CUTOFF)], **adult)
    await person(w.kept, "adult within", [(date(2024, 1, 10), date(2025, 3, 1))], **adult)
    await person(
        w.kept,
        "adult with an open stay",
        [(date(2020, 1, 1), date(2021, 1, 1)), (date(2023, 1, 1), None)],
        **adult,
    )
    await person(
        w.due,
        "adult, two old stays",
        [(date(2020, 1, 1), date(2021, 1, 1)), (date(2021, 2, 1), date(2024, 2, 1))],
        **adult,
    )
    await person(
        w.due,
        "unaccompanied minor one day past",
        [(date(2024, 1, 10), date(2025, 5, 31))],
        group=Group.unaccompanied_minor,
        guardian=nidos,
        date_of_birth=date(2009, 4, 4),
    )
    await person(
        w.kept,
        "unaccompanied minor on the boundary",
        [(date(2024, 1, 10), MINOR_CUTOFF)],
        group=Group.unaccompanied_minor,
        guardian=nidos,
        date_of_birth=date(2009, 4, 4),
    )
    await person(
        w.due,
        "child with family, 15 when the stay ended",
        [(date(2024, 1, 10), date(2025, 3, 1))],
        date_of_birth=date(2010, 1, 1),
    )
    await person(
        w.kept,
        "unknown birth date counts as adult",
        [(date(2024, 1, 10), date(2025, 3, 1))],
        date_of_birth=None,
    )
    # Never placed: due when the record was created more than the period ago.
    await person(w.due, "never placed, old record", [], **adult)
    await person(w.kept, "never placed, recent record", [], **adult)
    async with db.sessionmaker() as session, session.begin():
        await session.execute(
            update(Participant)
            .where(Participant.id == w.due["never placed, old record"])
            .values(created_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(Participant)
            .where(Participant.id == w.kept["never placed, recent record"])
            .values(created_at=datetime(2025, 1, 1, 12, tzinfo=UTC))
            .execution_options(synchronize_session=False)
        )
    return w, venue.id


def test_minor_and_age_rules() -> None:
    assert age_on(date(2008, 6, 2), date(2026, 6, 1)) == 17
    assert age_on(date(2008, 6, 1), date(2026, 6, 1)) == 18
    assert is_minor(Group.unaccompanied_minor, None, date(2026, 1, 1))
    assert is_minor(Group.ukrainian_displaced, date(2010, 1, 1), date(2026, 1, 1))
    assert not is_minor(Group.ukrainian_displaced, date(2008, 1, 1), date(2026, 1, 1))
    assert not is_minor(Group.asylum_seeker, None, date(2026, 1, 1))


async def test_dry_run_changes_nothing(db: Database, build: Builder, settings: Settings) -> None:
    w, _ = await world(db, build)
    everyone = [*w.due.values(), *w.kept.values()]
    before = await snapshot(db, everyone)
    report = await retention(db, settings, dry_run=True)
    assert report.dry_run and set(report.ids) == set(w.due.values())
    assert await snapshot(db, everyone) == before
    async with db.sessionmaker() as session:
        events = await session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "anonymise").limit(1)
        )
    assert events is None
    assert report.lines()[-1] == "would anonymise: 5 participants (3 adults, 2 minors)"


async def test_run_anonymises_exactly_those_past_their_period(
    db: Database, build: Builder, settings: Settings, client: httpx.AsyncClient
) -> None:
    w, _ = await world(db, build)
    report = await retention(db, settings, dry_run=False)
    names = {v: k for k, v in {**w.due, **w.kept}.items()}
    assert sorted(names[i] for i in report.ids) == sorted(w.due)
    assert sorted(names[i] for i in report.minors) == [
        "child with family, 15 when the stay ended",
        "unaccompanied minor one day past",
    ]
    assert (report.cutoff, report.cutoff_minors) == (ADULT_CUTOFF, MINOR_CUTOFF)

    rows = await snapshot(db, [*w.due.values(), *w.kept.values()])
    for pid in w.due.values():
        (_, reference, bsn, v_number, given, family, born, nat, langs, group, version, at) = rows[
            pid
        ]
        assert (bsn, v_number, given, family, born, nat, langs) == (
            None,
            None,
            None,
            None,
            None,
            None,
            [],
        )
        assert reference == f"ANON-{pid.hex[:12]}" and at is not None and version == 2
        assert group is not None  # kept: claims per group stay reproducible
    for pid in w.kept.values():
        assert rows[pid][4] is not None and rows[pid][11] is None  # given name, not anonymised

    # The stays are kept, pointing at the anonymised row; the person answers 404.
    async with db.sessionmaker() as session:
        stays = await session.scalar(
            select(Placement.id).where(Placement.participant_id == w.due["adult one day past"])
        )
    assert stays is not None
    admin = build.headers_for(Role.admin)
    r = await client.get(f"/api/v1/participants/{w.due['adult one day past']}", headers=admin)
    assert r.status_code == 404

    # One audit event per person, saying why, with field names only.
    async with db.sessionmaker() as session:
        events = (
            await session.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "anonymise",
                    AuditEvent.entity == "participants",
                )
            )
        ).scalars()
        by_person = {e.entity_id: e for e in events}
    assert set(by_person) == {str(i) for i in w.due.values()}
    for event in by_person.values():
        assert (event.actor_type, event.actor_id, event.actor_role) == (
            "system",
            "retention",
            "admin",
        )
        assert event.details is not None and event.details["reason"] == "retention"
        assert "bsn" in event.details["fields"]
        assert "Ret" not in str(event.details) and "V-RET" not in str(event.details)

    # A second run finds nobody new.
    again = await retention(db, settings, dry_run=False)
    assert again.ids == []


async def test_frozen_claim_is_reproducible_after_retention(
    db: Database, build: Builder, settings: Settings, client: httpx.AsyncClient
) -> None:
    w, venue = await world(db, build)
    scheme = await engine_data.scheme(
        db,
        Basis.per_person_day,
        [(date(2020, 1, 1), None, "10.00")],
        kinds=[LocationKind.emergency],
        groups=[Group.ukrainian_displaced, Group.unaccompanied_minor],
        code=f"T-RET-{uuid.uuid4().hex[:6].upper()}",
    )
    token = build.token(Principal(kind="user", id=uuid.uuid4(), role=Role.finance))
    h = {"Authorization": f"Bearer {token}"}
    period = {"periodStart": "2024-01-01", "periodEnd": "2024-06-30"}
    r = await client.post(CLAIMS, json={"schemeCode": scheme.code, **period}, headers=h)
    assert r.status_code == 201, r.text
    url = f"{CLAIMS}/{r.json()['id']}"
    r = await client.post(f"{url}/_submit", headers=h)
    assert r.status_code == 200, r.text
    filed = r.json()
    lines_before = (await client.get(f"{url}/lines", headers=h)).json()
    first, last = date(2024, 1, 1), date(2024, 6, 30)
    async with db.sessionmaker() as session:
        before = await compute(session, scheme_id=scheme.id, first=first, last=last)
    assert before.inputs_hash == filed["inputsHash"]
    assert sum(x.units for x in before.lines) > 0 and before.lines[0].location_id == venue

    report = await retention(db, settings, dry_run=False)
    assert len(report.ids) == len(w.due)

    async with db.sessionmaker() as session:
        after = await compute(session, scheme_id=scheme.id, first=first, last=last)
    assert after.lines == before.lines
    assert after.total == before.total
    assert after.inputs_hash == before.inputs_hash == filed["inputsHash"]
    assert (await client.get(f"{url}/lines", headers=h)).json() == lines_before
    r = await client.post(f"{url}/_recalculate", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["difference"] == "0.00"
    assert r.json()["claim"]["inputsHash"] == filed["inputsHash"]


def test_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a scratch SQLite database: one person never placed, recorded three years ago."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from api.cli import app

    url = f"sqlite:///{tmp_path / 'retention.db'}"
    monkeypatch.setenv("OPVANG_DATABASE_URL", url)
    monkeypatch.setenv("OPVANG_ENVIRONMENT", "development")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(app, ["migrate"]).exit_code == 0
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            session.add(
                Participant(
                    reference="HS-CLI-1",
                    group=Group.asylum_seeker,
                    given_name="Cli",
                    created_at=datetime(2020, 1, 1, tzinfo=UTC),
                )
            )
        r = runner.invoke(app, ["retention", "run", "--dry-run"])
        assert r.exit_code == 0, r.output
        assert "would anonymise: 1 participants (1 adults, 0 minors)" in r.output
        assert "dry run" in r.output
        r = runner.invoke(app, ["retention", "run"])
        assert r.exit_code == 0, r.output
        assert "anonymised: 1 participants (1 adults, 0 minors)" in r.output
        with Session(engine) as session:
            person = session.scalars(select(Participant)).one()
            assert person.given_name is None and person.anonymised_at is not None
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "anonymise")
            ).one()
            assert (event.actor_id, event.entity_id) == ("retention", str(person.id))
        r = runner.invoke(app, ["retention", "run"])
        assert "anonymised: 0 participants" in r.output
        engine.dispose()
    finally:
        get_settings.cache_clear()
