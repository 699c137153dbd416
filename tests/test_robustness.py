"""Findings of Schemathesis (tests/schemathesis/run.py), each kept fixed by a test here."""

from __future__ import annotations

import re
import uuid
from datetime import date
from io import BytesIO
from typing import Annotated

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from pydantic import AwareDatetime, Field, StringConstraints, TypeAdapter, ValidationError

from api.common.schemas import ApiModel
from api.common.text import Trimmed
from api.exports.workbook import Formula, text
from api.exports.workbook import row as _row
from api.models import Role
from tests.support.builders import Builder, problem

API = "/api/v1"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/activities?activeOn=0", "activeOn"),
        ("/placements?activeOn=0", "activeOn"),
        ("/expenses?to=0", "to"),
        ("/audit-events?to=0.5", "to"),
        ("/signals?to=0.5", "to"),
        ("/signals?from=1700000000", "from"),
        ("/reimbursement-claims?periodStart=0", "periodStart"),
        ("/reports/overview?to=0", "to"),
        ("/activities?activeOn=20260101", "activeOn"),
    ],
)
async def test_a_number_is_not_a_date_in_the_query(
    client: httpx.AsyncClient, build: Builder, path: str, name: str
) -> None:
    """Pydantic takes a number as seconds since 1970; the contract takes YYYY-MM-DD and
    RFC 3339 only (ST201: schema-violating request accepted)."""
    r = await client.get(API + path, headers=build.headers_for(Role.admin))
    assert r.status_code == 400, r.text
    assert ("query", name) in {(e["in"], e["name"]) for e in problem(r)["errors"]}


