"""Every field problem carries a stable machine ``code`` (pydantic's error type, or one of
the API's own), with the numbers a message needs in ``params`` and never a pattern or the
list of allowed values: a client translates the code and never parses ``detail``."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx

from api.common.calendar import today
from api.error_handlers import validation_problems
from api.models import Role
from tests.support.builders import Builder, problem

URL = "/api/v1/participants"


def by_name(r: httpx.Response) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in problem(r)["errors"]}


async def test_schema_errors_have_pydantic_codes_and_limits(
    client: httpx.AsyncClient, build: Builder
) -> None:
    tomorrow = (today() + timedelta(days=1)).isoformat()
    r = await client.post(
        URL,
        json={
            "reference": "x" * 65,
            "bsn": "123456789",
            "vNumber": "V-12",
            "nationality": "ukr",
            "languages": ["uk", "Ukrainian"],
            "dateOfBirth": tomorrow,
            "dutchLevel": "B3",
            "givenName": "   ",
            "guardianPartnerId": "not-a-uuid",
        },
        headers=build.headers_for(Role.coordinator),
    )
    assert r.status_code == 400
    errors = by_name(r)
    codes = {name: e["code"] for name, e in errors.items()}
    assert codes == {
        "reference": "string_too_long",
        "bsn": "bsn_checksum",
        "vNumber": "string_pattern_mismatch",
        "nationality": "string_pattern_mismatch",
        "languages.1": "string_pattern_mismatch",
        "dateOfBirth": "date_in_future",
        "dutchLevel": "enum",
        "group": "missing",
        "givenName": "string_blank",
        "guardianPartnerId": "uuid_parsing",
    }
    assert errors["reference"]["params"] == {"max_length": 64}
    # Never a regex or the allowed values: those are for developers, in `detail`.
    for e in errors.values():
        assert set(e.get("params") or {}) <= {"max_length", "min_length", "n"}, e


async def test_rule_errors_have_our_codes(client: httpx.AsyncClient, build: Builder) -> None:
    staff = build.headers_for(Role.coordinator)
    r = await client.post(
        URL,
        json={"reference": f"HS-{uuid.uuid4().hex[:8]}", "group": "unaccompanied_minor"},
        headers=staff,
    )
    assert r.status_code == 400
    codes = {name: e["code"] for name, e in by_name(r).items()}
    assert codes == {
        "dateOfBirth": "minor_needs_birth_date",
        "guardianPartnerId": "minor_needs_guardian",
    }
    r = await client.post(URL, json={"reference": "A-1", "group": "asylum_seeker"}, headers=staff)
    assert r.status_code == 201
    pid = r.json()["id"]
    r = await client.patch(f"{URL}/{pid}", json={"reference": None}, headers=staff)
    assert r.status_code == 400
    assert by_name(r)["reference"]["code"] == "cannot_clear"
    r = await client.post(URL, json={"reference": "A-1", "group": "asylum_seeker"}, headers=staff)
    assert r.status_code == 409
    assert by_name(r)["reference"]["code"] == "taken"


def test_only_limits_reach_params() -> None:
    problems = validation_problems(
        [
            {
                "type": "string_pattern_mismatch",
                "loc": ("body", "nationality"),
                "msg": "String should match pattern '^[A-Z]{3}$'",
                "ctx": {"pattern": "^[A-Z]{3}$"},
            },
            {
                "type": "enum",
                "loc": ("body", "group"),
                "msg": "Input should be 'a' or 'b'",
                "ctx": {"expected": "'a' or 'b'"},
            },
            {
                "type": "greater_than_equal",
                "loc": ("query", "page"),
                "msg": "Input should be greater than or equal to 1",
                "ctx": {"ge": 1},
            },
        ]
    )
    dumped = [p.model_dump(by_alias=True, exclude_none=True) for p in problems]
    assert [(d["code"], d.get("params")) for d in dumped] == [
        ("string_pattern_mismatch", None),
        ("enum", None),
        ("greater_than_equal", {"ge": 1}),
    ]
    assert "json_invalid" not in {d["code"] for d in dumped}
