"""The location pipeline: housing criteria, candidates with their weighted totals (checked
against sums by hand), the stage flow with its refused moves, scores replaced as a whole,
decided -> location keeping the history, BSN screening, and the roles (admin and
coordinator write; finance and viewer read; partners 403; anonymous 401)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from api.common.calendar import today
from api.db import Database
from api.models import (
    Communication,
    CommunicationAudience,
    CommunicationChannel,
    DecisionBody,
    LocationDecision,
    Meeting,
    MeetingKind,
    Role,
)
from tests.support.builders import Builder, problem

API = "/api/v1"
BSN = "123456782"  # passes the 11-test


def _codes(response: httpx.Response) -> dict[str, str]:
    return {e["name"]: e["code"] for e in problem(response)["errors"]}


async def _post(client: httpx.AsyncClient, url: str, body: Any, h: dict[str, str]) -> Any:
    r = await client.post(f"{API}{url}", json=body, headers=h)
    assert r.status_code in (200, 201), r.text
    return r.json()


async def _criteria(client: httpx.AsyncClient, h: dict[str, str]) -> list[dict[str, Any]]:
    made = []
    for position, (name, weight) in enumerate((("Spreiding", 3), ("Omvang", 1), ("OV", 2))):
        body = {"name": name, "weight": weight, "position": position}
        made.append(await _post(client, "/housing-criteria", body, h))
    return made


async def _candidate(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> Any:
    body = {"name": "Kerklaan 61", "proposedKind": "amv_small_scale", **extra}
    return await _post(client, "/candidate-locations", body, h)


async def test_weighted_total_by_hand(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    spreiding, omvang, ov = await _criteria(client, h)
    cand = await _candidate(client, h, proposedPlaces=16, plannedMonths=60)
    assert (cand["stage"], cand["score"], cand["scoredCriteria"]) == ("idea", None, 0)
    assert cand["criteriaCount"] == 3
    url = f"{API}/candidate-locations/{cand['id']}/scores"
    # Two of three scored: (3*4 + 1*2) / (3 + 1) = 14/4 = 3.50; OV does not count as 0.
    items = [
        {"criterionId": spreiding["id"], "score": 4, "note": "Geen andere opvang in de wijk"},
        {"criterionId": omvang["id"], "score": 2},
    ]
    r = await client.put(url, json={"items": items}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["score"], body["scoredCriteria"], body["criteriaCount"]) == ("3.50", 2, 3)
    assert [(i["criterionName"], i["weight"], i["score"]) for i in body["items"]] == [
        ("Spreiding", 3, 4),
        ("Omvang", 1, 2),
    ]
    assert r.headers["ETag"] == f'"{cand["version"] + 1}"'
    # Replaced as a whole: (3*4 + 1*5 + 2*1) / 6 = 19/6 = 3.1666... -> 3.17.
    items = [
        {"criterionId": spreiding["id"], "score": 4},
        {"criterionId": omvang["id"], "score": 5},
        {"criterionId": ov["id"], "score": 1},
    ]
    assert (await client.put(url, json={"items": items}, headers=h)).json()["score"] == "3.17"
    read = (await client.get(f"{API}/candidate-locations/{cand['id']}", headers=h)).json()
    assert (read["score"], read["scoredCriteria"]) == ("3.17", 3)
    # A new weight changes the total: Spreiding 1 -> (4 + 5 + 2) / 4 = 2.75.
    r = await client.patch(
        f"{API}/housing-criteria/{spreiding['id']}", json={"weight": 1}, headers=h
    )
    assert r.status_code == 200
    read = (await client.get(f"{API}/candidate-locations/{cand['id']}", headers=h)).json()
    assert read["score"] == "2.75"
    # Only OV scored: 2*1/2 = 1.00; the list sorts by total, unscored last both ways.
    other = await _candidate(client, h, name="Binnenweg 1")
    await _candidate(client, h, name="Zandvoortselaan 3")
    other_url = f"{API}/candidate-locations/{other['id']}/scores"
    one = [{"criterionId": ov["id"], "score": 1}]
    assert (await client.put(other_url, json={"items": one}, headers=h)).json()["score"] == "1.00"
    listed = (await client.get(f"{API}/candidate-locations?sort=-score", headers=h)).json()
    assert [(c["name"], c["score"]) for c in listed["items"]] == [
        ("Kerklaan 61", "2.75"),
        ("Binnenweg 1", "1.00"),
        ("Zandvoortselaan 3", None),
    ]
    listed = (await client.get(f"{API}/candidate-locations?sort=name", headers=h)).json()
    assert [c["name"] for c in listed["items"]] == [
        "Binnenweg 1",
        "Kerklaan 61",
        "Zandvoortselaan 3",
    ]
    # An empty list removes the scores.
    assert (await client.put(other_url, json={"items": []}, headers=h)).json()["score"] is None
    # A criterion in use is not removed (409); one not in use is.
    r = await client.delete(f"{API}/housing-criteria/{ov['id']}", headers=h)
    assert r.status_code == 409
    fresh = await _post(client, "/housing-criteria", {"name": "Kosten", "weight": 2}, h)
    assert (
        await client.delete(f"{API}/housing-criteria/{fresh['id']}", headers=h)
    ).status_code == 204


async def test_scores_name_the_bad_item(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    spreiding, *_ = await _criteria(client, h)
    cand = await _candidate(client, h)
    url = f"{API}/candidate-locations/{cand['id']}/scores"
    items = [
        {"criterionId": spreiding["id"], "score": 3},
        {"criterionId": str(uuid.uuid4()), "score": 3},
        {"criterionId": spreiding["id"], "score": 2},
    ]
    r = await client.put(url, json={"items": items}, headers=h)
    assert r.status_code == 400
    assert _codes(r) == {"items.1.criterionId": "not_found", "items.2.criterionId": "duplicate"}
    items = [{"criterionId": spreiding["id"], "score": 6, "note": f"BSN {BSN}"}]
    r = await client.put(url, json={"items": items}, headers=h)
    assert r.status_code == 400
    assert _codes(r) == {"items.0.score": "less_than_equal", "items.0.note": "text_holds_bsn"}
    # Nothing was written.
    assert (await client.get(url, headers=h)).json()["items"] == []


async def test_stage_flow_and_refused_moves(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    cand = await _candidate(client, h, ideaOn="2023-01-10")
    url = f"{API}/candidate-locations/{cand['id']}"

    async def move(stage: str, on: str, **extra: Any) -> httpx.Response:
        return await client.post(
            f"{url}/stage", json={"stage": stage, "changedOn": on, **extra}, headers=h
        )

    r = await move("proposed", "2023-02-01")
    assert r.status_code == 409
    body = problem(r)
    assert body["allowed"] == ["investigation", "rejected", "withdrawn"]
    assert "investigation" in body["detail"]
    r = await move("investigation", "2023-01-09")
    assert r.status_code == 400 and _codes(r) == {"changedOn": "before_previous_stage"}
    future = (today() + timedelta(days=1)).isoformat()
    assert _codes(await move("investigation", future)) == {"changedOn": "date_in_future"}
    r = await move("investigation", "2023-02-01", note="Gesprek met de eigenaar")
    assert r.status_code == 200 and r.json()["stage"] == "investigation"
    assert (await move("proposed", "2023-05-01")).status_code == 200
    # A decided candidate is not removed; only an idea is.
    assert (await move("decided", "2023-07-13")).status_code == 200
    r = await move("withdrawn", "2023-08-01")
    assert r.status_code == 409 and problem(r)["allowed"] == []
    assert (await client.delete(url, headers=h)).status_code == 409
    stages = (await client.get(f"{url}/stages", headers=h)).json()["items"]
    assert [(s["stage"], s["changedOn"]) for s in stages] == [
        ("idea", "2023-01-10"),
        ("investigation", "2023-02-01"),
        ("proposed", "2023-05-01"),
        ("decided", "2023-07-13"),
    ]
    assert stages[1]["note"] == "Gesprek met de eigenaar"
    # Any open stage can end; an idea can be removed (with its history).
    idea = await _candidate(client, h, name="Idee")
    rejected = await _candidate(client, h, name="Afgewezen")
    r = await client.post(
        f"{API}/candidate-locations/{rejected['id']}/stage",
        json={"stage": "rejected", "changedOn": today().isoformat(), "note": "Te groot"},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["stage"] == "rejected"
    stale = {**h, "If-Match": '"99"'}
    assert (
        await client.delete(f"{API}/candidate-locations/{idea['id']}", headers=stale)
    ).status_code == 412
    assert (
        await client.delete(f"{API}/candidate-locations/{idea['id']}", headers=h)
    ).status_code == 204
    listed = (await client.get(f"{API}/candidate-locations?stage=rejected", headers=h)).json()
    assert [c["name"] for c in listed["items"]] == ["Afgewezen"]


async def test_decided_becomes_a_location_keeping_its_history(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.coordinator)
    operator = await build.partner("Nidos")
    cand = await _candidate(client, h, ideaOn="2023-01-10", operatorPartnerId=str(operator.id))
    url = f"{API}/candidate-locations/{cand['id']}"
    cid = uuid.UUID(cand["id"])
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                LocationDecision(
                    candidate_id=cid,
                    decided_on=date(2023, 7, 13),
                    body=DecisionBody.council,
                    reference="Raadsbesluit 2023/07",
                    summary="16 plaatsen voor AMV",
                ),
                Meeting(
                    candidate_id=cid,
                    held_on=date(2023, 3, 1),
                    kind=MeetingKind.information_evening,
                    residents_present=40,
                    summary="Informatieavond",
                ),
                Communication(
                    candidate_id=cid,
                    sent_on=date(2023, 2, 20),
                    channel=CommunicationChannel.letter,
                    audience=CommunicationAudience.street,
                    summary="Brief aan de straat",
                ),
            ]
        )
    new = {
        "name": "Heemsteedse Dreef 156",
        "address": "Heemsteedse Dreef 156",
        "postcode": "2101 KN",
        "kind": "amv_small_scale",
        "operatorPartnerId": str(operator.id),
        "openedOn": "2024-01-15",
        "capacity": 16,
    }
    r = await client.post(f"{url}/location", json={"location": new}, headers=h)
    assert r.status_code == 409 and problem(r)["stage"] == "idea"
    for stage, on in (("investigation", "2023-02-01"), ("proposed", "2023-05-01")):
        body = {"stage": stage, "changedOn": on}
        assert (await client.post(f"{url}/stage", json=body, headers=h)).status_code == 200
    body = {"stage": "decided", "changedOn": "2023-07-13"}
    assert (await client.post(f"{url}/stage", json=body, headers=h)).status_code == 200
    # Neither or both: 400 naming both; a bad new location: the locations' own rules.
    r = await client.post(f"{url}/location", json={}, headers=h)
    assert _codes(r) == {"location": "one_of", "locationId": "one_of"}
    r = await client.post(
        f"{url}/location", json={"location": {**new, "postcode": "0000 AA"}}, headers=h
    )
    assert r.status_code == 400 and "location.postcode" in _codes(r)
    r = await client.post(f"{url}/location", json={"location": new}, headers=h)
    assert r.status_code == 200, r.text
    location_id = r.json()["locationId"]
    assert location_id is not None
    loc = (await client.get(f"{API}/locations/{location_id}", headers=h)).json()
    assert (loc["name"], loc["capacity"]) == ("Heemsteedse Dreef 156", 16)
    # Once only.
    r = await client.post(f"{url}/location", json={"locationId": location_id}, headers=h)
    assert r.status_code == 409
    # The decision, meeting and communication belong to the location and keep the candidate.
    async with db.sessionmaker() as session:
        for model in (LocationDecision, Meeting, Communication):
            rows = (await session.execute(select(model.location_id, model.candidate_id))).all()
            assert [(str(a), b) for a, b in rows] == [(location_id, cid)]
    stages = (await client.get(f"{url}/stages", headers=h)).json()["items"]
    assert [s["stage"] for s in stages] == ["idea", "investigation", "proposed", "decided"]


async def test_link_an_existing_location(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.admin)
    operator = await build.partner()
    loc = await _post(
        client,
        "/locations",
        {
            "name": "Bestaand",
            "address": "Laan 1",
            "postcode": "2101 AA",
            "kind": "amv_small_scale",
            "operatorPartnerId": str(operator.id),
            "openedOn": "2024-01-01",
        },
        h,
    )
    cands = []
    for name in ("Een", "Twee"):
        cand = await _candidate(client, h, name=name, ideaOn="2023-01-01")
        for stage in ("investigation", "proposed", "decided"):
            body = {"stage": stage, "changedOn": "2023-06-01"}
            r = await client.post(
                f"{API}/candidate-locations/{cand['id']}/stage", json=body, headers=h
            )
            assert r.status_code == 200
        cands.append(cand)
    link = {"locationId": loc["id"]}
    r = await client.post(
        f"{API}/candidate-locations/{cands[0]['id']}/location", json=link, headers=h
    )
    assert r.status_code == 200 and r.json()["locationId"] == loc["id"]
    r = await client.post(
        f"{API}/candidate-locations/{cands[1]['id']}/location", json=link, headers=h
    )
    assert r.status_code == 409
    r = await client.post(
        f"{API}/candidate-locations/{cands[1]['id']}/location",
        json={"locationId": str(uuid.uuid4())},
        headers=h,
    )
    assert _codes(r) == {"locationId": "not_found"}


async def test_bad_input_and_bsn(client: httpx.AsyncClient, build: Builder) -> None:
    h = build.headers_for(Role.coordinator)
    body = {
        "name": "",
        "proposedKind": "castle",
        "proposedPlaces": 0,
        "plannedMonths": 0,
        "note": f"Bewoner {BSN} belde",
        "x": 1,
    }
    r = await client.post(f"{API}/candidate-locations", json=body, headers=h)
    assert r.status_code == 400
    assert {"name", "proposedKind", "proposedPlaces", "plannedMonths", "note", "x"} <= set(
        _codes(r)
    )
    assert _codes(r)["note"] == "text_holds_bsn"
    r = await client.post(
        f"{API}/candidate-locations",
        json={
            "name": "A",
            "proposedKind": "amv_small_scale",
            "operatorPartnerId": str(uuid.uuid4()),
        },
        headers=h,
    )
    assert _codes(r) == {"operatorPartnerId": "not_found"}
    r = await client.post(
        f"{API}/housing-criteria", json={"name": "X", "weight": 11, "description": BSN}, headers=h
    )
    assert set(_codes(r)) == {"weight", "description"}
    cand = await _candidate(client, h)
    assert (await _candidate_status(client, h, name="Kerklaan 61")) == 409
    url = f"{API}/candidate-locations/{cand['id']}"
    r = await client.patch(url, json={"name": None, "note": BSN}, headers=h)
    assert _codes(r) == {"note": "text_holds_bsn"}
    r = await client.patch(url, json={"name": None}, headers=h)
    assert _codes(r) == {"name": "cannot_clear"}
    r = await client.patch(url, json={"stage": "decided"}, headers=h)
    assert _codes(r) == {"stage": "extra_forbidden"}
    stale = {**h, "If-Match": '"99"'}
    assert (await client.patch(url, json={"public": True}, headers=stale)).status_code == 412
    r = await client.patch(url, json={"public": True, "owner": "Woonstichting"}, headers=h)
    assert r.status_code == 200 and r.json()["public"] is True
    listed = (await client.get(f"{API}/candidate-locations?public=true", headers=h)).json()
    assert [c["id"] for c in listed["items"]] == [cand["id"]]
    r = await client.post(
        f"{url}/stage",
        json={"stage": "investigation", "changedOn": "2023-01-01", "note": BSN},
        headers=h,
    )
    assert _codes(r) == {"note": "text_holds_bsn"}
    missing = f"{API}/candidate-locations/{uuid.uuid4()}"
    assert (await client.get(missing, headers=h)).status_code == 404
    assert (await client.get(f"{missing}/scores", headers=h)).status_code == 404
    assert (await client.get(f"{missing}/stages", headers=h)).status_code == 404


async def _candidate_status(client: httpx.AsyncClient, h: dict[str, str], **extra: Any) -> int:
    body = {"proposedKind": "amv_small_scale", **extra}
    return (await client.post(f"{API}/candidate-locations", json=body, headers=h)).status_code


async def test_roles(client: httpx.AsyncClient, build: Builder) -> None:
    admin = build.headers_for(Role.admin)
    cand = await _candidate(client, admin)
    crit = await _post(client, "/housing-criteria", {"name": "Spreiding", "weight": 2}, admin)
    partner = await build.partner()
    reads = [
        "/candidate-locations",
        f"/candidate-locations/{cand['id']}",
        f"/candidate-locations/{cand['id']}/stages",
        f"/candidate-locations/{cand['id']}/scores",
        "/housing-criteria",
        f"/housing-criteria/{crit['id']}",
    ]
    for path in reads:
        assert (await client.get(f"{API}{path}")).status_code == 401
        for role in (Role.finance, Role.viewer, Role.coordinator):
            r = await client.get(f"{API}{path}", headers=build.headers_for(role))
            assert r.status_code == 200, (path, role)
        r = await client.get(f"{API}{path}", headers=build.headers_for(Role.partner, partner))
        assert r.status_code == 403
    for role in (Role.finance, Role.viewer):
        h = build.headers_for(role)
        assert await _candidate_status(client, h, name="Nieuw") == 403
        url = f"{API}/candidate-locations/{cand['id']}"
        assert (await client.patch(url, json={"public": True}, headers=h)).status_code == 403
        assert (await client.put(f"{url}/scores", json={"items": []}, headers=h)).status_code == 403
        body = {"stage": "investigation", "changedOn": "2024-01-01"}
        assert (await client.post(f"{url}/stage", json=body, headers=h)).status_code == 403
        assert (await client.delete(url, headers=h)).status_code == 403
        r = await client.patch(
            f"{API}/housing-criteria/{crit['id']}", json={"weight": 3}, headers=h
        )
        assert r.status_code == 403
