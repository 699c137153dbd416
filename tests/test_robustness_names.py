"""Robustness: the names of people and places refuse control characters, ANSI escapes,
direction overrides and invisible-only text, through every writer (the API, partner
events, imports), and keep any other text exactly as sent (issue 14, item 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.db import Database
from api.models import Participant, PartnerKind, Role
from tests.support import records
from tests.support.builders import Builder, problem
from tests.support.import_files import csv_file
from tests.support.partner_events import intake, post, problems

HOSTILE = [
    "\x1b[31mRood\x1b[0m",  # an ANSI escape: colours a log or a terminal
    "Ab\u202edcba",  # right-to-left override: shows another name than is stored
    "Ab\u2066c\u2069",  # a direction isolate
    "\u200b\u200b",  # zero-width only: a name nobody sees
    "\u200c",  # a joiner only
    "Olena\x00",  # NUL
    "Ole\nna",  # a new line in a name
    "A\u200bB",  # a zero-width space inside
    "\U000e0041\U000e0042",  # invisible tag characters
]
KEPT = ["Zoë O'Brien-Đoković", "محمد\u200cرضا", "Олена Коваль", "Nguyễn Thị Ánh"]  # noqa: RUF001 - real scripts, on purpose


def _names(r: httpx.Response) -> set[str]:
    return {e["name"] for e in problem(r)["errors"]}


@pytest.mark.parametrize("hostile", HOSTILE)
async def test_the_api_refuses_hostile_names(
    client: httpx.AsyncClient, build: Builder, db: Database, hostile: str
) -> None:
    staff = build.headers_for(Role.coordinator)
    admin = build.headers_for(Role.admin)
    r = await client.post(
        "/api/v1/participants",
        json={
            "reference": "N-1",
            "group": "ukrainian_displaced",
            "givenName": hostile,
            "familyName": hostile,
        },
        headers=staff,
    )
    assert r.status_code == 400 and _names(r) == {"givenName", "familyName"}, r.text
    person = await records.participant(db)
    r = await client.patch(
        f"/api/v1/participants/{person.id}", json={"familyName": hostile}, headers=staff
    )
    assert r.status_code == 400 and _names(r) == {"familyName"}
    operator = await build.partner(kind=PartnerKind.municipality)
    r = await client.post(
        "/api/v1/locations",
        json={
            "name": hostile,
            "address": hostile,
            "postcode": "2101 KC",
            "kind": "municipal_ukrainian",
            "operatorPartnerId": str(operator.id),
            "openedOn": "2024-01-01",
            "capacity": 4,
        },
        headers=staff,
    )
    assert r.status_code == 400 and _names(r) == {"name", "address"}, r.text
    r = await client.post(
        "/api/v1/partners", json={"name": hostile, "kind": "sports_club"}, headers=admin
    )
    assert r.status_code == 400 and _names(r) == {"name"}, r.text
    # A partner event: the event is rejected naming the field.
    coa = await build.partner(kind=PartnerKind.coa)
    await records.location(db, coa, external_code="AZC-1")
    h = build.client_headers(await build.api_client(coa))
    r = await post(client, h, [intake("e1", "V1", code="AZC-1", givenName=hostile)], atomic=False)
    assert r.status_code == 400, r.text
    assert "events[0].participant.givenName" in problems(r, 0)


async def test_imports_refuse_hostile_names(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    # A CSV cell with a NUL or a bare new line is a file problem of its own: left out.
    names = [name for name in HOSTILE if "\x00" not in name and "\n" not in name]
    rows: list[list[Any]] = [
        [f"IMP-{i}", "ukrainian_displaced", name, "Koval"] for i, name in enumerate(names)
    ]
    path = csv_file(tmp_path / "p.csv", ["reference", "group", "givenName", "familyName"], rows)
    r = await client.post(
        "/api/v1/imports/participants",
        files={"file": ("p.csv", path.read_bytes(), "text/csv")},
        headers=build.headers_for(Role.coordinator),
    )
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["rowsValid"] == 0
    assert {(e["row"], e["column"]) for e in body["errors"]} == {
        (i + 1, "givenName") for i in range(len(rows))
    }
    async with db.sessionmaker() as session:
        assert (
            await session.scalar(select(Participant.id).where(Participant.reference.like("IMP-%")))
            is None
        )


async def test_any_other_text_is_kept_as_sent(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    staff = build.headers_for(Role.coordinator)
    for i, name in enumerate(KEPT):
        r = await client.post(
            "/api/v1/participants",
            json={
                "reference": f"K-{i}",
                "group": "ukrainian_displaced",
                "givenName": name,
                "familyName": name,
            },
            headers=staff,
        )
        assert r.status_code == 201, r.text
        assert r.json()["givenName"] == name
