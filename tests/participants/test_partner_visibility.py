"""Security: an operator's sight of a person ends a while after their stay (issue 14,
item 17), on every read path; a guardian keeps seeing its wards."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from api.common.calendar import today
from api.config import Settings
from api.db import Database
from api.models import Group, PartnerKind, Role
from tests.support import records
from tests.support.builders import Builder

API = "/api/v1"


async def test_an_operator_stops_seeing_a_person_90_days_after_the_stay(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    coa = await build.partner(kind=PartnerKind.coa)
    nidos = await build.partner(kind=PartnerKind.nidos)
    azc = await records.location(db, coa)
    h = build.client_headers(await build.api_client(coa))
    h_nidos = build.client_headers(await build.api_client(nidos))
    start = date(2024, 1, 1)
    gone = await records.participant(db, v_number="VGONE1")
    recent = await records.participant(db, v_number="VRECENT1")
    ward = await records.participant(
        db, group=Group.unaccompanied_minor, date_of_birth=date(2012, 1, 1), guardian=nidos
    )
    # Exclusive end dates: the last night of "gone" was 92 days ago, of "recent" 90.
    gone_stay = await records.placement(
        db, gone, azc, start=start, end=today() - timedelta(days=91)
    )
    recent_stay = await records.placement(
        db, recent, azc, start=start, end=today() - timedelta(days=89)
    )
    await records.placement(db, ward, azc, start=start, end=today() - timedelta(days=400))

    # One.
    assert (await client.get(f"{API}/participants/{gone.id}", headers=h)).status_code == 404
    assert (await client.get(f"{API}/participants/{recent.id}", headers=h)).status_code == 200
    assert (await client.get(f"{API}/placements/{gone_stay.id}", headers=h)).status_code == 404
    assert (await client.get(f"{API}/placements/{recent_stay.id}", headers=h)).status_code == 200
    # List.
    r = await client.get(f"{API}/participants", params={"pageSize": 500}, headers=h)
    assert {p["id"] for p in r.json()["items"]} == {str(recent.id)}
    r = await client.get(f"{API}/placements", params={"pageSize": 500}, headers=h)
    assert {p["id"] for p in r.json()["items"]} == {str(recent_stay.id)}
    # Search.
    for v_number, expected in (("VGONE1", 0), ("VRECENT1", 1)):
        r = await client.post(f"{API}/participants/_search", json={"vNumber": v_number}, headers=h)
        assert r.status_code == 200 and r.json()["total"] == expected, r.text
    # The feed: a change to the person after the window does not reach the operator.
    staff = build.headers_for(Role.coordinator)
    for person in (gone, recent):
        r = await client.patch(
            f"{API}/participants/{person.id}", json={"householdRef": "HH-9"}, headers=staff
        )
        assert r.status_code == 200, r.text
    r = await client.get(f"{API}/changes", params={"limit": 1000}, headers=h)
    updates = {i["id"] for i in r.json()["items"] if i["operation"] == "update"}
    assert updates == {str(recent.id)}
    # The guardian sees its ward throughout; the operator no longer.
    assert (await client.get(f"{API}/participants/{ward.id}", headers=h_nidos)).status_code == 200
    assert (await client.get(f"{API}/participants/{ward.id}", headers=h)).status_code == 404


async def test_the_window_is_a_setting(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    from api.common import visibility
    from api.main import create_app

    coa = await build.partner(kind=PartnerKind.coa)
    azc = await records.location(db, coa)
    h = build.client_headers(await build.api_client(coa))
    person = await records.participant(db)
    await records.placement(
        db, person, azc, start=date(2024, 1, 1), end=today() - timedelta(days=10)
    )
    url = f"{API}/participants/{person.id}"
    assert (await client.get(url, headers=h)).status_code == 200
    # An app made with OPVANG_PARTNER_VISIBILITY_DAYS=5 sets the window.
    create_app(settings.model_copy(update={"partner_visibility_days": 5}), db)
    try:
        assert visibility.window_days() == 5
        assert (await client.get(url, headers=h)).status_code == 404
    finally:
        visibility.configure(settings.partner_visibility_days)
