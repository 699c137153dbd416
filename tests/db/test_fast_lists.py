"""Lists whose routes add to each item, on the driver (``paginate(extend=...)``): meetings
(the partners present), indicators (their targets) and candidate locations (the weighted
score). Each page is byte for byte the JSON pydantic writes for the service's own read of
each item (``service.read``: the ORM path), in the schema's field order; the caller's
scope, sorting and paging hold as before."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

from api.auth.principal import Principal
from api.common.calendar import today
from api.common.pagination import PageParams, paginate
from api.db import Database
from api.db.fast import Reader
from api.goals import service as goals
from api.goals.schemas import IndicatorQuery, IndicatorRead
from api.meetings import service as meetings
from api.meetings.schemas import MeetingRead
from api.models import Meeting, MeetingKind, PartnerKind, Role
from api.pipeline import service as pipeline
from tests.support import records
from tests.support.builders import Builder

API = "/api/v1"

Reads = Callable[[AsyncSession, uuid.UUID], Awaitable[BaseModel]]


def page_json(items: list[BaseModel], *, page: int, page_size: int, total: int) -> bytes:
    """The page as FastAPI wrote it from pydantic models: compact, UTF-8, camelCase."""
    body = {
        "items": [item.model_dump(mode="json", by_alias=True) for item in items],
        "page": page,
        "pageSize": page_size,
        "total": total,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def expected(
    db: Database, reads: Reads, response: httpx.Response, *, page: int = 1, page_size: int = 50
) -> bytes:
    """What the ORM path answers for the ids of ``response``, in its order."""
    body = response.json()
    async with db.read_sessionmaker() as session:
        items = [await reads(session, uuid.UUID(item["id"])) for item in body["items"]]
    return page_json(items, page=page, page_size=page_size, total=body["total"])


async def _post(client: httpx.AsyncClient, url: str, body: Any, h: dict[str, str]) -> Any:
    r = await client.post(f"{API}{url}", json=body, headers=h)
    assert r.status_code in (200, 201), r.text
    return r.json()


# --- meetings ------------------------------------------------------------------------------


async def _meetings(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> tuple[Any, Any, list[Any]]:
    """Three meetings at the operator's location (one planned, partners present out of name
    order), one at another operator's location."""
    operator = await build.partner("COA lijst", PartnerKind.coa)
    other = await build.partner("COA ander", PartnerKind.coa)
    zorg = await build.partner("Zorg en Welzijn", PartnerKind.welfare)
    buurt = await build.partner("Buurtteam Één", PartnerKind.welfare)
    own_loc = await records.location(db, operator)
    other_loc = await records.location(db, other)
    h = build.headers_for(Role.coordinator)
    base = {"kind": "neighbourhood_meeting", "residentsPresent": 3, "summary": "Vragen ëën"}
    made = [
        await _post(
            client,
            "/meetings",
            {
                **base,
                "heldOn": "2026-01-05",
                "locationId": str(own_loc.id),
                "partnerIds": [str(zorg.id), str(buurt.id)],
            },
            h,
        ),
        await _post(
            client,
            "/meetings",
            {**base, "heldOn": "2026-02-05", "locationId": str(own_loc.id)},
            h,
        ),
        await _post(
            client,
            "/meetings",
            {
                **base,
                "heldOn": (today() + timedelta(days=20)).isoformat(),
                "kind": "information_evening",
                "locationId": str(own_loc.id),
                "partnerIds": [str(zorg.id)],
            },
            h,
        ),
        await _post(
            client,
            "/meetings",
            {**base, "heldOn": "2026-01-20", "locationId": str(other_loc.id)},
            h,
        ),
    ]
    return operator, other, made


def _meeting_reads(role: Role) -> Reads:
    staff = Principal(kind="user", id=uuid.uuid4(), role=role, partner_id=None)

    async def reads(session: AsyncSession, meeting_id: uuid.UUID) -> BaseModel:
        return await meetings.read(session, meeting_id, staff)

    return reads


