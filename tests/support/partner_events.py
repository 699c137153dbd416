"""Helpers for the partner-event tests: event builders and a poster."""

from __future__ import annotations

from typing import Any

import httpx

URL = "/api/v1/partner-events"


def intake(
    event_id: str,
    ref: str,
    on: str = "2024-03-01",
    *,
    code: str | None = None,
    location_id: Any = None,
    **person: Any,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventId": event_id,
        "type": "intake",
        "occurredOn": on,
        "participant": {
            "externalRef": ref,
            "givenName": "Amina",
            "familyName": "Testdottir",
            "group": "asylum_seeker",
            "dateOfBirth": "1994-04-04",
            **person,
        },
    }
    if code is not None:
        event["locationCode"] = code
    if location_id is not None:
        event["locationId"] = str(location_id)
    return event


def transfer(
    event_id: str, ref: str, on: str, *, code: str | None = None, location_id: Any = None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventId": event_id,
        "type": "transfer",
        "occurredOn": on,
        "participant": {"externalRef": ref},
    }
    if code is not None:
        event["locationCode"] = code
    if location_id is not None:
        event["locationId"] = str(location_id)
    return event


def departure(event_id: str, ref: str, on: str, reason: str = "housing") -> dict[str, Any]:
    return {
        "eventId": event_id,
        "type": "departure",
        "occurredOn": on,
        "participant": {"externalRef": ref},
        "endReason": reason,
    }


def update(event_id: str, ref: str, on: str = "2024-04-01", **person: Any) -> dict[str, Any]:
    return {
        "eventId": event_id,
        "type": "update",
        "occurredOn": on,
        "participant": {"externalRef": ref, **person},
    }


async def post(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    events: list[Any],
    *,
    atomic: bool = True,
) -> httpx.Response:
    url = URL if atomic else f"{URL}?atomic=false"
    return await client.post(url, json={"events": events}, headers=headers)


def statuses(response: httpx.Response) -> list[str]:
    return [r["status"] for r in response.json()["results"]]


def problems(response: httpx.Response, index: int) -> dict[str, str]:
    result = response.json()["results"][index]
    found: dict[str, str] = {}
    for p in result["problems"]:
        found[p["name"]] = " | ".join(filter(None, [found.get(p["name"]), p["detail"]]))
    return found
