"""The route index (``api.routing``) chooses the route the flat list would have chosen,
for every operation of the API and for addresses no route takes."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.routing import BaseRoute, Match, Route

from api.main import Site
from api.models import Role
from api.routing import CHOSEN, RouteIndex, first_segment, flat_routes
from tests.support.builders import Builder

ROOT = "/api/v1"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def flat_choice(routes: list[BaseRoute], scope: dict[str, object]) -> tuple[Match, object]:
    """Starlette's own rule: the first full match, else the first partial one."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return match, route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return (Match.PARTIAL, partial) if partial is not None else (Match.NONE, None)


def scope_for(method: str, path: str) -> dict[str, object]:
    return {"type": "http", "method": method, "path": ROOT + path, "root_path": ROOT}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x1", path)


def test_first_segment() -> None:
    assert first_segment("/partners/{id}") == "partners"
    assert first_segment("/{kind}/x") is None
    assert first_segment("/") == ""


def test_the_index_chooses_as_the_flat_list(app: Site) -> None:
    [index] = app.api.router.routes
    assert isinstance(index, RouteIndex)
    flat = flat_routes(app.api.router.routes)
    assert len(flat) > 150
    paths = {concrete(r.path) for r in flat if isinstance(r, Route)}
    paths |= {"", "/", "/nothing-here", "/partners/x1/y/z", "/participants/_search"}
    checked = 0
    for path in sorted(paths):
        for method in METHODS:
            expected, route = flat_choice(flat, scope_for(method, path))
            match, child = index.matches(scope_for(method, path))
            assert match is expected, (method, path)
            assert child.get(CHOSEN) is route, (method, path)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nothing-here", 404),
        ("DELETE", "/partners", 405),
        ("GET", "/participants/_search", 405),
    ],
)
async def test_no_route_still_answers_404_or_405(
    client: httpx.AsyncClient, build: Builder, method: str, path: str, status: int
) -> None:
    r = await client.request(method, ROOT + path, headers=build.headers_for(Role.admin))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    if status == 405:
        assert r.headers["allow"]
