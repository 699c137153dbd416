"""Route lookup by the path's first segment.

Starlette's router tries its routes one by one, a regular expression each, until one
matches: a request for a route far down the list of ~200 (participants, signals) paid
for every route before it, several per cent of a simple read's time. ``RouteIndex`` is
the router's one route: it looks the request's first path segment up in a dict and
tries only the routes that can match it, in their original order, so the first route
that matches is the one the flat list would have chosen, and a path that matches with
another method still ends in a 405.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

# The route chosen in ``matches``, for ``handle``: set into the scope by the router.
CHOSEN = "opvang.route"


def first_segment(path: str) -> str | None:
    """A route path's first segment, or None when a parameter can stand there (such a
    route may match any request)."""
    segment = path.split("/", 2)[1] if path.startswith("/") else None
    if segment is None or "{" in segment:
        return None
    return segment


class RouteIndex(BaseRoute):
    """See the module. ``routes`` is the flat list (the OpenAPI document's source)."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = list(routes)
        firsts = [first_segment(getattr(route, "path", "")) for route in self.routes]
        self.anywhere = [r for r, f in zip(self.routes, firsts, strict=True) if f is None]
        self.by_segment: dict[str, list[BaseRoute]] = {}
        for segment in dict.fromkeys(f for f in firsts if f is not None):
            self.by_segment[segment] = [
                r for r, f in zip(self.routes, firsts, strict=True) if f in (segment, None)
            ]

    def candidates(self, scope: Scope) -> list[BaseRoute]:
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        parts = path.split("/", 2)
        segment = parts[1] if len(parts) > 1 else ""
        return self.by_segment.get(segment, self.anywhere)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        partial: Scope | None = None
        for route in self.candidates(scope):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                child_scope[CHOSEN] = route
                return match, child_scope
            if match is Match.PARTIAL and partial is None:
                partial = child_scope
                partial[CHOSEN] = route
        if partial is not None:
            return Match.PARTIAL, partial
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope.pop(CHOSEN)
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)


def flat_routes(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The routes one by one, an index opened up (for the OpenAPI document and the
    request guard's table)."""
    flat: list[BaseRoute] = []
    for route in routes:
        flat.extend(route.routes if isinstance(route, RouteIndex) else [route])
    return flat
