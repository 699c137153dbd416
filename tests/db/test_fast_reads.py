"""The single reads moved to the driver (``FastRead``): each answers what the service's
own read gave through the ORM and the read schema (the JSON value for value, the ETag), a
partner reads only what its scope holds (another's is a 404), and a value bound per
request (today) is not frozen in the statement compiled once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.budget_plan import mutations, versions
from api.budget_plan.schemas import ReserveMutationRead
from api.capacity_plan import service as plan
from api.capacity_plan.schemas import PlannedChangeRead
from api.common import calendar
from api.communications import service as communications
from api.db import Database
from api.decisions import conditions
from api.decisions import service as decisions
from api.decisions.schemas import ConditionRead, DecisionRead
from api.expenses import service as expenses
from api.expenses.schemas import ExpenseRead
from api.forecast.scenarios import service as scenarios
from api.goals import service as goals
from api.goals.schemas import GoalRead
from api.meetings import agreements
from api.meetings import service as meetings
from api.models import Role, WebhookSubscription
from api.pipeline import criteria
from api.pipeline.schemas import CriterionRead
from api.spreiding import service as spreiding
from api.spreiding.schemas import TaskRead
from api.webhooks import service as webhooks
from api.webhooks.schemas import WebhookRead
from tests.support import records
from tests.support.builders import Builder

API = "/api/v1"
ADMIN = Principal(kind="user", id=uuid.uuid4(), role=Role.admin)
OldRead = Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any], h: Any) -> Any:
    r = await client.post(f"{API}/{path}", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r.json()


async def same_as_before(
    client: httpx.AsyncClient,
    db: Database,
    h: dict[str, str],
    path: str,
    created: dict[str, Any],
    old: OldRead,
    schema: type[BaseModel] | None = None,
) -> dict[str, Any]:
    """The route's answer equals the create answer and the service's ORM read through
    the schema; the ETag is the row's version."""
    r = await client.get(f"{API}/{path}/{created['id']}", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    async with db.sessionmaker() as session:
        found = await old(session, uuid.UUID(created["id"]))
    model = found if schema is None else schema.model_validate(found)
    expected = model.model_dump(mode="json", by_alias=True)
    assert r.json() == expected
    assert r.json() == created
    assert r.headers["etag"] == f'"{expected["version"]}"'
    missing = await client.get(f"{API}/{path}/{uuid.uuid4()}", headers=h)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    answer: dict[str, Any] = r.json()
    return answer


async def test_finance_reads(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    venue = await records.location(db, partner)
    h = build.headers_for(Role.finance)
    body = {
        "date": "2025-03-14",
        "category": "activities",
        "amount": "-1234.5",
        "description": "Zaalhuur",
        "locationId": str(venue.id),
        "schemeCode": "BOO-GOO",
    }
    expense = await post(client, "expenses", body, h)
    answer = await same_as_before(
        client,
        db,
        h,
        "expenses",
        expense,
        lambda s, i: expenses.read(s, expense_id=i),
        ExpenseRead,
    )
    assert (answer["amount"], answer["schemeCode"]) == ("-1234.50", "BOO-GOO")
    body = {"bookedOn": "2025-02-01", "amount": "12", "description": "x", "decisionReference": "R"}
    mutation = await post(client, "reserve-mutations", body, h)
    answer = await same_as_before(
        client,
        db,
        h,
        "reserve-mutations",
        mutation,
        lambda s, i: mutations.get(s, mutation_id=i),
        ReserveMutationRead,
    )
    assert answer["amount"] == "12.00"


async def test_budget_versions_and_scenarios(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Their children (lines, changes) on the same reader; ``latest`` in the row."""
    h = build.headers_for(Role.finance)
    body: dict[str, Any] = {
        "year": 2026,
        "decidedOn": "2025-11-06",
        "decisionReference": "RB 2025/41",
        "description": "Primitieve begroting 2026",
        "lines": [
            {"kind": "income", "schemeCode": "BOO-GOO", "amount": "80000"},
            {"kind": "expense", "category": "staff", "amount": "50000.00"},
        ],
    }
    first = await post(client, "budget-versions", body, h)
    old_version: OldRead = lambda s, i: versions.read(s, version_id=i)  # noqa: E731
    answer = await same_as_before(client, db, h, "budget-versions", first, old_version)
    assert answer["latest"] is True and len(answer["lines"]) == 2
    body = {
        "year": 2026,
        "decidedOn": "2026-06-04",
        "decisionReference": "RB 2026/12",
        "description": "Voorjaarsnota",
        "lines": [{"kind": "expense", "category": "staff", "amount": "-5000"}],
    }
    second = await post(client, "budget-versions", body, h)
    await same_as_before(client, db, h, "budget-versions", second, old_version)
    r = await client.get(f"{API}/budget-versions/{first['id']}", headers=h)
    async with db.sessionmaker() as session:
        before = await versions.read(session, version_id=uuid.UUID(first["id"]))
    assert r.json() == before.model_dump(mode="json", by_alias=True)
    assert r.json()["latest"] is False  # history now
    body = {
        "name": "Meer personeel",
        "changes": [
            {"kind": "cost", "startsOn": "2027-01-01", "category": "staff",
             "amountPerQuarter": "10.00"},
            {"kind": "occupancy", "startsOn": "2027-01-01",
             "locationKind": "municipal_ukrainian", "rateBp": 9000},
        ],
    }  # fmt: skip
    scenario = await post(client, "scenarios", body, h)
    answer = await same_as_before(
        client, db, h, "scenarios", scenario, lambda s, i: scenarios.read(s, scenario_id=i)
    )
    assert [c["kind"] for c in answer["changes"]] == ["cost", "occupancy"]


async def test_staff_reads(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    partner = await build.partner()
    venue = await records.location(db, partner)
    h = build.headers_for(Role.admin)
    body = {"startsOn": "2025-01-01", "endsOn": "2026-12-31", "places": 191, "source": "Besluit"}
    task = await post(client, "spreiding-tasks", body, h)
    await same_as_before(
        client, db, h, "spreiding-tasks", task, lambda s, i: spreiding.load(s, i), TaskRead
    )
    criterion = await post(client, "housing-criteria", {"name": "Kosten", "weight": 2}, h)
    await same_as_before(client, db, h, "housing-criteria", criterion, criteria.load, CriterionRead)
    body = {
        "sentOn": "2026-02-01",
        "channel": "letter",
        "audience": "street",
        "summary": "Brief aan de buren.",
        "locationId": str(venue.id),
    }
    letter = await post(client, "communications", body, h)
    answer = await same_as_before(
        client, db, h, "communications", letter, lambda s, i: communications.read(s, i)
    )
    assert answer["locationName"] == venue.name
    soon = (calendar.today() + timedelta(days=30)).isoformat()
    body = {"locationId": str(venue.id), "kind": "capacity", "takesEffectOn": soon, "capacity": 3}
    change = await post(client, "planned-capacity-changes", body, h)
    await same_as_before(
        client,
        db,
        h,
        "planned-capacity-changes",
        change,
        lambda s, i: plan.read(s, change_id=i),
        PlannedChangeRead,
    )


async def test_goal_and_indicator(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    h = build.headers_for(Role.coordinator)
    goal = await post(client, "goals", {"title": "Taal", "theme": "language", "public": True}, h)
    await same_as_before(client, db, h, "goals", goal, goals.load_goal, GoalRead)
    body = {
        "goalId": goal["id"],
        "title": "Deelnemers op B1",
        "metric": "dutch_b1_share",
        "targets": [{"year": 2027, "value": "0.45"}, {"year": 2026, "value": "0.4"}],
    }
    indicator = await post(client, "indicators", body, h)
    answer = await same_as_before(client, db, h, "indicators", indicator, goals.read_indicator)
    assert answer["targets"] == [
        {"year": 2026, "value": "0.4000"},
        {"year": 2027, "value": "0.4500"},
    ]


async def test_partner_scoped_reads(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """Meetings, agreements, decisions and conditions: the operator partner of a location
    reads them; another partner gets a 404, as a missing one."""
    own, other = await build.partner("Eigen"), await build.partner("Ander")
    mine = await records.location(db, own)
    theirs = await records.location(db, other)
    staff = build.headers_for(Role.coordinator)
    body = {
        "heldOn": "2026-03-10",
        "kind": "neighbourhood_meeting",
        "residentsPresent": 24,
        "summary": "Vragen over het pleintje.",
        "partnerIds": [str(other.id), str(own.id)],
    }
    at_mine = await post(client, "meetings", {**body, "locationId": str(mine.id)}, staff)
    at_theirs = await post(client, "meetings", {**body, "locationId": str(theirs.id)}, staff)
    old_meeting: OldRead = lambda s, i: meetings.read(s, i, ADMIN)  # noqa: E731
    answer = await same_as_before(client, db, staff, "meetings", at_mine, old_meeting)
    assert answer["partnerNames"] == ["Ander", "Eigen"]  # by name, as a list gives them
    late = (calendar.today() - timedelta(days=3)).isoformat()
    body = {"description": "Extra rondes.", "dueOn": late}
    agreed_mine = await post(client, "agreements", {**body, "meetingId": at_mine["id"]}, staff)
    agreed_theirs = await post(client, "agreements", {**body, "meetingId": at_theirs["id"]}, staff)
    assigned = await post(client, "agreements", {**body, "partnerId": str(own.id)}, staff)
    old_agreement: OldRead = lambda s, i: agreements.read(s, i, ADMIN)  # noqa: E731
    answer = await same_as_before(client, db, staff, "agreements", agreed_mine, old_agreement)
    assert answer["overdue"] is True
    decision_body = {
        "decidedOn": "2023-07-13",
        "body": "council",
        "reference": "RB 2023/58",
        "summary": "AMV-opvang voor 16 jongeren.",
    }
    decided_mine = await post(
        client, "decisions", {**decision_body, "locationId": str(mine.id)}, staff
    )
    decided_theirs = await post(
        client, "decisions", {**decision_body, "locationId": str(theirs.id)}, staff
    )
    await same_as_before(
        client,
        db,
        staff,
        "decisions",
        decided_mine,
        lambda s, i: decisions.read(s, decision_id=i, principal=ADMIN),
        DecisionRead,
    )
    body = {"description": "Weinig overlast.", "evaluateOn": "2024-01-15"}
    cond_mine = await post(client, f"decisions/{decided_mine['id']}/conditions", body, staff)
    cond_theirs = await post(client, f"decisions/{decided_theirs['id']}/conditions", body, staff)
    answer = await same_as_before(
        client,
        db,
        staff,
        "conditions",
        cond_mine,
        lambda s, i: conditions.read(s, condition_id=i, principal=ADMIN),
        ConditionRead,
    )
    assert answer["overdue"] is True
    partner = build.headers_for(Role.partner, own)
    for path, visible, hidden in (
        ("meetings", at_mine, at_theirs),
        ("agreements", agreed_mine, agreed_theirs),
        ("agreements", assigned, agreed_theirs),  # assigned to the partner: its own too
        ("decisions", decided_mine, decided_theirs),
        ("conditions", cond_mine, cond_theirs),
    ):
        r = await client.get(f"{API}/{path}/{visible['id']}", headers=partner)
        assert r.status_code == 200, (path, r.text)
        assert r.json()["id"] == visible["id"]
        r = await client.get(f"{API}/{path}/{hidden['id']}", headers=partner)
        assert r.status_code == 404, path
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"].endswith(f"with id {hidden['id']}.")


async def test_today_is_bound_per_request(
    client: httpx.AsyncClient, build: Builder, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statement is compiled once; the day it compares with is the request's."""
    h = build.headers_for(Role.admin)
    tomorrow = (calendar.today() + timedelta(days=1)).isoformat()
    body = {"heldOn": tomorrow, "kind": "sounding_board", "summary": "x"}
    meeting = await post(client, "meetings", body, h)
    agreement = await post(client, "agreements", {"description": "x", "dueOn": tomorrow}, h)
    url = f"{API}/meetings/{meeting['id']}"
    assert (await client.get(url, headers=h)).json()["planned"] is True
    agreement_url = f"{API}/agreements/{agreement['id']}"
    assert (await client.get(agreement_url, headers=h)).json()["overdue"] is False
    later = time.time() + 3 * 86_400
    monkeypatch.setattr(calendar, "_clock", lambda: later)
    assert (await client.get(url, headers=h)).json()["planned"] is False
    assert (await client.get(agreement_url, headers=h)).json()["overdue"] is True


async def test_webhook_read(client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    """Admins read every subscription, a client its own (another's: 404), a partner's
    user none (403); no secret in the answer."""
    own, other = await build.partner(), await build.partner()
    own_client = await build.api_client(own)
    other_client = await build.api_client(other)
    async with db.sessionmaker() as session, session.begin():
        mine = WebhookSubscription(
            client_id=own_client.id, url="https://hooks.example/h", entities=["placements"]
        )
        theirs = WebhookSubscription(client_id=other_client.id, url="https://x.example/h")
        session.add_all([mine, theirs])
    admin = build.headers_for(Role.admin)
    r = await client.get(f"{API}/webhooks/{mine.id}", headers=admin)
    assert r.status_code == 200, r.text
    async with db.sessionmaker() as session:
        found = await webhooks.get_subscription(session, mine.id, ADMIN)
        expected = WebhookRead.model_validate(found).model_dump(mode="json", by_alias=True)
    assert r.json() == expected
    assert "secret" not in r.json()
    assert r.headers["etag"] == f'"{expected["version"]}"'
    headers = build.client_headers(own_client)
    r = await client.get(f"{API}/webhooks/{mine.id}", headers=headers)
    assert r.status_code == 200 and r.json() == expected
    assert (await client.get(f"{API}/webhooks/{theirs.id}", headers=headers)).status_code == 404
    user = build.headers_for(Role.partner, own)
    assert (await client.get(f"{API}/webhooks/{mine.id}", headers=user)).status_code == 403
