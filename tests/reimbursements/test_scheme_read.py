"""``GET /reimbursement-schemes/{code}`` on the driver: byte for byte the JSON pydantic
writes for the stored scheme (its kinds and groups as the enums' values), with the ETag;
an unknown code is a 404; only admin and finance read it."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from api.db import Database
from api.models import ReimbursementScheme, Role
from api.reimbursements.schemes.schemas import SchemeRead
from tests.reimbursements.test_schemes import scheme_body
from tests.support.builders import Builder, problem

URL = "/api/v1/reimbursement-schemes"


async def _pydantic(db: Database, code: str) -> bytes:
    async with db.read_sessionmaker() as session:
        stored = (
            await session.execute(
                select(ReimbursementScheme).where(ReimbursementScheme.code == code)
            )
        ).scalar_one()
        body = SchemeRead.model_validate(stored).model_dump(mode="json", by_alias=True)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def test_a_scheme_is_the_schemas_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    h = build.headers_for(Role.finance)
    with_groups = scheme_body(groups=["asylum_seeker"], description="Één regeling: noodopvang")
    without = {**scheme_body(), "code": with_groups["code"] + "B"}
    for data in (with_groups, without):
        assert (await client.post(URL, json=data, headers=h)).status_code == 201
        r = await client.get(f"{URL}/{data['code']}", headers=build.headers_for(Role.admin))
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        assert r.content == await _pydantic(db, data["code"])
        assert r.headers["etag"] == f'"{r.json()["version"]}"'
    assert r.json()["groups"] is None
    shown = (await client.get(f"{URL}/{with_groups['code']}", headers=h)).json()
    assert shown["groups"] == ["asylum_seeker"]
    assert isinstance(shown["locationKinds"], list)
    missing = await client.get(f"{URL}/NOPE", headers=h)
    assert missing.status_code == 404
    assert problem(missing)["detail"] == "There is no reimbursement scheme with code 'NOPE'."
    for role in (Role.coordinator, Role.viewer):
        r = await client.get(f"{URL}/{with_groups['code']}", headers=build.headers_for(role))
        assert r.status_code == 403
    partner = build.headers_for(Role.partner, await build.partner())
    assert (await client.get(f"{URL}/{with_groups['code']}", headers=partner)).status_code == 403