async def test_a_number_is_not_a_date_in_the_path(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.get(
        f"{API}/activities/{uuid.uuid4()}/attendance/0", headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 400, r.text
    assert problem(r)["errors"][0]["in"] == "path"
    assert problem(r)["errors"][0]["name"] == "date"


async def test_a_boolean_is_not_a_number_nor_a_date_in_a_body(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.post(
        f"{API}/locations/{uuid.uuid4()}/capacity-changes",
        json={"validFrom": 0, "capacity": True},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400, r.text
    found = {(e["in"], e["name"]) for e in problem(r)["errors"]}
    assert found == {("body", "validFrom"), ("body", "capacity")}


def test_iso_dates_and_real_numbers_still_pass() -> None:
    class Model(ApiModel):
        day: date | None = None
        at: AwareDatetime | None = Field(default=None, alias="from")
        count: int = 0
        ratio: float = 0

    ok = Model.model_validate({"day": "2026-01-31", "from": "2026-01-31T12:00:00Z", "count": 3})
    assert ok.day == date(2026, 1, 31)
    assert ok.at is not None
    assert ok.count == 3
    for bad in ({"day": 0}, {"day": "0"}, {"from": 0.5}, {"count": False}, {"ratio": True}):
        with pytest.raises(ValidationError):
            Model.model_validate(bad)


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
async def test_other_methods_on_a_fixed_path_are_405_not_the_id_route(
    client: httpx.AsyncClient, build: Builder, method: str
) -> None:
    """PATCH /participants/_search reached PATCH /participants/{id} and failed its id
    validation with 400 (ST204: wrong response to undeclared method)."""
    r = await client.request(
        method, f"{API}/participants/_search", json={}, headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == "POST"
    problem(r)


async def test_the_id_route_still_answers_beside_a_fixed_path(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.get(
        f"{API}/participants/{uuid.uuid4()}", headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 404
    r = await client.get(f"{API}/participants/not-an-id", headers=build.headers_for(Role.admin))
    assert r.status_code == 400


def test_worksheet_text_without_control_characters_or_surrogates() -> None:
    """A scheme named with control characters or a lone surrogate made GET /exports/budget
    a 500 (openpyxl's IllegalCharacterError; ST101: server error)."""
    ws = Workbook().active
    assert ws is not None
    _row(ws, 1, ["Regeling\x01\x1f", "\udae9x", Formula("=SUM(A1:A2)"), "gewoon"])
    assert ws.cell(1, 1).value == "Regeling\ufffd\ufffd"
    assert ws.cell(1, 2).value == "?x"
    assert ws.cell(1, 3).value == "=SUM(A1:A2)"
    assert text("gewoon") == "gewoon"


def test_worksheet_text_is_never_a_formula() -> None:
    """A scheme name such as ``=HYPERLINK(...)`` is text in the controller's workbook, not a
    formula Excel evaluates (CSV/formula injection); only the export's own formulas are
    formulas."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    name = '=HYPERLINK("http://example.invalid","klik")'
    _row(ws, 1, [name, "+31 6", Formula("=SUM(C2:C3)")])
    out = BytesIO()
    book.save(out)
    loaded = load_workbook(BytesIO(out.getvalue()))["Sheet"]
    assert (loaded["A1"].value, loaded["A1"].data_type) == (name, "s")
    assert loaded["B1"].data_type == "s"
    assert (loaded["C1"].value, loaded["C1"].data_type) == ("=SUM(C2:C3)", "f")


async def test_a_nul_character_is_400_not_a_database_error(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """PostgreSQL cannot store or compare text with NUL: it was a 500 there (ST101)."""
    h = {**build.headers_for(Role.admin), "Content-Type": "application/json"}
    r = await client.post(
        f"{API}/partners", content='{"name": "a\\u0000b", "kind": "coa"}', headers=h
    )
    assert r.status_code == 400, r.text
    assert problem(r)["errors"][0]["name"] == "name"
    r = await client.get(f"{API}/partners?q=a%00b", headers=h)
    assert r.status_code == 400, r.text
    assert problem(r)["errors"][0] == {
        "in": "query",
        "name": "q",
        "detail": problem(r)["errors"][0]["detail"],
        "code": "string_type",
    }
    r = await client.get(f"{API}/reimbursement-schemes/A%00B", headers=h)
    assert r.status_code == 400, r.text
    assert problem(r)["errors"][0]["in"] == "path"
    r = await client.post(
        f"{API}/auth/token",
        data={"grant_type": "password", "username": "a\x00@example.org", "password": "x"},
    )
    assert r.status_code == 400, r.text
    assert problem(r)["error"] == "invalid_request"
    r = await client.post(
        f"{API}/auth/token",
        data={"grant_type": "client_credentials", "client_id": "a\x00", "client_secret": "x"},
    )
    assert r.status_code == 400, r.text


def test_a_nul_character_in_a_list_fails_its_item() -> None:
    class Model(ApiModel):
        names: list[str]

    with pytest.raises(ValidationError) as caught:
        Model.model_validate({"names": ["ok", "n\x00"]})
    assert caught.value.errors()[0]["loc"] == ("names", 1)


async def test_text_length_is_checked_as_sent_and_blank_text_refused(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """Trimming before the length check accepted a 201-character name ending in a space
    where the schema says at most 200 (ST201, seen as a rare flake); now the text as sent
    is measured, blank text is refused, and the schema's ``pattern`` says so."""
    h = build.headers_for(Role.admin)
    too_long = {"name": "P" * 200 + " ", "kind": "sports_club"}
    r = await client.post(f"{API}/partners", json=too_long, headers=h)
    assert r.status_code == 400, r.text
    assert {(e["name"], e["detail"]) for e in problem(r)["errors"]} == {
        ("name", "String should have at most 200 characters")
    }
    r = await client.post(f"{API}/partners", json={**too_long, "name": " \t "}, headers=h)
    assert r.status_code == 400, r.text
    assert [(e["name"], e["detail"]) for e in problem(r)["errors"]] == [
        ("name", "Must not be blank.")
    ]
    r = await client.post(f"{API}/partners", json={**too_long, "name": "  Sportclub  "}, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Sportclub"  # stored trimmed


def test_trimmed_text_says_in_its_schema_what_it_accepts() -> None:
    reason = TypeAdapter(Annotated[str, StringConstraints(min_length=3, max_length=9), Trimmed(3)])
    pattern = reason.json_schema()["pattern"]
    for sent in ["abc", " a c ", "a  c", "   ab   ", "  ", "abcdefghij", " abcdefgh "]:
        by_schema = 3 <= len(sent) <= 9 and re.search(pattern, sent) is not None
        try:
            reason.validate_python(sent)
            accepted = True
        except ValidationError:
            accepted = False
        assert accepted == by_schema, sent


async def test_a_number_in_a_body_is_a_json_number_not_text(
    client: httpx.AsyncClient, build: Builder
) -> None:
    """Pydantic (lax) took ``"5"`` as 5 where the schema says integer (ST201)."""
    operator = await build.partner()
    body = {
        "name": "Paviljoen",
        "address": "Binnenweg 1",
        "postcode": "2101 JA",
        "kind": "municipal_ukrainian",
        "operatorPartnerId": str(operator.id),
        "openedOn": "2026-01-01",
        "capacity": "5",
    }
    h = build.headers_for(Role.admin)
    r = await client.post(f"{API}/locations", json=body, headers=h)
    assert r.status_code == 400, r.text
    assert [e["name"] for e in problem(r)["errors"]] == ["capacity"]
    r = await client.post(f"{API}/locations", json={**body, "capacity": 5}, headers=h)
    assert r.status_code == 201, r.text
    # Query parameters are text by nature: there "2" is a number.
    r = await client.get(f"{API}/locations?page=2&pageSize=1", headers=h)
    assert r.status_code == 200, r.text
