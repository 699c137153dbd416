"""Every error path answers RFC 9457 problem+json, never a stack trace."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter

from api.config import Settings
from api.main import Site, create_app
from api.models import Role
from tests.support.builders import Builder, auth_headers, problem


async def test_trailing_slash_is_404_problem_not_redirect(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.get("/api/v1/partners/", headers=build.headers_for(Role.admin))
    assert r.status_code == 404
    assert problem(r)["instance"] == "/api/v1/partners/"
    assert "location" not in r.headers


async def test_unknown_route_is_404_problem(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/no-such-thing", "/api/v2/partners", "/no-such-page.html"):
        r = await client.get(path)
        assert r.status_code == 404, path
        problem(r)


async def test_wrong_method_is_405_with_every_allowed_method(client: httpx.AsyncClient) -> None:
    r = await client.put("/api/v1/partners")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, POST"
    assert "PUT" in problem(r)["detail"]
    r = await client.post("/api/v1/partners/6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e")
    assert r.status_code == 405
    assert r.headers["allow"] == "DELETE, GET, PATCH"


async def test_invalid_input_is_400_listing_every_problem(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.post(
        "/api/v1/partners",
        json={"name": "", "kind": "bakery", "colour": "red"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400
    body = problem(r)
    found = {(e["in"], e["name"]) for e in body["errors"]}
    assert found == {("body", "name"), ("body", "kind"), ("body", "colour")}
    assert all(e["detail"] for e in body["errors"])


async def test_invalid_query_and_path_are_400_with_location(
    client: httpx.AsyncClient, build: Builder
) -> None:
    r = await client.get(
        "/api/v1/partners?pageSize=501&page=0&kind=bakery", headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 400
    names = {(e["in"], e["name"]) for e in problem(r)["errors"]}
    assert names == {("query", "pageSize"), ("query", "page"), ("query", "kind")}
    r = await client.get("/api/v1/partners/not-a-uuid", headers=build.headers_for(Role.admin))
    assert r.status_code == 400
    assert problem(r)["errors"][0] == {
        "in": "path",
        "name": "id",
        "detail": problem(r)["errors"][0]["detail"],
        "code": "uuid_parsing",
    }


async def test_unknown_query_key_is_refused(client: httpx.AsyncClient, build: Builder) -> None:
    r = await client.get("/api/v1/partners?colour=red", headers=build.headers_for(Role.admin))
    assert r.status_code == 400
    assert problem(r)["errors"][0]["name"] == "colour"


async def test_malformed_json_is_400(client: httpx.AsyncClient, build: Builder) -> None:
    r = await client.post(
        "/api/v1/partners",
        content=b'{"name": "x",',
        headers=build.headers_for(Role.admin, **{"Content-Type": "application/json"}),
    )
    assert r.status_code == 400
    assert problem(r)["errors"][0]["in"] == "body"


async def test_unexpected_error_is_500_problem_without_trace(
    app: Site, client: httpx.AsyncClient
) -> None:
    boom = APIRouter()

    @boom.get("/boom")
    async def explode() -> None:
        raise RuntimeError("secret internals: /etc/passwd at line 42")

    app.state.api.include_router(boom)
    r = await client.get("/api/v1/boom")
    assert r.status_code == 500
    body = problem(r)
    assert "secret internals" not in r.text
    assert "Traceback" not in r.text
    assert body["title"] == "Internal Server Error"


@pytest.mark.parametrize("path", ["/api/v1/partners", "/api/v1/health"])
async def test_database_unavailable_is_503_problem(settings: Settings, path: str) -> None:
    down = settings.model_copy(update={"database_url": "postgresql://postgres@127.0.0.1:1/nowhere"})
    app = create_app(down)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get(path, headers=auth_headers(settings, Role.admin))
        assert r.status_code == 503, r.text
        assert problem(r)["type"] == "urn:opvang:problem:database-unavailable"
        r = await c.post(
            "/api/v1/partners",
            json={"name": "X", "kind": "coa"},
            headers=auth_headers(settings, Role.admin, **{"Idempotency-Key": "k1"}),
        )
        assert r.status_code == 503
        problem(r)
    await app.state.db.dispose()


async def test_duplicate_is_409_problem(client: httpx.AsyncClient, build: Builder) -> None:
    await build.partner("Nidos dup")
    r = await client.post(
        "/api/v1/partners",
        json={"name": "nidos DUP", "kind": "nidos"},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 409
    assert "already exists" in problem(r)["detail"]
