"""Typed results: the API's JSON as it is on the wire.

The client does not convert: every result is the decoded JSON object, typed here as a
``TypedDict`` with the API's own camelCase keys (``givenName``, ``locationId``), so what
you read matches the API documentation and ``openapi.yaml`` one to one, costs nothing to
build, and a field the API adds later is simply there. Dates and timestamps stay ISO
strings, ids stay strings and money stays a decimal string (``"1234.50"``): parse what
you need (``datetime.date.fromisoformat``, ``decimal.Decimal``).

Bodies you send are plain mappings with the same camelCase keys.
"""

from __future__ import annotations

from typing import Any, Generic, NotRequired, TypedDict, TypeVar

T = TypeVar("T")

JSON = dict[str, Any]

# ``in`` is a keyword: the functional form.
FieldProblem = TypedDict("FieldProblem", {"in": str, "name": str, "detail": str})


class Problem(TypedDict):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: NotRequired[str | None]
    errors: NotRequired[list[FieldProblem] | None]


class Page(TypedDict, Generic[T]):
    """One page of a list: ``{"items", "page", "pageSize", "total"}``."""

    items: list[T]
    page: int
    pageSize: int
    total: int


class Token(TypedDict):
    access_token: str
    token_type: str
    expires_in: int
    role: str


class _Resource(TypedDict):
    id: str
    version: int
    createdAt: str
    updatedAt: str


class Partner(_Resource):
    name: str
    kind: str


class Location(_Resource):
    name: str
    address: str
    postcode: str
    kind: str
    operatorPartnerId: str
    externalCode: str | None
    openedOn: str
    closedOn: str | None
    capacity: int
    occupied: int
    free: int


class CapacityChange(TypedDict):
    id: str
    locationId: str
    validFrom: str
    capacity: int


class Participant(_Resource):
    """A participant; ``bsn`` is absent for a partner (who never sees it)."""

    reference: str
    bsn: NotRequired[str | None]
    vNumber: str | None
    givenName: str | None
    familyName: str | None
    dateOfBirth: str | None
    nationality: str | None
    group: str
    guardianPartnerId: str | None
    householdRef: str | None
    languages: list[str]
    dutchLevel: str
    employmentStatus: str
    progress: NotRequired[list[JSON]]


class Placement(_Resource):
    participantId: str
    locationId: str
    startDate: str
    endDate: str | None
    endReason: str | None
    capacityOverride: JSON | None


class Activity(_Resource):
    title: str
    kind: str
    providerPartnerId: str
    locationId: str | None
    startsOn: str
    endsOn: str | None
    schedule: str | None
    capacity: int | None
    targetGroups: list[str]


class Enrollment(_Resource):
    activityId: str
    participantId: str
    enrolledOn: str
    status: str
    endedOn: str | None


class AttendanceEntry(TypedDict):
    participantId: str
    status: str


class SignalAction(TypedDict):
    id: str
    note: str
    authorType: str
    authorRole: str | None
    createdAt: str


class Signal(_Resource):
    """A signal; ``actions`` comes with a single read, not in lists."""

    reportedAt: str
    source: str
    category: str
    severity: str
    locationId: str | None
    summary: str
    status: str
    resolvedAt: str | None
    overdue: bool
    actions: NotRequired[list[SignalAction]]


class User(_Resource):
    email: str
    role: str
    partnerId: str | None
    lastLoginAt: str | None


class Client(_Resource):
    """An API client (partner system); ``clientSecret`` only in the answer to a create."""

    clientId: str
    name: str
    partnerId: str
    clientSecret: NotRequired[str | None]


class EventResult(TypedDict):
    eventId: str
    status: str  # applied, duplicate, rejected, not_applied
    problems: list[JSON]


class PartnerEventsResult(TypedDict):
    results: list[EventResult]


class Change(TypedDict):
    cursor: str
    entity: str
    id: str
    operation: str
    version: int | None
    changedAt: str


class ChangePage(TypedDict):
    items: list[Change]
    nextCursor: str


class ImportProblem(TypedDict):
    row: int
    column: str | None
    detail: str


class ImportReport(TypedDict):
    rowsTotal: int
    rowsValid: int
    errors: list[ImportProblem]