async def test_meetings_are_the_orm_paths_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    await _meetings(client, build, db)
    h = build.headers_for(Role.viewer)
    r = await client.get(f"{API}/meetings", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.content == await expected(db, _meeting_reads(Role.viewer), r)
    items = r.json()["items"]
    assert len(items) == 4
    # Newest first; the planned one first, its flag computed; partners by name.
    assert items[0]["planned"] is True and items[0]["partnerNames"] == ["Zorg en Welzijn"]
    assert items[-1]["partnerNames"] == ["Buurtteam Één", "Zorg en Welzijn"]
    assert all(not i["planned"] for i in items[1:])
    assert items[1]["partnerIds"] == [] and items[1]["partnerNames"] == []


async def test_meetings_stay_in_the_partners_scope(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    operator, other, made = await _meetings(client, build, db)
    own = await client.get(f"{API}/meetings", headers=build.headers_for(Role.partner, operator))
    assert own.status_code == 200
    assert sorted(i["id"] for i in own.json()["items"]) == sorted(m["id"] for m in made[:3])
    assert own.json()["total"] == 3
    theirs = await client.get(f"{API}/meetings", headers=build.headers_for(Role.partner, other))
    assert [i["id"] for i in theirs.json()["items"]] == [made[3]["id"]]
    # A partner of no location sees none, even filtering on a location.
    stranger = build.headers_for(Role.partner, await build.partner("Niemand"))
    url = f"{API}/meetings?locationId={made[0]['locationId']}"
    r = await client.get(url, headers=stranger)
    assert (r.status_code, r.json()["items"], r.json()["total"]) == (200, [], 0)
    finance = await client.get(f"{API}/meetings", headers=build.headers_for(Role.finance))
    assert finance.status_code == 403


async def test_meetings_sort_and_page(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    _, _, made = await _meetings(client, build, db)
    h = build.headers_for(Role.coordinator)
    r1 = await client.get(f"{API}/meetings?sort=heldOn&pageSize=3", headers=h)
    r2 = await client.get(f"{API}/meetings?sort=heldOn&pageSize=3&page=2", headers=h)
    order = [made[i]["id"] for i in (0, 3, 1, 2)]
    assert [i["id"] for i in r1.json()["items"] + r2.json()["items"]] == order
    assert (r1.json()["total"], r2.json()["total"]) == (4, 4)
    assert 'rel="next"' in r1.headers["link"] and 'rel="next"' not in r2.headers["link"]
    reads = _meeting_reads(Role.coordinator)
    assert r2.content == await expected(db, reads, r2, page=2, page_size=3)
    bad = await client.get(f"{API}/meetings?sort=summary", headers=h)
    assert bad.status_code == 400


# --- indicators ----------------------------------------------------------------------------


async def _indicators(client: httpx.AsyncClient, build: Builder) -> tuple[Any, list[Any]]:
    h = build.headers_for(Role.coordinator)
    goal = await _post(client, "/goals", {"title": "Taal", "theme": "language"}, h)
    other = await _post(client, "/goals", {"title": "Werk", "theme": "work"}, h)
    bodies = [
        {
            "goalId": goal["id"],
            "title": "B1",
            "metric": "dutch_b1_share",
            "position": 2,
            "targets": [{"year": 2027, "value": "0.45"}, {"year": 2026, "value": "0.4"}],
        },
        {
            "goalId": goal["id"],
            "title": "Aandeel",
            "metric": "cost_per_place_day",
            "position": 1,
            "targets": [{"year": 2026, "value": "12.5"}],
        },
        {
            "goalId": other["id"],
            "title": "Cursus",
            "metric": "signals_resolved_within",
            "position": 1,
            "params": {"days": 14, "severity": "high"},
            "targets": [{"year": 2026, "value": "0.5"}],
        },
    ]
    made = [await _post(client, "/indicators", body, h) for body in bodies]
    return goal, made


async def _indicator_read(session: AsyncSession, indicator_id: uuid.UUID) -> BaseModel:
    return await goals.read_indicator(session, indicator_id)


async def test_indicators_are_the_orm_paths_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    goal, made = await _indicators(client, build)
    h = build.headers_for(Role.finance)
    r = await client.get(f"{API}/indicators", headers=h)
    assert r.status_code == 200, r.text
    assert r.content == await expected(db, _indicator_read, r)
    items = r.json()["items"]
    assert [i["id"] for i in items] == [made[i]["id"] for i in (1, 2, 0)]  # position, title
    assert items[2]["targets"] == [
        {"year": 2026, "value": "0.4000"},
        {"year": 2027, "value": "0.4500"},
    ]
    assert items[0]["targets"] == [{"year": 2026, "value": "12.50"}]
    assert items[1]["params"] == {"days": 14, "severity": "high"}
    only = await client.get(f"{API}/indicators?goalId={goal['id']}", headers=h)
    assert [i["id"] for i in only.json()["items"]] == [made[1]["id"], made[0]["id"]]
    assert only.content == await expected(db, _indicator_read, only)
    partner = build.headers_for(Role.partner, await build.partner())
    assert (await client.get(f"{API}/indicators", headers=partner)).status_code == 403


async def test_indicators_sort_and_page(client: httpx.AsyncClient, build: Builder) -> None:
    await _indicators(client, build)
    h = build.headers_for(Role.viewer)
    r1 = await client.get(f"{API}/indicators?sort=-title&pageSize=2", headers=h)
    r2 = await client.get(f"{API}/indicators?sort=-title&pageSize=2&page=2", headers=h)
    titles = [i["title"] for i in r1.json()["items"] + r2.json()["items"]]
    assert titles == ["Cursus", "B1", "Aandeel"]
    assert r2.json() | {"items": None} == {"items": None, "page": 2, "pageSize": 2, "total": 3}
    assert 'rel="prev"' in r2.headers["link"]


# --- candidate locations --------------------------------------------------------------------


async def _candidates(client: httpx.AsyncClient, build: Builder) -> list[Any]:
    """Three candidates: one scored on two of three criteria (3.50), one on one (5.00),
    one unscored."""
    h = build.headers_for(Role.coordinator)
    criteria = []
    for position, (name, weight) in enumerate((("Spreiding", 3), ("Omvang", 1), ("OV", 2))):
        body = {"name": name, "weight": weight, "position": position}
        criteria.append(await _post(client, "/housing-criteria", body, h))
    made = []
    for name in ("Kerklaan 61", "Binnenweg 2", "Achterweg 9"):
        body = {"name": name, "proposedKind": "amv_small_scale", "proposedPlaces": 16}
        made.append(await _post(client, "/candidate-locations", body, h))
    scores = [
        [
            {"criterionId": criteria[0]["id"], "score": 4},
            {"criterionId": criteria[1]["id"], "score": 2},
        ],
        [{"criterionId": criteria[2]["id"], "score": 5, "note": "Station om de hoek"}],
    ]
    for candidate, items in zip(made, scores, strict=False):
        url = f"{API}/candidate-locations/{candidate['id']}/scores"
        assert (await client.put(url, json={"items": items}, headers=h)).status_code == 200
    return made


async def _candidate_read(session: AsyncSession, candidate_id: uuid.UUID) -> BaseModel:
    return await pipeline.read(session, candidate_id)


async def test_candidates_are_the_orm_paths_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    made = await _candidates(client, build)
    h = build.headers_for(Role.viewer)
    r = await client.get(f"{API}/candidate-locations", headers=h)
    assert r.status_code == 200, r.text
    assert r.content == await expected(db, _candidate_read, r)
    by_name = {i["name"]: i for i in r.json()["items"]}
    assert [by_name[m["name"]]["score"] for m in made] == ["3.50", "5.00", None]
    assert [by_name[m["name"]]["scoredCriteria"] for m in made] == [2, 1, 0]
    assert {i["criteriaCount"] for i in r.json()["items"]} == {3}
    assert "weighted" not in r.text and "weights" not in r.text
    partner = build.headers_for(Role.partner, await build.partner())
    assert (await client.get(f"{API}/candidate-locations", headers=partner)).status_code == 403


async def test_candidates_sort_by_score_and_page(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    made = await _candidates(client, build)
    h = build.headers_for(Role.admin)
    r1 = await client.get(f"{API}/candidate-locations?sort=-score&pageSize=2", headers=h)
    r2 = await client.get(f"{API}/candidate-locations?sort=-score&pageSize=2&page=2", headers=h)
    names = [i["name"] for i in r1.json()["items"] + r2.json()["items"]]
    assert names == [made[1]["name"], made[0]["name"], made[2]["name"]]
    assert r2.content == await expected(db, _candidate_read, r2, page=2, page_size=2)
    r = await client.get(f"{API}/candidate-locations?q=weg&sort=name", headers=h)
    assert [i["name"] for i in r.json()["items"]] == ["Achterweg 9", "Binnenweg 2"]
    assert r.json()["total"] == 2


# --- paginate(extend=...) itself -----------------------------------------------------------


class _Request:
    """Enough of a request for ``paginate``'s Link header."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.url = URL("http://testserver/api/v1/meetings?page=1")


async def test_extend_keeps_the_schemas_fields_in_order(db: Database, app: Any) -> None:
    """The statement's other columns are dropped, the extended fields take their place in
    the schema's order, and a field left unfilled is an error, not a silent null."""
    stmt = meetings.read_statement().add_columns(Meeting.summary.label("extra"))

    async def fill(_reader: Reader, items: list[dict[str, Any]]) -> None:
        for item in items:
            item["partnerNames"], item["partnerIds"] = ["x"], []

    async def forget(_reader: Reader, items: list[dict[str, Any]]) -> None:
        return None

    async with db.sessionmaker() as session:
        session.add(
            Meeting(
                held_on=today(), kind=MeetingKind.sounding_board, residents_present=1, summary="s"
            )
        )
        await session.flush()

        async def page(stmt: Any, sortable: Any, order: Any, read: Any, extend: Any) -> Any:
            return await paginate(
                session,
                stmt,
                params=PageParams(),
                request=_Request(app),  # type: ignore[arg-type]
                response=Response(),
                sortable=sortable,
                default_order=order,
                read=read,
                extend=extend,
            )

        answer = await page(stmt, meetings.SORTABLE, meetings.DEFAULT_ORDER, MeetingRead, fill)
        item = json.loads(bytes(answer.body))["items"][0]
        assert list(item) == [
            f.serialization_alias or f.alias or n for n, f in MeetingRead.model_fields.items()
        ]
        assert item["partnerNames"] == ["x"]
        with pytest.raises(KeyError):
            await page(stmt, meetings.SORTABLE, meetings.DEFAULT_ORDER, MeetingRead, forget)
        # A selected field orjson cannot vouch for (a free JSON object) is refused.
        with pytest.raises(TypeError):
            await page(
                goals.indicator_statement(IndicatorQuery()),
                goals.INDICATOR_SORTABLE,
                goals.INDICATOR_ORDER,
                IndicatorRead,
                forget,
            )
        await session.rollback()


async def test_one_candidate_is_the_orm_paths_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """``GET /candidate-locations/{id}`` on the driver too: the list's statement for one
    candidate, its sums turned into the score and left out of the answer."""
    made = await _candidates(client, build)
    h = build.headers_for(Role.viewer)
    for candidate, score in zip(made, ("3.50", "5.00", None), strict=True):
        r = await client.get(f"{API}/candidate-locations/{candidate['id']}", headers=h)
        assert r.status_code == 200, r.text
        async with db.read_sessionmaker() as session:
            answer = await pipeline.read(session, uuid.UUID(candidate["id"]))
        body = answer.model_dump(mode="json", by_alias=True)
        assert r.content == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        assert r.json()["score"] == score
        assert r.headers["etag"] == f'"{answer.version}"'
    missing = await client.get(f"{API}/candidate-locations/{uuid.uuid4()}", headers=h)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    partner = build.headers_for(Role.partner, await build.partner())
    url = f"{API}/candidate-locations/{made[0]['id']}"
    assert (await client.get(url, headers=partner)).status_code == 403


async def test_a_candidates_scores_are_the_orm_paths_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """``GET /candidate-locations/{id}/scores`` on the driver: the total from the sums and
    the scores in the criteria's order, as ``service.scores`` (pydantic) has them."""
    made = await _candidates(client, build)
    h = build.headers_for(Role.finance)
    for candidate, count in zip(made, (2, 1, 0), strict=True):
        r = await client.get(f"{API}/candidate-locations/{candidate['id']}/scores", headers=h)
        assert r.status_code == 200, r.text
        async with db.read_sessionmaker() as session:
            answer = await pipeline.scores(session, uuid.UUID(candidate["id"]))
        body = answer.model_dump(mode="json", by_alias=True)
        assert r.content == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        assert len(r.json()["items"]) == count
    first = (
        await client.get(f"{API}/candidate-locations/{made[0]['id']}/scores", headers=h)
    ).json()
    assert [(i["criterionName"], i["score"]) for i in first["items"]] == [
        ("Spreiding", 4),
        ("Omvang", 2),
    ]
    assert (first["score"], first["scoredCriteria"], first["criteriaCount"]) == ("3.50", 2, 3)
    missing = await client.get(f"{API}/candidate-locations/{uuid.uuid4()}/scores", headers=h)
    assert missing.status_code == 404
    partner = build.headers_for(Role.partner, await build.partner())
    url = f"{API}/candidate-locations/{made[0]['id']}/scores"
    assert (await client.get(url, headers=partner)).status_code == 403
