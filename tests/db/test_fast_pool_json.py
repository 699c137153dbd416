"""The hot reads' own driver pool (PostgreSQL, unbound, as the service runs) reads JSON
columns as the ORM does: decoded values, not their text. SQLAlchemy's asyncpg dialect
decodes JSON with a codec it sets on its own connections, so its JSON types have no result
processor for ``api.db.fast`` to run; the pool sets the same codecs (without them a
participant's ``languages`` came back as the string ``'["uk", "ar"]'``). The tests' bound
database reads on the session's connection and could not show this."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import bindparam, delete, select

from api.config import Settings
from api.db import Database, build_engine
from api.db.engine import driver_args
from api.db.fast import DriverQuery, dumps, reading
from api.models import Group, Participant
from api.models.base import JSONType


async def test_the_driver_pool_reads_json_as_values(settings: Settings) -> None:
    if settings.is_sqlite:
        pytest.skip("the driver pool is PostgreSQL's")
    database = Database(build_engine(settings), driver_args=driver_args(settings))
    reference = f"JSON-{uuid.uuid4().hex[:8]}"
    try:
        async with database.sessionmaker() as session, session.begin():
            person = Participant(
                reference=reference, group=Group.ukrainian_displaced, languages=["uk", "ar"]
            )
            session.add(person)
        languages = DriverQuery(
            select(Participant.languages).where(Participant.reference == bindparam("ref")),
            ["languages"],
        )
        # A JSON value bound is encoded as the engine's own connections encode it.
        by_languages = DriverQuery(
            select(Participant.reference).where(
                Participant.languages == bindparam("languages", type_=JSONType),
                Participant.reference == bindparam("ref"),
            ),
            ["reference"],
        )
        async with reading(database) as reader:
            assert database.driver_pool is not None
            row = await reader.one(languages, {"ref": reference})
            found = await reader.scalar(by_languages, {"languages": ["uk", "ar"], "ref": reference})
        assert row == {"languages": ["uk", "ar"]}
        assert dumps(row) == b'{"languages":["uk","ar"]}'
        assert found == reference
    finally:
        async with database.sessionmaker() as session, session.begin():
            await session.execute(delete(Participant).where(Participant.reference == reference))
        await database.dispose()
