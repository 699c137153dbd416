"""The demo pipeline: the council's criteria, the Dreef's story from idea to decided and
linked to its location, one rejected and one withdrawn; totals checked by hand."""

from __future__ import annotations

from datetime import date

import httpx

from api.db import Database
from api.demo.pipeline import CRITERIA, seed_pipeline
from api.models import Location, LocationKind, Partner, PartnerKind, Role
from tests.support.builders import Builder

API = "/api/v1"


async def test_demo_pipeline(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    async with db.sessionmaker() as session, session.begin():
        coa = Partner(name="COA", kind=PartnerKind.coa)
        session.add(coa)
        await session.flush()
        dreef = Location(
            name="AMV Heemsteedse Dreef 156",
            address="Heemsteedse Dreef 156",
            postcode="2101 KM",
            kind=LocationKind.amv_small_scale,
            operator_partner_id=coa.id,
            opened_on=date(2024, 9, 2),
        )
        session.add(dreef)
        await session.flush()
        assert await seed_pipeline(session)
        assert await seed_pipeline(session) == []  # idempotent
    h = build.headers_for(Role.viewer)
    crit = (await client.get(f"{API}/housing-criteria", headers=h)).json()["items"]
    assert [c["name"] for c in crit] == [c[0] for c in CRITERIA]
    assert all("Aanname" in c["description"] for c in crit)
    cands = (await client.get(f"{API}/candidate-locations?sort=-score", headers=h)).json()
    # Weights 3 3 2 2 1 3 2 1 2 (sum 19). Dreef: 12+12+6+8+4+12+8+5+6 = 73 -> 3.84;
    # Glipper Dreef 12+9+4+6+3+12+8+5+6 = 65 -> 3.42; Van Merlenlaan 12+12+4+8+3+12+4+1+6
    # = 62 -> 3.26; Cruquiusweg 6+0+4+2+2+6+2+3+2 = 27 -> 1.42; the idea is not scored.
    assert [(c["stage"], c["score"], c["public"]) for c in cands["items"]] == [
        ("decided", "3.84", True),
        ("investigation", "3.42", True),
        ("withdrawn", "3.26", False),
        ("rejected", "1.42", False),
        ("idea", None, False),
    ]
    first = cands["items"][0]
    assert (first["name"], first["proposedPlaces"], first["locationId"]) == (
        "Heemsteedse Dreef 156",
        16,
        str(dreef.id),
    )
    assert first["operatorPartnerId"] == str(coa.id)
    stages = (await client.get(f"{API}/candidate-locations/{first['id']}/stages", headers=h)).json()
    assert [(s["stage"], s["changedOn"]) for s in stages["items"]] == [
        ("idea", "2023-01-16"),
        ("investigation", "2023-02-14"),
        ("proposed", "2023-06-06"),
        ("decided", "2023-07-13"),
    ]
