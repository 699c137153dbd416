"""The OpenAPI document: served without auth, equal to the committed openapi.yaml, and
shaped as the API Design Rules ask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import yaml

from api import API_VERSION

ROOT = Path(__file__).resolve().parent.parent


async def _served(client: httpx.AsyncClient) -> dict[str, Any]:
    r = await client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc: dict[str, Any] = r.json()
    return doc


async def test_served_document_equals_committed_openapi_yaml(client: httpx.AsyncClient) -> None:
    committed = yaml.safe_load((ROOT / "openapi.yaml").read_text())
    assert await _served(client) == committed, "openapi.yaml is stale: run `opvang openapi`"


async def test_document_follows_the_design_rules(client: httpx.AsyncClient) -> None:
    doc = await _served(client)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["version"] == API_VERSION
    assert {"name", "url", "email"} <= doc["info"]["contact"].keys()
    assert doc["servers"] == [{"url": "/api/v1"}]
    operation_ids = []
    for path, item in doc["paths"].items():
        assert not path.endswith("/"), path
        for method, op in item.items():
            operation_ids.append(op["operationId"])
            responses = op["responses"]
            assert "422" not in responses or method == "post", (path, method)
            assert "400" in responses, (path, method)
            for code, response in responses.items():
                if int(code) < 400:
                    assert "API-Version" in response["headers"], (path, method, code)
                else:
                    assert list(response["content"]) == ["application/problem+json"]
            for param in op.get("parameters", []):
                if param["in"] == "query":
                    assert param["name"][0].islower() and "_" not in param["name"]
    assert len(operation_ids) == len(set(operation_ids))
    problem = doc["components"]["schemas"]["Problem"]
    assert {"status", "title", "detail"} <= set(problem["required"])


async def test_nullable_dates_keep_their_format(client: httpx.AsyncClient) -> None:
    doc = await _served(client)
    last_login = doc["components"]["schemas"]["UserRead"]["properties"]["lastLoginAt"]
    assert last_login["type"] == ["string", "null"]
    assert last_login["format"] == "date-time"
