"""The exception handlers: every error path ends here as RFC 9457 problem+json (see
``api.errors``): our own errors, invalid input (400 listing every problem), unknown
routes and methods, database outages (503) and anything unexpected (500 without a
trace).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path

from api.errors import (
    INVALID_CODE,
    AppError,
    FieldProblem,
    ProblemType,
    field_problem,
    problem_params,
    problem_response,
)

log = logging.getLogger("opvang.errors")


async def _app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        title=exc.instance_title,
        detail=exc.detail,
        type_=exc.type,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra,
    )


def validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    problems = []
    for err in errors:
        loc = list(err.get("loc", ()))
        where = str(loc[0]) if loc and loc[0] in ("body", "query", "path", "header") else "body"
        rest = [str(p) for p in (loc[1:] if loc and loc[0] == where else loc)]
        name = ".".join(rest) or where
        detail = str(err.get("msg", "Invalid value."))
        code = str(err.get("type") or INVALID_CODE)
        if code == "json_invalid":
            name, detail = "body", "The body is not valid JSON."
        problems.append(
            field_problem(where, name, detail, code=code, params=problem_params(err.get("ctx")))
        )
    return problems


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = validation_problems(exc.errors())
    return problem_response(
        request,
        status=400,
        title="Bad Request",
        detail=f"The request has {len(problems)} invalid value(s); see errors.",
        type_=ProblemType.INVALID_INPUT,
        errors=problems,
    )


def _allowed_methods(request: Request) -> list[str]:
    """All methods the API offers at this path, from its OpenAPI paths (Starlette's own
    405 names only the first matching route's methods)."""
    app = request.app
    if not isinstance(app, FastAPI):
        return []
    table: list[tuple[re.Pattern[str], list[str]]] | None = getattr(app.state, "allow_table", None)
    if table is None:
        table = [
            (compile_path(path)[0], sorted(m.upper() for m in item if m != "parameters"))
            for path, item in app.openapi().get("paths", {}).items()
        ]
        # A fixed path first: /participants/_search, not /participants/{id}.
        table.sort(key=lambda row: row[0].pattern.count("(?P<"))
        app.state.allow_table = table
    root = request.scope.get("root_path", "")
    path = request.scope["path"]
    path = path[len(root) :] if root and path.startswith(root) else path
    for pattern, methods in table:
        if pattern.match(path):
            return methods
    return []


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404:
        detail = "No resource at this address."
    elif exc.status_code == 405:
        allowed = _allowed_methods(request) or [
            m.strip() for m in headers.get("Allow", "").split(",") if m.strip()
        ]
        headers["Allow"] = ", ".join(allowed)
        detail = f"{request.method} is not supported here; allowed: {headers['Allow']}."
    title = {404: "Not Found", 405: "Method Not Allowed"}.get(exc.status_code, "Error")
    return problem_response(
        request, status=exc.status_code, title=title, detail=detail, headers=headers
    )


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable: %s", type(exc).__name__)
    return database_unavailable(request)


def database_unavailable(request: Request) -> JSONResponse:
    return problem_response(
        request,
        status=503,
        title="Service Unavailable",
        detail="The database cannot be reached; try again shortly.",
        type_=ProblemType.DATABASE_UNAVAILABLE,
        headers={"Retry-After": "5"},
    )


# SQLSTATEs that mean "the database cannot serve this now", not "the request is wrong":
# connection exceptions (class 08), a statement or lock timeout (57014, 55P03), the server
# shutting down or refusing connections (57P01-57P05), too many connections (53300).
_UNAVAILABLE_SQLSTATES = frozenset({"57014", "55P03", "57P01", "57P02", "57P03", "57P04"})
_UNAVAILABLE_SQLSTATES |= {"57P05", "53300"}


def unavailable_sqlstate(code: str) -> bool:
    """Whether a SQLSTATE means the database cannot serve this now (see above)."""
    return code in _UNAVAILABLE_SQLSTATES or code.startswith("08")


def _sqlstate(exc: sa_exc.DBAPIError) -> str:
    # asyncpg's errors (as adapted by SQLAlchemy) carry ``sqlstate``; psycopg's ``sqlstate``
    # too, on the error itself or its diagnostics.
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return code if isinstance(code, str) else ""


async def _database_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return await _database_unavailable(request, exc)
    if isinstance(exc, sa_exc.DBAPIError):
        code = _sqlstate(exc)
        if unavailable_sqlstate(code):
            return await _database_unavailable(request, exc)
    if isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
        return await _database_unavailable(request, exc)
    if isinstance(exc, sa_exc.IntegrityError):
        return problem_response(
            request,
            status=409,
            title="Conflict",
            detail="The change conflicts with data already held (a duplicate or a reference).",
            type_=ProblemType.INTEGRITY,
        )
    return await _unexpected(request, exc)


async def _stale(request: Request, exc: Exception) -> Response:
    return problem_response(
        request,
        status=409,
        title="Conflict",
        detail="The record was changed by someone else meanwhile; read it again and retry.",
        type_=ProblemType.CONCURRENT_UPDATE,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error", exc_info=exc)
    return problem_response(
        request,
        status=500,
        title="Internal Server Error",
        detail="Something went wrong on our side; it has been logged.",
    )


def install_error_handlers(app: FastAPI | Starlette) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(sa_exc.SQLAlchemyError, _database_error)
    app.add_exception_handler(ConnectionError, _database_unavailable)
    app.add_exception_handler(TimeoutError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
