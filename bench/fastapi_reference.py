"""The framework's ceiling for ``api_overhead``: a bare FastAPI route (a typed path
parameter, no dependencies, no middleware) running the same SQL through the same driver
as ``bench/reference_app.py`` and answering the same JSON. What FastAPI itself costs
over Starlette shows as this one's distance to that reference; what our stack costs on
top, as ours to this one. Run: ``uvicorn bench.fastapi_reference:app``.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI, HTTPException, Request

from bench.reference_app import camel, lifespan, plain

# Telemetry off as in ours (``api.main.NO_TELEMETRY``): the ceiling is the framework's best.
app = FastAPI(
    lifespan=lifespan,
    openapi_url=None,
    docs_url=None,
    redoc_url=None,
    telemetry={"tracing": False, "metrics": False, "logs": False},
)


@app.get("/partners/{partner_id}")
async def read_partner(partner_id: uuid.UUID, request: Request) -> dict[str, Any]:
    record = await request.app.state.backend.fetch_one(request.app.state.sql, partner_id)
    if record is None:
        raise HTTPException(404)
    return {camel(key): plain(value) for key, value in record.items()}
