"""Small builders for the decision tests."""

from __future__ import annotations

from typing import Any

import httpx

from api.db import Database
from api.models import Location, Partner
from tests.support import records

DECISIONS = "/api/v1/decisions"
CONDITIONS = "/api/v1/conditions"
NOWHERE = "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"


def decision_body(venue: Location | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "decidedOn": "2023-07-13",
        "body": "council",
        "reference": "RB 2023/58",
        "summary": "AMV-opvang voor 16 jongeren; 4 meer bij weinig overlast.",
        "documentUrl": "https://heemstede.raadsinformatie.nl/document/123",
        **extra,
    }
    if venue is not None:
        data["locationId"] = str(venue.id)
    return data


async def venue(db: Database, operator: Partner, **kw: Any) -> Location:
    return await records.location(db, operator, **kw)


async def create_decision(
    client: httpx.AsyncClient, headers: dict[str, str], venue: Location, **extra: Any
) -> dict[str, Any]:
    r = await client.post(DECISIONS, json=decision_body(venue, **extra), headers=headers)
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer


async def create_condition(
    client: httpx.AsyncClient, headers: dict[str, str], decision_id: str, **extra: Any
) -> dict[str, Any]:
    body = {"description": "Weinig overlast in de buurt.", "evaluateOn": "2024-01-15", **extra}
    r = await client.post(f"{DECISIONS}/{decision_id}/conditions", json=body, headers=headers)
    assert r.status_code == 201, r.text
    answer: dict[str, Any] = r.json()
    return answer
