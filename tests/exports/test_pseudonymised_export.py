"""GET /exports/participants?recipient=...: a pseudonym per person, stable for one
recipient and different across recipients; nothing that names a person in the file;
admin and coordinator only; audited."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import httpx
from sqlalchemy import select

from api.db import Database
from api.exports.pseudonymised import COLUMNS
from api.models import AuditEvent, Group, LocationKind, Role
from tests.support import records
from tests.support.builders import Builder

URL = "/api/v1/exports/participants"


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


async def test_pseudonyms_per_recipient_and_no_identifying_values(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa, nidos = await build.partner(), await build.partner()
    centre = await records.location(db, coa, kind=LocationKind.emergency, name="Noodopvang PX")
    host = await records.location(
        db, coa, kind=LocationKind.private_hosting, name="Gastgezin Voorbeeldstraat 7"
    )
    tag = uuid.uuid4().hex[:6]
    people = [
        await records.participant(
            db,
            bsn="111222333",
            v_number=f"V{tag}01",
            given_name="Oksana",
            family_name="Pseudoniemova",
            date_of_birth=date(1987, 2, 14),
        ),
        await records.participant(
            db,
            bsn="123456782",
            v_number=f"V{tag}02",
            given_name="Dmytro",
            family_name="Verborgenko",
            date_of_birth=date(2010, 9, 30),
            group=Group.unaccompanied_minor,
            guardian=nidos,
        ),
        await records.participant(
            db, given_name="Iryna", family_name="Zonderverblijf", date_of_birth=None
        ),
    ]
    await records.placement(db, people[0], centre, start=date(2024, 3, 1), end=date(2024, 5, 1))
    await records.placement(db, people[0], host, start=date(2024, 5, 1))
    await records.placement(db, people[1], centre, start=date(2024, 4, 1))
    gone = await records.participant(db, given_name="Weggegaan")
    admin = build.headers_for(Role.admin)
    r = await client.delete(
        f"/api/v1/participants/{gone.id}", headers={**admin, "If-Match": f'"{gone.version}"'}
    )
    assert r.status_code == 204

    coordinator = build.headers_for(Role.coordinator)
    first = await client.get(URL, params={"recipient": "Universiteit Leiden"}, headers=coordinator)
    again = await client.get(URL, params={"recipient": " universiteit leiden "}, headers=admin)
    other = await client.get(URL, params={"recipient": "CBS"}, headers=coordinator)
    a, b, c = rows(first), rows(again), rows(other)

    # Stable for one recipient (the name compared trimmed, case-insensitively) ...
    assert a == b
    # ... different for another, with the same facts underneath.
    assert {r["pseudonym"] for r in a}.isdisjoint({r["pseudonym"] for r in c})
    strip = [{k: v for k, v in r.items() if k not in {"pseudonym", "location"}} for r in a]
    strip_c = [{k: v for k, v in r.items() if k not in {"pseudonym", "location"}} for r in c]
    assert sorted(map(str, strip)) == sorted(map(str, strip_c))

    # One pseudonym per person, one row per stay; anonymised people are left out.
    mine = [r for r in a if r["nationality"] == "UKR" and r["birth_year"] in {"1987", "2010"}]
    by_alias: dict[str, list[dict[str, str]]] = {}
    for row in mine:
        by_alias.setdefault(row["pseudonym"], []).append(row)
    shapes = sorted((len(v), v[0]["birth_year"], v[0]["group"]) for v in by_alias.values())
    assert shapes == [(1, "2010", "unaccompanied_minor"), (2, "1987", "ukrainian_displaced")]
    adult = next(v for v in by_alias.values() if len(v) == 2)
    assert [(r["location"], r["stay_start"], r["stay_end"]) for r in adult] == [
        ("Noodopvang PX", "2024-03-01", "2024-05-01"),
        (adult[1]["location"], "2024-05-01", ""),
    ]
    assert adult[1]["location"].startswith("host-") and adult[1]["location_kind"] == (
        "private_hosting"
    )
    assert all(len(p) == 16 for p in by_alias)

    # Nothing that names a person (or a host family's address) anywhere in any file.
    for text in (first.text, again.text, other.text):
        for value in (
            "111222333",
            "123456782",
            f"V{tag}01",
            f"V{tag}02",
            "Oksana",
            "Pseudoniemova",
            "Dmytro",
            "Verborgenko",
            "Iryna",
            "Zonderverblijf",
            "Weggegaan",
            "1987-02-14",
            "2010-09-30",
            "Voorbeeldstraat",
            "HS-",
            str(people[0].id),
            str(people[1].id),
        ):
            assert value not in text, value

    # Audited: who exported, for which recipient, how many people; nothing more.
    async with db.sessionmaker() as session:
        events = (
            (
                await session.execute(
                    select(AuditEvent).where(
                        AuditEvent.action == "export", AuditEvent.entity == "participants"
                    )
                )
            )
            .scalars()
            .all()
        )
    assert [(e.actor_role, (e.details or {}).get("recipient")) for e in events] == [
        ("coordinator", "Universiteit Leiden"),
        ("admin", "universiteit leiden"),
        ("coordinator", "CBS"),
    ]
    assert all((e.details or {})["people"] == len({r["pseudonym"] for r in a}) for e in events)


async def test_roles_and_input(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner()
    for headers in (
        build.headers_for(Role.finance),
        build.headers_for(Role.viewer),
        build.headers_for(Role.partner, partner),
    ):
        r = await client.get(URL, params={"recipient": "CBS"}, headers=headers)
        assert r.status_code == 403
    assert (await client.get(URL, params={"recipient": "CBS"})).status_code == 401
    admin = build.headers_for(Role.admin)
    for bad in ({}, {"recipient": ""}, {"recipient": "   "}, {"recipient": "x" * 101}):
        r = await client.get(URL, params=bad, headers=admin)
        assert r.status_code == 400, bad
    # The budget export beside it still answers.
    r = await client.get("/api/v1/exports/nonsense", params={"format": "csv"}, headers=admin)
    assert r.status_code == 400
