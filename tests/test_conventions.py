"""API conventions: headers on every response, camelCase, pagination, ETag and If-Match."""

from __future__ import annotations

import re

import httpx

from api import API_VERSION
from api.main import Site
from api.models import PartnerKind, Role
from tests.support.builders import Builder, problem

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
}


async def test_every_response_carries_version_and_security_headers(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    admin = build.headers_for(Role.admin)
    responses = [
        await client.get("/api/v1/health"),
        await client.get(f"/api/v1/partners/{partner.id}", headers=admin),
        await client.get("/api/v1/partners"),  # 401
        await client.get("/api/v1/nothing"),  # 404
        await client.delete("/api/v1/partners"),  # 405
        await client.get("/api/v1/openapi.json"),
        await client.get("/"),  # the dashboard
    ]
    for r in responses:
        assert r.headers["api-version"] == API_VERSION, r.request.url
        assert re.fullmatch(r"\d+\.\d+\.\d+", r.headers["api-version"])
        for name, value in SECURITY_HEADERS.items():
            assert r.headers[name] == value, (r.request.url, name)
        assert r.headers["x-request-id"]
    api_responses = [r for r in responses if r.request.url.path.startswith("/api/")]
    assert all(r.headers["cache-control"] == "no-store" for r in api_responses)
    assert "strict-transport-security" not in responses[0].headers  # plain HTTP here


async def test_https_responses_carry_hsts(app: object) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        r = await c.get("/api/v1/health")
    assert r.headers["strict-transport-security"].startswith("max-age=")


async def test_request_id_is_echoed_when_sane(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/health", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    r = await client.get("/api/v1/health", headers={"X-Request-ID": "<script>"})
    assert r.headers["x-request-id"] != "<script>"


async def test_cors_allowlist(client: httpx.AsyncClient) -> None:
    allowed = "https://dashboard.heemstede.example"
    preflight = {
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    r = await client.options("/api/v1/partners", headers={"Origin": allowed, **preflight})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == allowed
    r = await client.options(
        "/api/v1/partners", headers={"Origin": "https://evil.example", **preflight}
    )
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/api/v1/health", headers={"Origin": allowed})
    assert r.headers["access-control-allow-origin"] == allowed
    assert "ETag" in r.headers["access-control-expose-headers"]


async def test_openapi_document_is_open_to_every_origin(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/openapi.json", headers={"Origin": "https://anyone.example"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


async def test_json_is_camel_case_and_unknown_fields_are_refused(
    client: httpx.AsyncClient, build: Builder
) -> None:
    admin = build.headers_for(Role.admin)
    r = await client.post(
        "/api/v1/partners", json={"name": "GZA camel", "kind": "gza"}, headers=admin
    )
    assert r.status_code == 201
    body = r.json()
    assert {"createdAt", "updatedAt", "version"} <= body.keys()
    assert not any("_" in key for key in body)
    assert r.headers["location"] == f"/api/v1/partners/{body['id']}"
    r = await client.post(
        "/api/v1/users",
        json={
            "email": "a@b.example",
            "password": "long enough pw",
            "role": "viewer",
            "partner_id": None,
        },
        headers=admin,
    )
    assert r.status_code == 400
    assert problem(r)["errors"][0]["name"] == "partner_id"


async def test_pagination_envelope_and_link_headers(
    client: httpx.AsyncClient, build: Builder
) -> None:
    for i in range(5):
        await build.partner(f"Paged club {i}", PartnerKind.sports_club)
    admin = build.headers_for(Role.admin)
    r = await client.get("/api/v1/partners?kind=sports_club&pageSize=2&page=2", headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert body["page"] == 2
    assert body["pageSize"] == 2
    assert body["total"] == 5
    assert [p["name"] for p in body["items"]] == ["Paged club 2", "Paged club 3"]
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', r.headers["link"])}
    assert set(links) == {"first", "prev", "next", "last"}
    assert "page=3" in links["next"] and "kind=sports_club" in links["next"]
    assert "page=3" in links["last"]
    r = await client.get(links["next"], headers=admin)
    assert [p["name"] for p in r.json()["items"]] == ["Paged club 4"]
    assert 'rel="next"' not in r.headers["link"]


async def test_link_headers_never_echo_the_host_header(
    client: httpx.AsyncClient, build: Builder, app: Site
) -> None:
    """A hostile ``Host`` (cache poisoning, links to an attacker's site) does not reach
    the links: they are relative, or built on OPVANG_PUBLIC_BASE_URL."""
    for i in range(3):
        await build.partner(f"Linked club {i}", PartnerKind.sports_club)
    headers = {**build.headers_for(Role.admin), "Host": "evil.example"}
    path = "/api/v1/partners?kind=sports_club&pageSize=1&page=2"
    r = await client.get(path, headers=headers)
    assert r.status_code == 200, r.text
    assert "evil.example" not in r.headers["link"]
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', r.headers["link"])}
    assert links["next"] == "/api/v1/partners?kind=sports_club&page=3&pageSize=1"

    settings = app.state.api.state.settings
    app.state.api.state.settings = settings.model_copy(
        update={"public_base_url": "https://opvang.heemstede.example/"}
    )
    r = await client.get(path, headers=headers)
    assert "evil.example" not in r.headers["link"]
    links = {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', r.headers["link"])}
    assert links["first"] == (
        "https://opvang.heemstede.example/api/v1/partners?kind=sports_club&page=1&pageSize=1"
    )


async def test_sort_and_search(client: httpx.AsyncClient, build: Builder) -> None:
    for name in ("Alpha school", "Beta school", "Gamma library"):
        await build.partner(name, PartnerKind.school)
    admin = build.headers_for(Role.admin)
    r = await client.get("/api/v1/partners?q=SCHOOL&sort=-name", headers=admin)
    assert [p["name"] for p in r.json()["items"]] == ["Beta school", "Alpha school"]
    r = await client.get("/api/v1/partners?sort=colour", headers=admin)
    assert r.status_code == 400
    assert problem(r)["errors"][0]["name"] == "sort"
    r = await client.get("/api/v1/partners?q=100%25", headers=admin)  # LIKE wildcards are literal
    assert r.json()["total"] == 0


async def test_etag_and_if_match(client: httpx.AsyncClient, build: Builder) -> None:
    partner = await build.partner("Versioned")
    admin = build.headers_for(Role.admin)
    url = f"/api/v1/partners/{partner.id}"
    r = await client.get(url, headers=admin)
    assert r.headers["etag"] == '"1"'
    assert r.json()["version"] == 1
    r = await client.patch(url, json={"name": "Versioned 2"}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 200
    assert r.headers["etag"] == '"2"'
    assert r.json()["version"] == 2
    r = await client.patch(url, json={"name": "Versioned 3"}, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 412
    problem(r)
    r = await client.patch(
        url, json={"name": "Versioned 3"}, headers={**admin, "If-Match": 'W/"2"'}
    )
    assert r.status_code == 412  # weak tags never match for a write
    r = await client.delete(url, headers={**admin, "If-Match": '"1"'})
    assert r.status_code == 412
    r = await client.get(url, headers=admin)
    assert r.json()["name"] == "Versioned 2"
    # If-Match is optional: never 428.
    r = await client.patch(url, json={"kind": "gza"}, headers=admin)
    assert r.status_code == 200
    assert r.json()["version"] == 3
    r = await client.delete(url, headers={**admin, "If-Match": '"3"'})
    assert r.status_code == 204
    assert (await client.get(url, headers=admin)).status_code == 404
