from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import text

from api import API_VERSION
from api.auth.deps import PUBLIC
from api.db import get_database
from api.errors import ProblemType, ServiceUnavailable
from api.openapi import api_router

router = api_router("health")


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    version: str


@router.get(
    "/health",
    response_model=Health,
    openapi_extra=PUBLIC,
    summary="Liveness and database reachability",
)
async def health(request: Request) -> Health:
    """200 when the database answers within two seconds; otherwise 503 problem+json."""
    db = get_database(request)

    async def ping() -> None:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(ping(), timeout=2.0)
    except Exception as exc:
        raise ServiceUnavailable(
            "The database cannot be reached.",
            type_=ProblemType.DATABASE_UNAVAILABLE,
            headers={"Retry-After": "5"},
            extra={"database": "unreachable"},
        ) from exc
    return Health(status="ok", database="ok", version=API_VERSION)
