"""Typed errors rendered as RFC 9457 problem+json, and the handlers that render them.

Every error path ends here: our own errors, invalid input (400 listing every problem),
unknown routes and methods, database outages (503) and anything unexpected (500 without
a trace).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path

log = logging.getLogger("opvang.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_PREFIX = "urn:opvang:problem:"


class ProblemType(StrEnum):
    """Every problem ``type`` the API answers besides ``about:blank``, with what it means.

    A member is the URN itself (a ``str``), so it goes wherever a type goes: ``type_=
    ProblemType.OVER_CAPACITY``. Modules name a member here rather than writing the URN, so
    a client's list of types is this one (README, "Problem types", is checked against it).
    """

    meaning: str

    def __new__(cls, slug: str, meaning: str) -> ProblemType:
        member = str.__new__(cls, PROBLEM_PREFIX + slug)
        member._value_ = PROBLEM_PREFIX + slug
        member.meaning = meaning
        return member

    # Any request
    INVALID_INPUT = "invalid-input", "A value is missing, malformed or contradicts another."
    STALE_VERSION = "stale-version", "`If-Match` names a version that is no longer current."
    CONCURRENT_UPDATE = "concurrent-update", "Someone else changed the record meanwhile."
    INTEGRITY = "integrity", "The database refused the change: a duplicate or a reference."
    DUPLICATE = "duplicate", "A record with the same name, code or date already exists."
    STATUS_FLOW = "status-flow", "The record's status does not allow this move."
    REQUEST_TOO_LARGE = "request-too-large", "The body is larger than `OPVANG_MAX_BODY_BYTES`."
    DATABASE_UNAVAILABLE = "database-unavailable", "The database cannot answer now; retry."
    # Idempotency-Key
    IDEMPOTENCY_MISMATCH = "idempotency-mismatch", "The key was used with another request."
    IDEMPOTENCY_IN_FLIGHT = "idempotency-in-flight", "The key's first request still runs."
    IDEMPOTENCY_ACCESS_CHANGED = (
        "idempotency-access-changed",
        "The key's first answer is not for this caller's role, partner or people now.",
    )
    ANSWER_ERASED = "answer-erased", "The key's first answer named a person since erased."
    # Locations and placements
    OUTSIDE_OPEN_DATES = "outside-open-dates", "A date lies outside the location's open dates."
    OVER_CAPACITY = "over-capacity", "The location would hold more people than places."
    LOCATION_IN_USE = "location-in-use", "The location has placements; close it instead."
    PLACEMENT_OVERLAP = "placement-overlap", "The participant already stays somewhere then."
    MINOR_AGE = "minor-age", "An unaccompanied minor's stay needs an age under 18 at its start."
    PARTICIPANT_ANONYMISED = "participant-anonymised", "The participant has been anonymised."
    # Participants
    DUPLICATE_PARTICIPANT = "duplicate-participant", "A participant has the same identifier."
    INVALID_PARTICIPANT = "invalid-participant", "The record breaks a registration rule."
    # Activities, enrollments and attendance
    NOT_THE_PROVIDER = "not-the-provider", "A partner manages only the activities it provides."
    ENROLLMENTS_OUTSIDE_DATES = "enrollments-outside-dates", "Enrollments would fall outside."
    ATTENDANCE_OUTSIDE_DATES = "attendance-outside-dates", "Attendance would fall outside."
    ACTIVITY_OVER_CAPACITY = "activity-over-capacity", "More open enrollments than places."
    ACTIVITY_HAS_ENROLLMENTS = "activity-has-enrollments", "End its enrollments instead."
    OUTSIDE_ACTIVITY_DATES = "outside-activity-dates", "The day is outside the activity's dates."
    NOT_ENROLLED = "not-enrolled", "A participant is not enrolled in the activity that day."
    TARGET_GROUP = "target-group", "The participant's group is not one the activity is for."
    ALREADY_ENROLLED = "already-enrolled", "The participant has an open enrollment already."
    ACTIVITY_FULL = "activity-full", "The activity has no free place."
    ATTENDANCE_OUTSIDE_ENROLLMENT = (
        "attendance-outside-enrollment",
        "Attendance would fall outside the enrollment's dates.",
    )
    ENROLLMENT_HAS_ATTENDANCE = "enrollment-has-attendance", "End the enrollment instead."
    # Reimbursements
    SCHEME_IN_USE = "scheme-in-use", "Claims use the scheme; its basis cannot change."
    OVERLAPPING_RATE = "overlapping-rate", "The rate overlaps another rate of the scheme."
    UNCOVERED_DAYS = "uncovered-days", "No rate of the scheme covers some days of the period."
    PROVISIONAL_RATE = "provisional-rate", "Only a provisional rate covers some days (a claim)."
    RATE_PUBLISHED = "rate-published", "A published rate is never edited; add a new one."
    CLAIM_FROZEN = "claim-frozen", "What the claim claims was fixed when it was submitted."
    CLAIM_NOT_FILED = "claim-not-filed", "The claim (or the one corrected) is not filed."
    CLAIM_ALREADY_FILED = "claim-already-filed", "A claim for the scheme and period is filed."
    NO_DIFFERENCE = "no-difference", "The computation equals what is filed: nothing to correct."
    # Imports
    IMPORT_TOO_LARGE = "import-too-large", "The upload is larger than `OPVANG_IMPORT_MAX_BYTES`."
    IMPORT_FILE_MISSING = "import-file-missing", "No file in the multipart form field `file`."
    IMPORT_FILE_UNREADABLE = "import-file-unreadable", "The file is not readable CSV or XLSX."
    IMPORT_FILE_TOO_LARGE = "import-file-too-large", "The XLSX archive inflates too far."
    IMPORT_FILE_ENCODING = "import-file-encoding", "The text is neither UTF-8 nor Windows-1252."
    IMPORT_FILE_EMPTY = "import-file-empty", "The file has no header line."
    IMPORT_REJECTED = "import-rejected", "Rows have problems: nothing was imported."
    # Partner events and webhooks
    PARTNER_EVENTS_MALFORMED = "partner-events-malformed", "An event breaks the event schema."
    PARTNER_EVENTS_REJECTED = "partner-events-rejected", "An event of an atomic batch broke a rule."
    WEBHOOK_LIMIT = "webhook-limit", "The client has as many webhook subscriptions as it may."


INVALID_CODE = "invalid"
CODE_DOC = (
    "What is wrong, as a stable machine code to translate: pydantic's error type for the "
    "schema's checks (`missing`, `string_too_long`, `string_pattern_mismatch`, `enum`, ...) "
    "or the API's own (`cannot_clear`, `not_found`, `before_start`, ...); `invalid` when "
    "unnamed."
)
# The constraint values of pydantic's error context a message may show; a `pattern` or
# the `expected` values are left out (never shown to people).
_PARAM_KEYS = frozenset(
    {"min_length", "max_length", "ge", "gt", "le", "lt", "max_digits", "decimal_places", "n"}
)


class FieldProblem(BaseModel):
    """One problem with the input: where it is (``in``), which field, and what is wrong."""

    in_: Literal["body", "query", "path", "header", "cookie", "file"] = Field(alias="in")
    name: str
    detail: str
    # Where a business rule refused the value: the rule's problem type, the same whichever
    # writer applied it (the API, a partner event, an import). Left out otherwise.
    type: str | None = None
    # What is wrong, as a stable machine code a client translates (``detail`` is English for
    # developers): pydantic's error type for the schema's checks (``missing``,
    # ``string_too_long``, ``string_pattern_mismatch``, ``enum``, ...) or one of ours
    # (``cannot_clear``, ``not_found``, ``before_start``, ...); ``invalid`` when unnamed.
    code: str = Field(default=INVALID_CODE, description=CODE_DOC)
    # The numbers or dates the message needs (``max_length``, ``ge``, ``from``...), never a
    # pattern or a list of allowed values. Left out when there are none.
    params: dict[str, int | float | str] | None = None

    model_config = {"populate_by_name": True}


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = None


class AppError(Exception):
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        errors: Sequence[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.type = type_
        self.instance_title = title or self.title
        self.errors = list(errors) if errors else None
        self.headers = headers or {}
        self.extra = extra or {}


class BadRequest(AppError):
    status = 400
    title = "Bad Request"


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "A valid bearer token is required.", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="opvang"'})
        super().__init__(detail, **kw)


class Forbidden(AppError):
    status = 403
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    title = "Not Found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    title = "Precondition Failed"


class UnprocessableContent(AppError):
    status = 422
    title = "Unprocessable Content"


class TooManyRequests(AppError):
    status = 429
    title = "Too Many Requests"


class ServiceUnavailable(AppError):
    status = 503
    title = "Service Unavailable"


def field_problem(
    where: str,
    name: str,
    detail: str,
    type_: str | None = None,
    *,
    code: str = INVALID_CODE,
    params: dict[str, int | float | str] | None = None,
) -> FieldProblem:
    return FieldProblem.model_validate(
        {"in": where, "name": name, "detail": detail, "type": type_, "code": code, "params": params}
    )


def problem_params(ctx: object) -> dict[str, int | float | str] | None:
    if not isinstance(ctx, dict):
        return None
    out: dict[str, int | float | str] = {}
    for key, value in ctx.items():
        if key in _PARAM_KEYS:
            out[key] = value if isinstance(value, int | float) else str(value)
    return out or None


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    type_: str = "about:blank",
    errors: Sequence[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [e.model_dump(by_alias=True, exclude_none=True) for e in errors]
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


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
