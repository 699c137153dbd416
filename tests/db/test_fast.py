"""The hot reads on the driver (``api.db.fast``): the answer is the read schema's JSON,
value for value, on both engines; the driver pool (PostgreSQL, unbound) reads committed
rows and closes with the database; schemas orjson cannot write exactly stay on pydantic."""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
import uuid
from decimal import Decimal
from typing import Annotated, Any

import asyncpg
import httpx
import orjson
import pytest
from pydantic import Field, field_serializer
from sqlalchemy import String, bindparam, delete, select

from api.common.schemas import ReadModel
from api.config import Settings
from api.db import Database, build_engine
from api.db.engine import driver_args
from api.db.fast import DriverQuery, driver_errors, dumps, plain_schema, reading, wire_keys
from api.models import Partner, PartnerKind, Role
from api.partners.schemas import PartnerRead
from tests.support.builders import Builder


async def test_partner_answer_is_the_schemas_json(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    partner = await build.partner(name="Stichting Snelheid", kind=PartnerKind.nidos)
    headers = build.headers_for(Role.admin)
    response = await client.get(f"/api/v1/partners/{partner.id}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    async with db.sessionmaker() as session:
        stored = (
            await session.execute(select(Partner).where(Partner.id == partner.id))
        ).scalar_one()
        expected = PartnerRead.model_validate(stored).model_dump(mode="json")
    assert response.json() == expected
    assert response.json()["kind"] == "nidos"
    assert response.json()["createdAt"].endswith("Z")
    assert response.headers["etag"] == f'"{stored.version}"'


async def test_partner_sees_only_itself_on_the_fast_path(
    client: httpx.AsyncClient, build: Builder
) -> None:
    own = await build.partner()
    other = await build.partner()
    headers = build.headers_for(Role.partner, own)
    assert (await client.get(f"/api/v1/partners/{own.id}", headers=headers)).status_code == 200
    hidden = await client.get(f"/api/v1/partners/{other.id}", headers=headers)
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    missing = await client.get(f"/api/v1/partners/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404


async def test_reading_runs_named_parameters_and_processors(build: Builder, db: Database) -> None:
    partner = await build.partner(kind=PartnerKind.coa)
    stmt = select(Partner.id, Partner.kind, Partner.created_at).where(
        Partner.id == bindparam("pid"), Partner.kind == PartnerKind.coa
    )
    query = DriverQuery(stmt, ["id", "kind", "createdAt"])
    async with reading(db) as reader:
        row = await reader.one(query, {"pid": partner.id})
        none = await reader.one(query, {"pid": uuid.uuid4()})
    assert none is None
    assert row is not None
    assert str(row["id"]) == str(partner.id)
    assert row["kind"] is PartnerKind.coa  # SQLAlchemy's result processor ran
    assert isinstance(row["createdAt"], dt.datetime) and row[
        "createdAt"
    ].utcoffset() == dt.timedelta(0)
    assert orjson.loads(dumps(row))["kind"] == "coa"


def test_one_key_per_column() -> None:
    with pytest.raises(ValueError, match="one JSON key per selected column"):
        DriverQuery(select(Partner.id, Partner.name), ["id"])


class Colour(enum.Enum):
    red = "red"


class Plain(ReadModel):
    id: uuid.UUID
    name: Annotated[str, Field(max_length=10)]
    day: dt.date | None
    at: dt.datetime
    colour: Colour
    count: int


class WithMoney(ReadModel):
    amount: Decimal


class WithSerializer(ReadModel):
    name: str

    @field_serializer("name")
    def _upper(self, value: str) -> str:
        return value.upper()


def test_which_schemas_orjson_writes_as_pydantic() -> None:
    assert plain_schema(Plain)
    assert plain_schema(PartnerRead)
    assert not plain_schema(WithMoney)
    assert not plain_schema(WithSerializer)
    assert wire_keys(Plain) == ["id", "name", "day", "at", "colour", "count"]
    assert wire_keys(PartnerRead)[:4] == ["id", "version", "createdAt", "updatedAt"]


def test_plain_json_equals_pydantic() -> None:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "naïef é",
        "day": dt.date(2026, 2, 28),
        "at": dt.datetime(2026, 12, 3, 10, 0, 0, 120, tzinfo=dt.UTC),
        "colour": Colour.red,
        "count": 3,
    }
    ours = orjson.loads(dumps(values))
    assert ours == Plain.model_validate(values).model_dump(mode="json")
    values["at"] = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
    assert orjson.loads(dumps(values)) == Plain.model_validate(values).model_dump(mode="json")


async def test_the_driver_pool_reads_committed_rows(settings: Settings) -> None:
    """PostgreSQL, unbound (as the service runs): reads come from the driver pool."""
    if settings.is_sqlite:
        pytest.skip("the driver pool is PostgreSQL's")
    database = Database(build_engine(settings), driver_args=driver_args(settings))
    name = f"Driverpool {uuid.uuid4().hex[:8]}"
    try:
        async with database.sessionmaker() as session, session.begin():
            partner = Partner(name=name, kind=PartnerKind.gza)
            session.add(partner)
        query = DriverQuery(select(Partner.name).where(Partner.id == bindparam("pid")), ["name"])
        async with reading(database) as reader:
            assert await reader.scalar(query, {"pid": partner.id}) == name
        assert database.driver_pool is not None
        async with reading(database) as reader:  # the same pool, a statement prepared once
            assert await reader.scalar(query, {"pid": partner.id}) == name
    finally:
        async with database.sessionmaker() as session, session.begin():
            await session.execute(delete(Partner).where(Partner.name == name))
        await database.dispose()
    assert database.driver_pool is None


async def test_select_binds_each_requests_values(build: Builder, db: Database) -> None:
    """A statement built per request is compiled once per shape; each request's values
    come from its own statement, IN lists included."""
    first = await build.partner(name=f"Eerste {uuid.uuid4().hex[:6]}", kind=PartnerKind.coa)
    second = await build.partner(name=f"Tweede {uuid.uuid4().hex[:6]}", kind=PartnerKind.gza)

    def by_name(name: str) -> Any:
        return select(Partner.id, Partner.kind).where(Partner.name == name).limit(5)

    async with reading(db) as reader:
        one = await reader.select(by_name(first.name))
        two = await reader.select(by_name(second.name))
        listed = await reader.select(
            select(Partner.name).where(Partner.id.in_([first.id, second.id])).order_by(Partner.name)
        )
        listed_again = await reader.select(
            select(Partner.name).where(Partner.id.in_([second.id])).order_by(Partner.name)
        )
    assert [(str(r[0]), r[1]) for r in one] == [(str(first.id), PartnerKind.coa)]
    assert [(str(r[0]), r[1]) for r in two] == [(str(second.id), PartnerKind.gza)]
    assert [r[0] for r in listed] == [first.name, second.name]
    assert [r[0] for r in listed_again] == [second.name]


async def test_list_page_is_the_schemas_json(client: httpx.AsyncClient, build: Builder) -> None:
    common = f"Lijst {uuid.uuid4().hex[:6]}"
    names = [f"{common} {i}" for i in range(3)]
    for name in names:
        await build.partner(name=name)
    headers = build.headers_for(Role.admin)
    response = await client.get(
        "/api/v1/partners", params={"q": common, "pageSize": 1}, headers=headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3 and body["page"] == 1 and body["pageSize"] == 1
    (item,) = body["items"]
    assert item["name"] == names[0]
    assert PartnerRead.model_validate(item, by_alias=True).model_dump(mode="json") == item
    assert 'rel="next"' in response.headers["link"]


def test_driver_errors_are_the_services() -> None:
    """A lost connection or a timeout on the driver is a ConnectionError (answered 503, as
    SQLAlchemy's are); a fault in our SQL stays what it is (a 500)."""
    lost = asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed")
    cancelled = asyncpg.exceptions.QueryCanceledError("canceling statement due to timeout")
    syntax = asyncpg.exceptions.PostgresSyntaxError("syntax error")
    busy = sqlite3.OperationalError("database is locked")
    for error in (lost, cancelled, busy):
        with pytest.raises(ConnectionError) as caught, driver_errors():
            raise error
        assert caught.value.__cause__ is error
    with pytest.raises(asyncpg.exceptions.PostgresSyntaxError), driver_errors():
        raise syntax


async def test_a_callable_bind_is_taken_at_each_execution(build: Builder, db: Database) -> None:
    """A bind parameter whose value comes from a callable (the partner visibility window's
    first day, ``visible_since_param``) is asked at each read, not frozen when the
    statement was first compiled."""
    first = await build.partner(name=f"Klok {uuid.uuid4().hex[:6]}")
    second = await build.partner(name=f"Klok {uuid.uuid4().hex[:6]}")
    wanted = [first.name]
    stmt = select(Partner.id).where(
        Partner.name == bindparam("name", callable_=lambda: wanted[0], type_=String)
    )
    query = DriverQuery(stmt, ["id"])
    async with reading(db) as reader:
        assert str(await reader.scalar(query, {})) == str(first.id)
        wanted[0] = second.name
        assert str(await reader.scalar(query, {})) == str(second.id)
