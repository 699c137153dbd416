"""Typed errors rendered as RFC 9457 problem+json: the problem types, the error classes
the services raise and ``problem_response``. The handlers that turn every error path
into one of these are in ``api.error_handlers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, ClassVar, Literal

from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

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
