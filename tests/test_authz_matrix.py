"""The authorization matrix (OWASP API1/API3/API5): every operation of the OpenAPI document
x every principal x own/other partner's object, against the contract's answer.

Principals: anonymous, admin, coordinator, finance, viewer, and a user (or API client) of
partner A acting on A's object ("partner-own") or on partner B's ("partner-other"). Staff
act on A's objects. Bodies are valid, so a refusal is about who asks, not what is sent.
Every principal's request runs in a savepoint rolled back afterwards: each starts from the
same world. Where the contract (design/api.md, roles table) is silent, the table keeps the
code's behaviour and says so in a comment.

Beyond the status code: a partner's successful answer never holds the BSN of anyone, and
partner-other's never holds the id of partner B's object (a list must not leak it).

Mass assignment: ``id``, ``version``, ``createdAt``, ``updatedAt`` in any JSON body are
refused with a 400 naming them; a partner may not set or search by a BSN, nor point an
object at another partner; only an admin sets ``capacityOverride``; only finance moves
claims.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from api.config import Settings
from api.db import Database
from api.main import create_app
from api.models import (
    Enrollment,
    ExternalRef,
    Participant,
    Partner,
    PartnerKind,
    Placement,
    Role,
    WebhookSubscription,
)
from tests.support import authz
from tests.support.authz import PARTNER_OTHER, PARTNER_OWN, PRINCIPALS, Side, World
from tests.support.builders import Builder, problem

API = "/api/v1"
Fill = Callable[[World, Side], Any]

# ---------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as in the OpenAPI document
    expect: tuple[int, int, int, int, int, int, int]  # in the order of PRINCIPALS
    params: Fill | None = None  # path parameters
    query: Fill | None = None
    body: Fill | None = None  # JSON, or for POST /imports the CSV text
    claim: str | None = None  # the status of the claim the path needs
    # A list's object: partner-own's answer holds A's, partner-other's never B's (and
    # admin's holds B's too, so that the check bites).
    listed: Callable[[Side], Any] | None = None
    admin_sees_b: bool = True
    as_client: bool = False  # the partner principals are A's API client, not a user
    form: bool = False  # form-encoded body (POST /auth/token)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def E(  # noqa: N802 - reads as a table
    anon: int, admin: int, coord: int, fin: int, viewer: int, own: int, other: int
) -> tuple[int, int, int, int, int, int, int]:
    return (anon, admin, coord, fin, viewer, own, other)


# Shorthands for common rows.
ADMIN_ONLY = E(401, 200, 403, 403, 403, 403, 403)
FINANCE_READ = E(401, 200, 403, 200, 403, 403, 403)  # admin and finance
OPEN = E(200, 200, 200, 200, 200, 200, 200)
STEERING_READ = E(401, 200, 200, 200, 200, 403, 403)  # every role but partners
GOALS_WRITE = E(401, 200, 200, 403, 403, 403, 403)


def oid(obj: Any) -> str:
    return str(obj.id)


def ids(**names: Callable[[Side], Any]) -> Fill:
    return lambda w, s: {k: str(f(s)) for k, f in names.items()}


# A resource id that names nothing (the steering rows: who is refused before the lookup).
NOWHERE_ID: Fill = lambda w, s: {"id": "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"}  # noqa: E731
STAFF_WRITE_A = E(401, 201, 201, 403, 403, 403, 403)


DECISION_READ = E(401, 200, 200, 200, 200, 200, 404)  # every role; a partner its own


def _decision(s: Side) -> uuid.UUID:
    assert s.decision is not None
    return s.decision.id


def _condition(s: Side) -> uuid.UUID:
    assert s.condition is not None
    return s.condition.id


PIPELINE_CREATE = STAFF_WRITE_A  # admin and coordinator create (issue 18 pipeline)
PIPELINE_READ_404 = E(401, 404, 404, 404, 404, 403, 403)
PIPELINE_WRITE_404 = E(401, 404, 404, 403, 403, 403, 403)
CSV_PARTICIPANT = (
    "reference,givenName,familyName,group,languages\r\n"
    "IMP-AUTHZ-1,Anna,Importa,ukrainian_displaced,uk\r\n"
)

ROWS: list[Row] = [
    # --- public ------------------------------------------------------------------------
    Row(
        "POST",
        "/auth/token",
        OPEN,  # public; a bearer header that comes along is ignored
        body=lambda w, s: {
            "grant_type": "password",
            "username": w.user.email,
            "password": "correct horse battery",
        },
        form=True,
    ),
    Row(
        "POST",
        "/auth/revoke",
        OPEN,  # public (RFC 7009): the refresh token is the credential; unknown ones are no error
        body=lambda w, s: {"token": "not-a-refresh-token"},
        form=True,
    ),
    Row("GET", "/health", OPEN),
    Row("GET", "/public/summary", OPEN),
    # --- admin only: users, clients, audit -----------------------------------------------
    Row("GET", "/users", ADMIN_ONLY),
    Row(
        "POST",
        "/users",
        E(401, 201, 403, 403, 403, 403, 403),
        body=lambda w, s: {
            "email": f"new-{uuid.uuid4().hex[:8]}@heemstede.example",
            "password": "a long enough password",
            "role": "viewer",
        },
    ),
    Row("GET", "/users/{id}", ADMIN_ONLY, params=lambda w, s: {"id": oid(w.user)}),
    Row(
        "PATCH",
        "/users/{id}",
        ADMIN_ONLY,
        params=lambda w, s: {"id": oid(w.user)},
        body=lambda w, s: {"role": "finance"},
    ),
    Row(
        "DELETE",
        "/users/{id}",
        E(401, 204, 403, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.user)},
    ),
    Row("GET", "/clients", ADMIN_ONLY),
    Row(
        "POST",
        "/clients",
        E(401, 201, 403, 403, 403, 403, 403),
        body=lambda w, s: {"partnerId": oid(s.partner), "name": "Koppeling"},
    ),
    Row("GET", "/clients/{id}", ADMIN_ONLY, params=ids(id=lambda s: s.client.id)),
    Row(
        "DELETE",
        "/clients/{id}",
        E(401, 204, 403, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.spare_client)},
    ),
    Row("GET", "/audit-events", ADMIN_ONLY),
    # --- partners ----------------------------------------------------------------------
    # Finance reads partners (expenses name one): the contract is silent, not
    # participant-level data; kept.
    Row(
        "GET",
        "/partners",
        E(401, 200, 200, 200, 403, 200, 200),
        listed=lambda s: s.partner.id,
    ),
    Row(
        "POST",
        "/partners",
        STAFF_WRITE_A,  # contract silent on who manages partners: the code's admin+coordinator
        body=lambda w, s: {"name": f"Sportclub {uuid.uuid4().hex[:6]}", "kind": "sports_club"},
    ),
    Row(
        "GET",
        "/partners/{id}",
        E(401, 200, 200, 200, 403, 200, 404),
        params=ids(id=lambda s: s.partner.id),
    ),
    Row(
        "PATCH",
        "/partners/{id}",
        E(401, 200, 200, 403, 403, 403, 403),
        params=ids(id=lambda s: s.partner.id),
        body=lambda w, s: {"name": f"COA {uuid.uuid4().hex[:6]}"},
    ),
    Row(
        "DELETE",
        "/partners/{id}",
        E(401, 204, 403, 403, 403, 403, 403),  # admin only (code; contract silent)
        params=lambda w, s: {"id": oid(w.spare_partner)},
    ),
    # --- locations ---------------------------------------------------------------------
    # Finance reads locations for its reports (contract silent: not participant-level).
    Row(
        "GET",
        "/locations",
        E(401, 200, 200, 200, 403, 200, 200),
        listed=lambda s: s.location.id,
    ),
    Row(
        "GET",
        "/locations/availability",
        E(401, 200, 200, 200, 403, 200, 200),  # places, as on GET /locations
        query=lambda w, s: {"on": "2024-03-01"},
        listed=lambda s: s.location.id,
    ),
    Row(
        "POST",
        "/locations",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "name": f"Locatie {uuid.uuid4().hex[:6]}",
            "address": "Raadhuisplein 1, Heemstede",
            "postcode": "2101 HA",
            "kind": "municipal_ukrainian",
            "operatorPartnerId": oid(s.partner),
            "openedOn": "2024-01-01",
            "capacity": 5,
        },
    ),
    Row(
        "GET",
        "/locations/{id}",
        E(401, 200, 200, 200, 403, 200, 404),
        params=ids(id=lambda s: s.location.id),
    ),
    Row(
        "PATCH",
        "/locations/{id}",
        E(401, 200, 200, 403, 403, 403, 403),
        params=ids(id=lambda s: s.location.id),
        body=lambda w, s: {"address": "Binnenweg 2, Heemstede"},
    ),
    Row(
        "DELETE",
        "/locations/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=ids(id=lambda s: s.spare_location.id),
    ),
    Row(
        "GET",
        "/locations/{id}/capacity-changes",
        E(401, 200, 200, 200, 403, 200, 404),
        params=ids(id=lambda s: s.location.id),
    ),
    Row(
        "POST",
        "/locations/{id}/capacity-changes",
        STAFF_WRITE_A,
        params=ids(id=lambda s: s.location.id),
        body=lambda w, s: {"validFrom": "2024-09-01", "capacity": 15},
    ),
    Row(
        "DELETE",
        "/locations/{id}/capacity-changes/{changeId}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=ids(id=lambda s: s.location.id, changeId=lambda s: s.change.id),
    ),
    # --- participants ------------------------------------------------------------------
    Row(
        "GET",
        "/participants",
        E(401, 200, 200, 403, 403, 200, 200),
        listed=lambda s: s.participant.id,
    ),
    Row(
        "POST",
        "/participants",
        STAFF_WRITE_A,  # a partner reads, never writes (it writes through partner events)
        body=lambda w, s: {
            "reference": f"HS-{uuid.uuid4().hex[:8]}",
            "group": "ukrainian_displaced",
        },
    ),
    Row(
        "POST",
        "/participants/_search",
        # partner-other searches B's person by V-number: an empty page, not a 404 (a search
        # answers a page); the leak check holds that the person is not in it.
        E(401, 200, 200, 403, 403, 200, 200),
        body=lambda w, s: {"vNumber": s.v_number},
        listed=lambda s: s.participant.id,
        admin_sees_b=False,  # admin searches A's V-number
    ),
    Row(
        "GET",
        "/participants/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.participant.id),
    ),
    Row(
        "PATCH",
        "/participants/{id}",
        E(401, 200, 200, 403, 403, 403, 403),
        params=ids(id=lambda s: s.participant.id),
        body=lambda w, s: {"nationality": "NLD"},
    ),
    Row(
        "DELETE",
        "/participants/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=ids(id=lambda s: s.participant.id),
    ),
    Row(
        "GET",
        "/participants/{id}/data-export",
        E(401, 200, 200, 403, 403, 403, 403),  # holds the BSN: staff only
        params=ids(id=lambda s: s.participant.id),
    ),
    # --- living allowance (issue 17): staff set it, finance reads, partners never ------
    Row(
        "GET",
        "/participants/{id}/living-allowances",
        E(401, 200, 200, 200, 403, 403, 403),
        params=ids(id=lambda s: s.participant.id),
    ),
    Row(
        "POST",
        "/participants/{id}/living-allowances",
        E(401, 201, 201, 403, 403, 403, 403),
        params=ids(id=lambda s: s.participant.id),
        body=lambda w, s: {"startsOn": "2024-02-01"},
    ),
    # An allowance id that names nothing: a role let through gets 404, a role refused 403.
    Row(
        "PATCH",
        "/participants/{id}/living-allowances/{allowance_id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(s.participant), "allowance_id": NOWHERE_ID(w, s)["id"]},
        body=lambda w, s: {"endsOn": "2024-12-31"},
    ),
    Row(
        "DELETE",
        "/participants/{id}/living-allowances/{allowance_id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(s.participant), "allowance_id": NOWHERE_ID(w, s)["id"]},
    ),
    # --- placements --------------------------------------------------------------------
    Row(
        "GET",
        "/placements",
        E(401, 200, 200, 403, 403, 200, 200),
        listed=lambda s: s.placement.id,
    ),
    Row(
        "POST",
        "/placements",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "participantId": oid(s.newcomer),
            "locationId": oid(s.location),
            "startDate": "2024-03-01",
        },
    ),
    Row(
        "GET",
        "/placements/movements",
        E(401, 200, 200, 403, 403, 200, 200),  # as GET /placements: names people
        query=lambda w, s: {"from": "2024-01-15", "to": "2024-02-15"},
        listed=lambda s: s.placement.id,
    ),
    Row(
        "POST",
        "/placements/{id}/_transfer",
        E(401, 201, 201, 403, 403, 403, 403),  # staff write; partners through events
        params=ids(id=lambda s: s.placement.id),
        body=lambda w, s: {"locationId": oid(s.spare_location), "date": "2024-06-01"},
    ),
    Row(
        "GET",
        "/placements/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.placement.id),
    ),
    Row(
        "PATCH",
        "/placements/{id}",
        E(401, 200, 200, 403, 403, 403, 403),
        params=ids(id=lambda s: s.placement.id),
        body=lambda w, s: {"endDate": "2024-12-01", "endReason": "housing"},
    ),
    Row(
        "DELETE",
        "/placements/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=ids(id=lambda s: s.placement.id),
    ),
    # --- partner events ----------------------------------------------------------------
    Row(
        "POST",
        "/partner-events",
        # partner-other: an intake at B's location is rejected like an unknown location,
        # so the atomic batch is the contract's 409 with the results.
        E(401, 403, 403, 403, 403, 200, 409),
        body=lambda w, s: {
            "events": [
                {
                    "eventId": f"ev-{uuid.uuid4().hex[:8]}",
                    "type": "intake",
                    "occurredOn": "2024-03-01",
                    "locationId": oid(s.location),
                    "participant": {
                        "externalRef": f"X{uuid.uuid4().hex[:8]}",
                        "givenName": "Amina",
                        "familyName": "Testdottir",
                        "group": "asylum_seeker",
                    },
                }
            ]
        },
        as_client=True,
    ),
    # --- imports -----------------------------------------------------------------------
    Row(
        "POST",
        "/imports/{kind}",
        # participants: admin and coordinator (finance imports expenses and rates only)
        E(401, 200, 200, 403, 403, 403, 403),
        params=lambda w, s: {"kind": "participants"},
        body=lambda w, s: CSV_PARTICIPANT,
    ),
    # --- reports and exports -----------------------------------------------------------
    Row(
        "GET",
        "/reports/occupancy",
        # a partner sees its own locations' occupancy (contract silent; kept)
        E(401, 200, 200, 200, 200, 200, 404),
        query=lambda w, s: {
            "from": "2024-03-01",
            "to": "2024-03-03",
            "locationId": oid(s.location),
        },
    ),
    Row(
        "GET",
        "/reports/progress",
        E(401, 200, 200, 200, 200, 403, 403),
        query=lambda w, s: {"from": "2024-01-01", "to": "2024-12-31"},
    ),
    Row("GET", "/reports/overview", E(401, 200, 200, 200, 200, 403, 403)),
    Row(
        "GET",
        "/reports/budget",
        E(401, 200, 403, 200, 200, 403, 403),
        query=lambda w, s: {"year": "2024"},
    ),
    Row("GET", "/reports/claimable", E(401, 200, 403, 200, 403, 403, 403)),
    Row(
        "GET",
        "/reports/council",
        E(401, 200, 200, 200, 200, 403, 403),
        query=lambda w, s: {"quarter": "2026Q1"},
    ),
    Row(
        "GET",
        "/reports/council.docx",
        E(401, 200, 200, 200, 200, 403, 403),
        query=lambda w, s: {"quarter": "2026Q1"},
    ),
    Row(
        "GET",
        "/exports/participants",
        E(401, 200, 200, 403, 403, 403, 403),
        query=lambda w, s: {"recipient": "CBS"},
    ),
    Row(
        "GET",
        "/exports/{report}",
        E(401, 200, 403, 200, 200, 403, 403),  # the budget report's roles
        params=lambda w, s: {"report": "budget"},
        query=lambda w, s: {"year": "2024", "format": "csv"},
    ),
    # --- activities, attendance --------------------------------------------------------
    # Finance reads activities (expenses name one; not participant-level): contract
    # silent, kept. A viewer sees aggregate reports only.
    Row(
        "GET",
        "/activities",
        E(401, 200, 200, 200, 403, 200, 200),
        listed=lambda s: s.activity.id,
    ),
    Row(
        "POST",
        "/activities",
        # partner-other: A adding an activity "provided by" B is refused (code: 403;
        # there is no object of B's to hide).
        E(401, 201, 201, 403, 403, 201, 403),
        body=lambda w, s: {
            "title": "Fietsles",
            "kind": "sport",
            "providerPartnerId": oid(s.partner),
            "startsOn": "2024-04-01",
        },
    ),
    Row(
        "GET",
        "/activities/{id}",
        E(401, 200, 200, 200, 403, 200, 404),
        params=ids(id=lambda s: s.activity.id),
    ),
    Row(
        "PATCH",
        "/activities/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.activity.id),
        body=lambda w, s: {"schedule": "woensdag 14:00-16:00"},
    ),
    Row(
        "DELETE",
        "/activities/{id}",
        E(401, 204, 204, 403, 403, 204, 404),
        params=ids(id=lambda s: s.spare_activity.id),
    ),
    Row(
        "GET",
        "/activities/{id}/attendance/{date}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.activity.id, date=lambda s: "2024-03-05"),
    ),
    Row(
        "PUT",
        "/activities/{id}/attendance/{date}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.activity.id, date=lambda s: "2024-03-05"),
        body=lambda w, s: [{"participantId": oid(s.participant), "status": "present"}],
    ),
    # --- enrollments -------------------------------------------------------------------
    Row(
        "GET",
        "/enrollments",
        E(401, 200, 200, 403, 403, 200, 200),
        listed=lambda s: s.enrollment.id,
    ),
    Row(
        "POST",
        "/enrollments",
        # partner-other names B's activity in the body: answered exactly like a missing
        # one, 400 naming `activityId` (a body reference is input, not the resource; see
        # test_other_partners_references_answer_like_missing_ones).
        E(401, 201, 201, 403, 403, 201, 400),
        body=lambda w, s: {
            "activityId": oid(s.spare_activity),
            "participantId": oid(s.participant),
            "enrolledOn": "2024-03-01",
        },
    ),
    Row(
        "GET",
        "/enrollments/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.enrollment.id),
    ),
    Row(
        "PATCH",
        "/enrollments/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.enrollment.id),
        body=lambda w, s: {"status": "active"},
    ),
    Row(
        "DELETE",
        "/enrollments/{id}",
        E(401, 204, 204, 403, 403, 204, 404),
        params=ids(id=lambda s: s.enrollment.id),
    ),
    # --- signals -----------------------------------------------------------------------
    Row(
        "GET",
        "/signals",
        E(401, 200, 200, 403, 403, 200, 200),
        listed=lambda s: s.signal.id,
    ),
    Row(
        "POST",
        "/signals",
        # partner-other names B's location: like a missing one, 400 naming `locationId`
        E(401, 201, 201, 403, 403, 201, 400),
        body=lambda w, s: {
            "reportedAt": "2024-03-02T10:00:00Z",
            "source": "staff",
            "category": "nuisance",
            "severity": "low",
            "locationId": oid(s.location),
            "summary": "Afval naast de containers.",
        },
    ),
    Row(
        "GET",
        "/signals/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.signal.id),
    ),
    Row(
        "PATCH",
        "/signals/{id}",
        E(401, 200, 200, 403, 403, 200, 404),
        params=ids(id=lambda s: s.signal.id),
        body=lambda w, s: {"severity": "high"},
    ),
    Row(
        "POST",
        "/signals/{id}/actions",
        E(401, 201, 201, 403, 403, 201, 404),
        params=ids(id=lambda s: s.signal.id),
        body=lambda w, s: {"note": "Gebeld met de beheerder."},
    ),
    # The staff who may own a signal: for the staff who assign them (not partners).
    Row("GET", "/signal-owners", E(401, 200, 200, 403, 403, 403, 403)),
    # --- draagvlak (issue 18): staff and viewers read all, a partner its own locations ---
    Row(
        "GET",
        "/reports/signal-trends",
        E(401, 200, 200, 403, 200, 200, 404),
        query=lambda w, s: {"from": "2024-01", "to": "2024-06", "locationId": oid(s.location)},
    ),
    Row(
        "GET",
        "/reports/draagvlak",
        E(401, 200, 200, 403, 200, 200, 200),
        listed=lambda s: s.location.id,
    ),
    Row(
        "GET",
        "/reports/draagvlak/{id}",
        E(401, 200, 200, 403, 200, 200, 404),
        params=ids(id=lambda s: s.location.id),
    ),
    # --- reimbursement schemes and rates (finance, admin) --------------------------------
    Row("GET", "/reimbursement-schemes", FINANCE_READ),
    Row(
        "POST",
        "/reimbursement-schemes",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {
            "code": f"T-{uuid.uuid4().hex[:6].upper()}",
            "name": "Nieuwe regeling",
            "basis": "per_place_day",
            "locationKinds": ["emergency"],
        },
    ),
    Row(
        "GET",
        "/reimbursement-schemes/{code}",
        FINANCE_READ,
        params=lambda w, s: {"code": w.scheme.code},
    ),
    Row(
        "PATCH",
        "/reimbursement-schemes/{code}",
        FINANCE_READ,
        params=lambda w, s: {"code": w.scheme.code},
        body=lambda w, s: {"name": "Hernoemde regeling"},
    ),
    Row(
        "GET",
        "/reimbursement-schemes/{code}/rates",
        FINANCE_READ,
        params=lambda w, s: {"code": w.scheme.code},
    ),
    Row(
        "POST",
        "/reimbursement-schemes/{code}/rates",
        E(401, 201, 403, 201, 403, 403, 403),
        params=lambda w, s: {"code": w.scheme.code},
        body=lambda w, s: {"validFrom": "2025-01-01", "amount": "11.00"},
    ),
    Row(
        "PATCH",
        "/reimbursement-schemes/{code}/rates/{rate_id}",
        E(401, 404, 403, 404, 403, 403, 403),
        params=lambda w, s: {"code": w.scheme.code, "rate_id": NOWHERE_ID(w, s)["id"]},
        body=lambda w, s: {"amount": "12.00"},
    ),
    # --- reimbursement claims ----------------------------------------------------------
    Row("GET", "/reimbursement-claims", FINANCE_READ),
    Row(
        "POST",
        "/reimbursement-claims",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {
            "schemeCode": w.scheme.code,
            "periodStart": "2024-03-01",
            "periodEnd": "2024-03-31",
        },
    ),
    Row("GET", "/reimbursement-claims/{id}", FINANCE_READ, claim="draft"),
    Row(
        "PATCH",
        "/reimbursement-claims/{id}",
        FINANCE_READ,
        claim="draft",
        body=lambda w, s: {"claimedAmount": "1.00"},
    ),
    Row("GET", "/reimbursement-claims/{id}/lines", FINANCE_READ, claim="draft"),
    # Status moves: finance only, not even admin (separation of duties; the contract's
    # "admin: everything" yields to the code here - the brief: only finance moves claims).
    Row(
        "POST",
        "/reimbursement-claims/{id}/_submit",
        E(401, 403, 403, 200, 403, 403, 403),
        claim="draft",
        body=lambda w, s: {},
    ),
    Row(
        "POST",
        "/reimbursement-claims/{id}/_approve",
        E(401, 403, 403, 200, 403, 403, 403),
        claim="submitted",
        body=lambda w, s: {},
    ),
    Row(
        "POST",
        "/reimbursement-claims/{id}/_reject",
        E(401, 403, 403, 200, 403, 403, 403),
        claim="submitted",
        body=lambda w, s: {"note": "Onvolledig."},
    ),
    Row(
        "POST",
        "/reimbursement-claims/{id}/_reopen",
        E(401, 403, 403, 200, 403, 403, 403),
        claim="rejected",
        body=lambda w, s: {},
    ),
    Row(
        "POST",
        "/reimbursement-claims/{id}/_pay",
        E(401, 403, 403, 200, 403, 403, 403),
        claim="approved",
        body=lambda w, s: {"receivedAmount": "1.00", "receivedOn": "2024-12-01"},
    ),
    Row(
        "POST",
        "/reimbursement-claims/{id}/_recalculate",
        FINANCE_READ,
        claim="draft",
        body=lambda w, s: {},
    ),
    # --- expenses ----------------------------------------------------------------------
    Row("GET", "/expenses", FINANCE_READ),
    Row(
        "POST",
        "/expenses",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {
            "date": "2024-04-01",
            "category": "transport",
            "amount": "12.50",
            "description": "Buskaarten",
        },
    ),
    Row("GET", "/expenses/{id}", FINANCE_READ, params=lambda w, s: {"id": oid(w.expense)}),
    Row(
        "PATCH",
        "/expenses/{id}",
        FINANCE_READ,
        params=lambda w, s: {"id": oid(w.expense)},
        body=lambda w, s: {"description": "Coördinatie april"},
    ),
    Row(
        "DELETE",
        "/expenses/{id}",
        E(401, 204, 403, 204, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.expense)},
    ),
    # --- decisions and conditions (issue 18): staff write; every role reads, a partner
    # only its own location's (another's: 404, and an empty list) ------------------------
    Row("GET", "/decisions", E(401, 200, 200, 200, 200, 200, 200), listed=_decision),
    Row(
        "POST",
        "/decisions",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "decidedOn": "2024-02-01",
            "body": "council",
            "reference": "RB 2024/7",
            "summary": "Uitbreiding met 2 plaatsen.",
            "locationId": oid(s.location),
        },
    ),
    Row("GET", "/decisions/{id}", DECISION_READ, params=ids(id=_decision)),
    Row(
        "PATCH",
        "/decisions/{id}",
        GOALS_WRITE,
        params=ids(id=_decision),
        body=lambda w, s: {"summary": "Bijgewerkt."},
    ),
    Row(
        "DELETE", "/decisions/{id}", E(401, 204, 204, 403, 403, 403, 403), params=ids(id=_decision)
    ),
    Row("GET", "/decisions/{id}/conditions", DECISION_READ, params=ids(id=_decision)),
    Row(
        "POST",
        "/decisions/{id}/conditions",
        STAFF_WRITE_A,
        params=ids(id=_decision),
        body=lambda w, s: {"description": "Buurt tevreden.", "evaluateOn": "2024-12-01"},
    ),
    Row("GET", "/conditions", E(401, 200, 200, 200, 200, 200, 200), listed=_condition),
    Row("GET", "/conditions/{id}", DECISION_READ, params=ids(id=_condition)),
    Row(
        "PATCH",
        "/conditions/{id}",
        GOALS_WRITE,
        params=ids(id=_condition),
        body=lambda w, s: {"status": "met", "evidence": "Geen klachten."},
    ),
    Row(
        "DELETE",
        "/conditions/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=ids(id=_condition),
    ),
    # --- goals (issue 17): admin and coordinator write; finance and viewer read ----------
    Row("GET", "/goals", STEERING_READ),
    Row(
        "POST",
        "/goals",
        E(401, 201, 201, 403, 403, 403, 403),
        body=lambda w, s: {"title": f"Doel {uuid.uuid4().hex[:8]}", "theme": "work"},
    ),
    Row("GET", "/goals/{id}", STEERING_READ, params=lambda w, s: {"id": oid(w.goal)}),
    Row(
        "PATCH",
        "/goals/{id}",
        GOALS_WRITE,
        params=lambda w, s: {"id": oid(w.goal)},
        body=lambda w, s: {"public": False},
    ),
    Row(
        "DELETE",
        "/goals/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.goal)},
    ),
    Row("GET", "/indicators", STEERING_READ),
    Row(
        "POST",
        "/indicators",
        E(401, 201, 201, 403, 403, 403, 403),
        body=lambda w, s: {"goalId": oid(w.goal), "title": "Werk", "metric": "working_share"},
    ),
    Row("GET", "/indicators/{id}", STEERING_READ, params=lambda w, s: {"id": oid(w.indicator)}),
    Row(
        "PATCH",
        "/indicators/{id}",
        GOALS_WRITE,
        params=lambda w, s: {"id": oid(w.indicator)},
        body=lambda w, s: {"targets": [{"year": 2026, "value": "0.5"}]},
    ),
    Row(
        "DELETE",
        "/indicators/{id}",
        E(401, 204, 204, 403, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.indicator)},
    ),
    Row("GET", "/indicator-metrics", STEERING_READ),
    Row("GET", "/reports/indicators", STEERING_READ),
    Row("GET", "/public/indicators", OPEN),
    Row("GET", "/public/locations", OPEN),
    Row("GET", "/public/candidate-locations", OPEN),
    # --- the Spreidingswet task (issue 18): admin and coordinator write; no partner -------
    Row("GET", "/spreiding-tasks", STEERING_READ),
    Row(
        "POST",
        "/spreiding-tasks",
        E(401, 201, 201, 403, 403, 403, 403),
        body=lambda w, s: {
            "startsOn": "2031-01-01",
            "endsOn": "2032-12-31",
            "places": 100,
            "source": "Verdeelbesluit provincie Noord-Holland, 2030",
        },
    ),
    # Ids that name nothing: a role let through gets 404, a role refused 403 first.
    Row("GET", "/spreiding-tasks/{id}", E(401, 404, 404, 404, 404, 403, 403), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/spreiding-tasks/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"places": 120},
    ),
    Row(
        "DELETE",
        "/spreiding-tasks/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
    ),
    Row("GET", "/reports/spreiding", STEERING_READ),
    Row("GET", "/public/spreiding", OPEN),
    # --- the begroting, the reserve, the capacity plan (steering: no partner) ----------
    # Ids that name nothing: a role let through gets 404, a role refused 403 first.
    Row("GET", "/budget-versions", E(401, 200, 403, 200, 200, 403, 403)),
    Row(
        "POST",
        "/budget-versions",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {"year": 2031, "decidedOn": "2030-11-07", "description": "Primitief"},
    ),
    Row("GET", "/budget-versions/{id}", E(401, 404, 403, 404, 404, 403, 403), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/budget-versions/{id}",
        E(401, 404, 403, 404, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"description": "Najaarsnota"},
    ),
    Row(
        "PUT",
        "/budget-versions/{id}/lines",
        E(401, 404, 403, 404, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: [{"kind": "expense", "category": "staff", "amount": "1.00"}],
    ),
    Row("DELETE", "/budget-versions/{id}", E(401, 404, 403, 404, 403, 403, 403), params=NOWHERE_ID),
    Row(
        "GET",
        "/reports/budget-plan",
        E(401, 200, 403, 200, 200, 403, 403),
        query=lambda w, s: {"year": 2024},
    ),
    Row("GET", "/reserve-mutations", E(401, 200, 403, 200, 200, 403, 403)),
    Row(
        "POST",
        "/reserve-mutations",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {
            "bookedOn": "2024-02-01",
            "amount": "100.00",
            "description": "Instelling",
            "decisionReference": "RB 2024/1",
        },
    ),
    Row("GET", "/reserve-mutations/{id}", E(401, 404, 403, 404, 404, 403, 403), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/reserve-mutations/{id}",
        E(401, 404, 403, 404, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"description": "Storting"},
    ),
    Row(
        "DELETE", "/reserve-mutations/{id}", E(401, 404, 403, 404, 403, 403, 403), params=NOWHERE_ID
    ),
    Row("GET", "/planned-capacity-changes", E(401, 200, 200, 200, 200, 403, 403)),
    Row(
        "POST",
        "/planned-capacity-changes",
        E(401, 201, 201, 403, 403, 403, 403),
        body=lambda w, s: {
            "locationId": oid(s.location),
            "kind": "capacity",
            "takesEffectOn": "2099-01-01",
            "capacity": 11,
        },
    ),
    Row("POST", "/planned-capacity-changes/_realise", E(401, 200, 200, 403, 403, 403, 403)),
    Row(
        "GET",
        "/planned-capacity-changes/{id}",
        E(401, 404, 404, 404, 404, 403, 403),
        params=NOWHERE_ID,
    ),
    Row(
        "PATCH",
        "/planned-capacity-changes/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"capacity": 9},
    ),
    Row(
        "DELETE",
        "/planned-capacity-changes/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
    ),
    Row("GET", "/occupancy-assumptions", E(401, 200, 200, 200, 200, 403, 403)),
    Row(
        "GET",
        "/occupancy-assumptions/{locationId}",
        E(401, 404, 404, 404, 404, 403, 403),
        params=lambda w, s: {"locationId": oid(s.location)},
    ),
    Row(
        "PUT",
        "/occupancy-assumptions/{locationId}",
        E(401, 201, 201, 201, 403, 403, 403),
        params=lambda w, s: {"locationId": oid(s.location)},
        body=lambda w, s: {"ratePercent": "95.00", "note": "COA-norm"},
    ),
    Row(
        "DELETE",
        "/occupancy-assumptions/{locationId}",
        E(401, 404, 404, 404, 403, 403, 403),
        params=lambda w, s: {"locationId": oid(s.location)},
    ),
    # --- forecast and scenarios (money: finance and admin write, viewer reads) ----------
    Row("GET", "/reports/forecast", E(401, 200, 403, 200, 200, 403, 403)),
    Row("GET", "/scenarios", E(401, 200, 403, 200, 200, 403, 403)),
    Row(
        "POST",
        "/scenarios",
        E(401, 201, 403, 201, 403, 403, 403),
        body=lambda w, s: {"name": "Authz", "changes": []},
    ),
    Row(
        "GET",
        "/scenarios/{id}",
        E(401, 200, 403, 200, 200, 403, 403),
        params=lambda w, s: {"id": oid(w.scenario)},
    ),
    Row(
        "PATCH",
        "/scenarios/{id}",
        FINANCE_READ,
        params=lambda w, s: {"id": oid(w.scenario)},
        body=lambda w, s: {"description": "Anders"},
    ),
    Row(
        "DELETE",
        "/scenarios/{id}",
        E(401, 204, 403, 204, 403, 403, 403),
        params=lambda w, s: {"id": oid(w.scenario)},
    ),
    # --- the location pipeline (issue 18 §5): admin and coordinator write; finance and
    # viewer (council members) read; partners 403. Ids that name nothing: a role let
    # through gets 404, a role refused 403 first (tests/pipeline covers the happy paths).
    Row("GET", "/housing-criteria", STEERING_READ),
    Row(
        "POST",
        "/housing-criteria",
        PIPELINE_CREATE,
        body=lambda w, s: {"name": f"Criterium {uuid.uuid4().hex[:8]}", "weight": 3},
    ),
    Row("GET", "/housing-criteria/{id}", PIPELINE_READ_404, params=NOWHERE_ID),
    Row(
        "PATCH",
        "/housing-criteria/{id}",
        PIPELINE_WRITE_404,
        params=NOWHERE_ID,
        body=lambda w, s: {"weight": 4},
    ),
    Row("DELETE", "/housing-criteria/{id}", PIPELINE_WRITE_404, params=NOWHERE_ID),
    Row("GET", "/candidate-locations", STEERING_READ),
    Row(
        "POST",
        "/candidate-locations",
        PIPELINE_CREATE,
        body=lambda w, s: {
            "name": f"Kandidaat {uuid.uuid4().hex[:8]}",
            "proposedKind": "amv_small_scale",
        },
    ),
    Row("GET", "/candidate-locations/{id}", PIPELINE_READ_404, params=NOWHERE_ID),
    Row(
        "PATCH",
        "/candidate-locations/{id}",
        PIPELINE_WRITE_404,
        params=NOWHERE_ID,
        body=lambda w, s: {"public": True},
    ),
    Row("DELETE", "/candidate-locations/{id}", PIPELINE_WRITE_404, params=NOWHERE_ID),
    Row(
        "POST",
        "/candidate-locations/{id}/stage",
        PIPELINE_WRITE_404,
        params=NOWHERE_ID,
        body=lambda w, s: {"stage": "investigation", "changedOn": "2024-01-01"},
    ),
    Row("GET", "/candidate-locations/{id}/stages", PIPELINE_READ_404, params=NOWHERE_ID),
    Row("GET", "/candidate-locations/{id}/scores", PIPELINE_READ_404, params=NOWHERE_ID),
    Row(
        "PUT",
        "/candidate-locations/{id}/scores",
        PIPELINE_WRITE_404,
        params=NOWHERE_ID,
        body=lambda w, s: {"items": []},
    ),
    Row(
        "POST",
        "/candidate-locations/{id}/location",
        PIPELINE_WRITE_404,
        params=NOWHERE_ID,
        body=lambda w, s: {"locationId": "6f1c6a9e-7d5e-4a50-8d2c-3f4b5a6c7d8e"},
    ),
    # --- change feed and webhooks ------------------------------------------------------
    Row(
        "GET",
        "/changes",
        E(401, 200, 200, 200, 403, 200, 200),
        listed=lambda s: s.location.id,
    ),
    # Webhooks: an admin oversees every subscription; only a partner system (API client)
    # subscribes (a subscription belongs to a client). Contract silent on who; kept.
    Row(
        "GET",
        "/webhooks",
        E(401, 200, 403, 403, 403, 200, 200),
        listed=lambda s: s.webhook.id,
        as_client=True,
    ),
    Row(
        "POST",
        "/webhooks",
        E(401, 403, 403, 403, 403, 201, 201),  # no object of B's involved
        body=lambda w, s: {"url": "http://127.0.0.1:9/hook"},
        as_client=True,
    ),
    Row(
        "GET",
        "/webhooks/{id}",
        E(401, 200, 403, 403, 403, 200, 404),
        params=ids(id=lambda s: s.webhook.id),
        as_client=True,
    ),
    Row(
        "DELETE",
        "/webhooks/{id}",
        E(401, 204, 403, 403, 403, 204, 404),
        params=ids(id=lambda s: s.webhook.id),
        as_client=True,
    ),
    Row(
        "GET",
        "/webhooks/{id}/deliveries",
        E(401, 200, 403, 403, 403, 200, 404),
        params=ids(id=lambda s: s.webhook.id),
        as_client=True,
    ),
    Row(
        "POST",
        "/webhooks/{id}/_redeliver",
        E(401, 200, 403, 403, 403, 200, 404),
        params=ids(id=lambda s: s.webhook.id),
        as_client=True,
    ),
    # --- meetings, agreements, communications (issue 18) ---------------------------------
    # The world holds none of these objects: per-id rows name nothing, so a principal let
    # through gets 404 (partner scope with real objects: tests/meetings). Staff manage;
    # viewers and partners (scoped) read meetings and agreements; finance none.
    Row("GET", "/meetings", E(401, 200, 200, 403, 200, 200, 200)),
    Row(
        "POST",
        "/meetings",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "heldOn": "2024-03-02",
            "kind": "neighbourhood_meeting",
            "residentsPresent": 12,
            "locationId": oid(s.location),
            "partnerIds": [oid(s.partner)],
            "summary": "Vragen over de opvang.",
        },
    ),
    Row("GET", "/meetings/{id}", E(401, 404, 404, 403, 404, 404, 404), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/meetings/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"residentsPresent": 3},
    ),
    Row("DELETE", "/meetings/{id}", E(401, 404, 404, 403, 403, 403, 403), params=NOWHERE_ID),
    Row("GET", "/agreements", E(401, 200, 200, 403, 200, 200, 200)),
    Row(
        "POST",
        "/agreements",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "description": "Extra rondes door het jongerenwerk.",
            "locationId": oid(s.location),
            "partnerId": oid(s.partner),
            "dueOn": "2024-04-01",
        },
    ),
    Row("GET", "/agreements/{id}", E(401, 404, 404, 403, 404, 404, 404), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/agreements/{id}",
        # a partner manages the agreements assigned to it: past the role check
        E(401, 404, 404, 403, 403, 404, 404),
        params=NOWHERE_ID,
        body=lambda w, s: {"status": "done"},
    ),
    Row("DELETE", "/agreements/{id}", E(401, 404, 404, 403, 403, 403, 403), params=NOWHERE_ID),
    Row("GET", "/agreements/{id}/notes", E(401, 404, 404, 403, 404, 404, 404), params=NOWHERE_ID),
    Row(
        "POST",
        "/agreements/{id}/notes",
        E(401, 404, 404, 403, 403, 404, 404),
        params=NOWHERE_ID,
        body=lambda w, s: {"note": "Gebeld met de buren."},
    ),
    Row("GET", "/communications", E(401, 200, 200, 403, 200, 403, 403)),
    Row(
        "POST",
        "/communications",
        STAFF_WRITE_A,
        body=lambda w, s: {
            "sentOn": "2024-03-02",
            "channel": "letter",
            "audience": "street",
            "locationId": oid(s.location),
            "summary": "Brief aan de straat.",
        },
    ),
    Row("GET", "/communications/{id}", E(401, 404, 404, 403, 404, 403, 403), params=NOWHERE_ID),
    Row(
        "PATCH",
        "/communications/{id}",
        E(401, 404, 404, 403, 403, 403, 403),
        params=NOWHERE_ID,
        body=lambda w, s: {"channel": "website"},
    ),
    Row("DELETE", "/communications/{id}", E(401, 404, 404, 403, 403, 403, 403), params=NOWHERE_ID),
]

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    settings = Settings(
        environment="test",
        database_url="sqlite:///:memory:",
        secret_key="test-secret-0123456789abcdef0123456789abcdef",
    )
    doc: dict[str, Any] = create_app(settings).api.openapi()
    return doc


@pytest.fixture(scope="module")
def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


def test_every_operation_has_a_row(operations: set[tuple[str, str]]) -> None:
    keys = [row.key for row in ROWS]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    missing = sorted(operations - set(keys))
    stale = sorted(set(keys) - operations)
    assert not duplicated, f"rows given twice: {duplicated}"
    assert not missing, f"operations without a row in the authorization matrix: {missing}"
    assert not stale, f"rows whose operation no longer exists: {stale}"


# ---------------------------------------------------------------------------------------
# Running a row
# ---------------------------------------------------------------------------------------


def _connection(db: Database) -> AsyncConnection:
    conn = db.sessionmaker.kw["bind"]
    assert isinstance(conn, AsyncConnection)
    return conn


async def _send(
    client: httpx.AsyncClient,
    build: Builder,
    w: World,
    row: Row,
    principal: str,
    *,
    body: Any = None,
    extra_headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    side = w.side(principal)
    params: dict[str, str] = row.params(w, side) if row.params else {}
    if row.claim is not None:
        params["id"] = str(await authz.claim(client, build, w, row.claim))
    path = API + row.path.format(**params)
    h = {**authz.headers(build, w, principal, as_client=row.as_client), **(extra_headers or {})}
    query = row.query(w, side) if row.query else None
    if body is None and row.body is not None:
        body = row.body(w, side)
    if row.path.startswith("/imports/"):
        files = {"file": ("authz.csv", str(body).encode(), "text/csv")}
        return await client.request(row.method, path, params=query, files=files, headers=h)
    if row.form:
        return await client.request(row.method, path, params=query, data=body, headers=h)
    return await client.request(row.method, path, params=query, json=body, headers=h)


async def _isolated(db: Database, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a savepoint that is rolled back: every principal meets the same world."""
    savepoint = await _connection(db).begin_nested()
    try:
        return await fn()
    finally:
        await savepoint.rollback()


def _leaks(w: World, row: Row, principal: str, response: httpx.Response) -> list[str]:
    found = []
    if principal in (PARTNER_OWN, PARTNER_OTHER):
        for bsn in w.bsns:
            if bsn in response.text:
                found.append("a BSN in a partner's answer")
    other = principal == PARTNER_OTHER and row.listed is not None and response.is_success
    if other and row.listed is not None and str(row.listed(w.b)) in response.text:
        found.append("partner B's object in partner A's answer")
    return found


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
async def test_matrix(row: Row, client: httpx.AsyncClient, build: Builder, db: Database) -> None:
    w = await authz.world(db, build)
    if row.claim is not None:  # made before the savepoints, so every principal has it
        await authz.claim(client, build, w, row.claim)
    wrong = []
    for principal, expected in zip(PRINCIPALS, row.expect, strict=True):

        async def call(principal: str = principal) -> httpx.Response:
            return await _send(client, build, w, row, principal)

        response = await _isolated(db, call)
        leaks = _leaks(w, row, principal, response)
        if row.listed is not None and response.is_success:
            if principal == "admin" and row.admin_sees_b:
                assert str(row.listed(w.b)) in response.text, f"{row.id}: a vacuous check"
            if principal == PARTNER_OWN and str(row.listed(w.a)) not in response.text:
                leaks.append("partner A's own object missing from its answer")
        if response.status_code != expected or leaks:
            detail = response.text[:600].replace("\n", " ")
            wrong.append(
                f"{principal}: expected {expected}, got {response.status_code} "
                f"{'; '.join(leaks)} {detail}"
            )
        elif not response.is_success and row.path != "/auth/token":
            problem(response)
    assert not wrong, f"{row.id}:\n  " + "\n  ".join(wrong)


# ---------------------------------------------------------------------------------------
# Mass assignment
# ---------------------------------------------------------------------------------------

READ_ONLY = {
    "id": str(uuid.uuid4()),
    "version": 99,
    "createdAt": "2024-01-01T00:00:00Z",
    "updatedAt": "2024-01-01T00:00:00Z",
}


def _json_write_rows() -> list[Row]:
    """Every row whose operation takes a JSON object body (not the form-encoded token
    request, the CSV upload, or the attendance list)."""
    return [
        row
        for row in ROWS
        if row.method in {"POST", "PATCH", "PUT"}
        and row.body is not None
        and not row.form
        and not row.path.startswith("/imports/")
    ]


def _allowed(row: Row) -> str:
    """A principal the row lets through (the first with a 2xx; else the first with a 404:
    past the role check, on an id that names nothing, where the body is checked first)."""
    for principal, code in zip(PRINCIPALS, row.expect, strict=True):
        if 200 <= code < 300:
            return principal
    for principal, code in zip(PRINCIPALS, row.expect, strict=True):
        if code == 404:
            return principal
    raise AssertionError(f"{row.id}: nobody may")


def test_every_json_write_checks_mass_assignment(document: dict[str, Any]) -> None:
    """The mass-assignment test below covers every operation with a JSON body."""
    doc_ops = _json_body_operations(document)
    covered = {row.key for row in _json_write_rows()}
    assert doc_ops <= covered, sorted(doc_ops - covered)


def _json_body_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS and "application/json" in op.get("requestBody", {}).get("content", {})
    }


@pytest.mark.parametrize("row", _json_write_rows(), ids=[r.id for r in _json_write_rows()])
async def test_read_only_fields_are_refused(
    row: Row, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    principal = _allowed(row)
    assert row.body is not None
    valid = row.body(w, w.side(principal))
    tampered: Any
    if isinstance(valid, dict) and "events" in valid:  # partner events: the event and person
        tampered = copy.deepcopy(valid)
        tampered["events"][0].update(READ_ONLY)
        tampered["events"][0]["participant"].update(READ_ONLY)
        tampered.update(READ_ONLY)
    elif isinstance(valid, list):  # attendance: every entry
        tampered = [{**entry, **READ_ONLY} for entry in valid]
    else:
        tampered = {**valid, **READ_ONLY}
    response = await _send(client, build, w, row, principal, body=tampered)
    assert response.status_code == 400, response.text
    named = {e["name"].rsplit(".", 1)[-1] for e in problem(response).get("errors", [])}
    assert set(READ_ONLY) <= named, response.text


async def test_imports_refuse_read_only_columns(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """The CSV counterpart of the JSON check: `id`, `version`, `createdAt`, `updatedAt`
    columns are unknown columns, refused by name, and nothing is written."""
    header = "id,version,createdAt,updatedAt,reference,givenName,familyName,group"
    row = (
        f"{uuid.uuid4()},99,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z,IMP-RO-1,Anna,X,asylum_seeker"
    )
    r = await client.post(
        f"{API}/imports/participants",
        files={"file": ("ro.csv", f"{header}\r\n{row}\r\n".encode(), "text/csv")},
        headers=build.headers_for(Role.admin),
    )
    assert r.status_code == 400, r.text
    assert {e["column"] for e in problem(r)["errors"]} >= set(READ_ONLY)
    async with db.sessionmaker() as session:
        found = await session.execute(
            select(Participant.id).where(Participant.reference == "IMP-RO-1")
        )
    assert found.all() == []


# --- a partner and the BSN ---------------------------------------------------------------


async def test_partner_never_sets_or_searches_a_bsn(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    h = build.headers_for(Role.partner, w.a.partner)
    bsn = authz.valid_bsn()
    person = w.a.participant.id
    # A partner never writes a participant, BSN or not (partner events carry no BSN).
    r = await client.patch(f"{API}/participants/{person}", json={"bsn": bsn}, headers=h)
    assert r.status_code == 403
    problem(r)
    r = await client.post(
        f"{API}/participants",
        json={"reference": "HS-BSN-1", "group": "asylum_seeker", "bsn": bsn},
        headers=h,
    )
    assert r.status_code == 403
    r = await client.post(f"{API}/participants/_search", json={"bsn": w.a.bsn}, headers=h)
    assert r.status_code == 403
    assert w.a.bsn not in r.text
    # Through partner events: `bsn` is not a field of the event's person.
    event = {
        "eventId": "ev-bsn",
        "type": "intake",
        "occurredOn": "2024-03-01",
        "locationId": str(w.a.location.id),
        "participant": {
            "externalRef": "XBSN1",
            "givenName": "Amina",
            "familyName": "Testdottir",
            "group": "asylum_seeker",
            "bsn": bsn,
        },
    }
    r = await client.post(
        f"{API}/partner-events", json={"events": [event]}, headers=build.client_headers(w.a.client)
    )
    assert r.status_code == 409, r.text  # the atomic batch: its one event rejected
    (result,) = r.json()["results"]
    assert result["status"] == "rejected"
    assert [p["name"] for p in result["problems"]] == ["events[0].participant.bsn"]
    async with db.sessionmaker() as session:
        stored = (await session.execute(select(Participant.id).where(Participant.bsn == bsn))).all()
    assert stored == []
    # And reads never show it.
    r = await client.get(f"{API}/participants/{person}", headers=h)
    assert r.status_code == 200
    assert "bsn" not in r.json()
    assert w.a.bsn not in r.text


# --- a partner pointing an object at another partner -------------------------------------


async def test_partner_cannot_hand_objects_to_another_partner(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    h = build.headers_for(Role.partner, w.a.partner)
    other = str(w.b.partner.id)
    # providerPartnerId: on create and on change of its own activity.
    r = await client.post(
        f"{API}/activities",
        json={
            "title": "Taalcafé",
            "kind": "language",
            "providerPartnerId": other,
            "startsOn": "2024-04-01",
        },
        headers=h,
    )
    assert r.status_code in (403, 404), r.text
    problem(r)
    r = await client.patch(
        f"{API}/activities/{w.a.activity.id}", json={"providerPartnerId": other}, headers=h
    )
    assert r.status_code in (403, 404), r.text
    problem(r)
    # operatorPartnerId and guardianPartnerId: a partner writes no location or participant.
    r = await client.patch(
        f"{API}/locations/{w.a.location.id}", json={"operatorPartnerId": other}, headers=h
    )
    assert r.status_code == 403
    r = await client.post(
        f"{API}/locations",
        json={
            "name": "X",
            "address": "Y 1",
            "postcode": "2101 HA",
            "kind": "emergency",
            "operatorPartnerId": other,
            "openedOn": "2024-01-01",
            "capacity": 1,
        },
        headers=h,
    )
    assert r.status_code == 403
    r = await client.patch(
        f"{API}/participants/{w.a.newcomer.id}", json={"guardianPartnerId": other}, headers=h
    )
    assert r.status_code == 403
    # A signal about another partner's location, and moving its own signal there.
    r = await client.patch(
        f"{API}/signals/{w.a.signal.id}", json={"locationId": str(w.b.location.id)}, headers=h
    )
    assert r.status_code in (400, 403, 404), r.text
    problem(r)
    # Nothing moved.
    admin = build.headers_for(Role.admin)
    act = (await client.get(f"{API}/activities/{w.a.activity.id}", headers=admin)).json()
    assert act["providerPartnerId"] == str(w.a.partner.id)
    sig = (await client.get(f"{API}/signals/{w.a.signal.id}", headers=admin)).json()
    assert sig["locationId"] == str(w.a.location.id)
    # An enrollment into another partner's activity.
    r = await client.post(
        f"{API}/enrollments",
        json={"activityId": str(w.b.activity.id), "participantId": str(w.a.newcomer.id)},
        headers=h,
    )
    assert r.status_code == 400, r.text  # like a missing activity
    assert [e["name"] for e in problem(r)["errors"]] == ["activityId"]


# --- capacityOverride: admin only --------------------------------------------------------


@pytest.mark.parametrize("role", [Role.coordinator, Role.admin])
async def test_capacity_override_is_for_admins(
    role: Role, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    body = {
        "participantId": str(w.a.newcomer.id),
        "locationId": str(w.a.location.id),
        "startDate": "2024-03-01",
        "capacityOverride": {"reason": "Crisisopvang, afgestemd met de burgemeester."},
    }
    r = await client.post(f"{API}/placements", json=body, headers=build.headers_for(role))
    if role is Role.admin:
        assert r.status_code == 201, r.text
        stay = r.json()["id"]
        r = await client.patch(
            f"{API}/placements/{stay}",
            json={"capacityOverride": {"reason": "Nog steeds nodig."}},
            headers=build.headers_for(role),
        )
        assert r.status_code == 200, r.text
        return
    assert r.status_code == 403, r.text
    assert "capacityOverride" in problem(r)["detail"] + str(problem(r).get("errors", ""))
    r = await client.patch(
        f"{API}/placements/{w.a.placement.id}",
        json={"capacityOverride": {"reason": "Even niet."}},
        headers=build.headers_for(role),
    )
    assert r.status_code == 403, r.text
    r = await client.get(f"{API}/placements/{w.a.placement.id}", headers=build.headers_for(role))
    assert r.json()["capacityOverride"] is None


# --- a signal's owner: chosen by staff only ----------------------------------------------


async def test_only_staff_choose_a_signals_owner(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    staff = await build.user(Role.coordinator)
    url = f"{API}/signals/{w.a.signal.id}"
    owner = {"ownerUserId": str(staff.id)}
    partner = build.headers_for(Role.partner, w.a.partner)
    r = await client.patch(url, json=owner, headers=partner)
    assert r.status_code == 403, r.text
    assert "ownerUserId" in problem(r)["detail"]
    r = await client.patch(url, json=owner, headers=build.headers_for(Role.coordinator))
    assert r.status_code == 200 and r.json()["ownerUserId"] == str(staff.id)
    r = await client.patch(url, json={"ownerUserId": None}, headers=partner)
    assert r.status_code == 403  # nor takes it away


# --- only finance moves claims -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.admin, Role.coordinator, Role.viewer, Role.partner])
async def test_only_finance_moves_claims(
    role: Role, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    draft = await authz.claim(client, build, w, "draft")
    h = build.headers_for(role, w.a.partner if role is Role.partner else None)
    for move in ("_submit", "_approve", "_reject", "_reopen", "_pay"):
        r = await client.post(f"{API}/reimbursement-claims/{draft}/{move}", json={}, headers=h)
        assert r.status_code == 403, (move, r.text)
    # Nor by PATCHing the status.
    r = await client.patch(
        f"{API}/reimbursement-claims/{draft}", json={"status": "paid"}, headers=h
    )
    assert r.status_code in (400, 403), r.text
    r = await client.get(
        f"{API}/reimbursement-claims/{draft}", headers=authz.finance_headers(build)
    )
    assert r.json()["status"] == "draft"


async def test_finance_cannot_patch_a_claims_status(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    draft = await authz.claim(client, build, w, "draft")
    h = authz.finance_headers(build)
    r = await client.patch(
        f"{API}/reimbursement-claims/{draft}", json={"status": "paid"}, headers=h
    )
    assert r.status_code == 400, r.text
    assert "status" in {e["name"] for e in problem(r)["errors"]}


# --- another partner's object named in a body: as if it did not exist ----------------------


async def test_other_partners_references_answer_like_missing_ones(
    client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    """A partner naming B's activity or location in a body gets the very answer a made-up
    id gets, so the body cannot probe for another partner's objects either."""
    w = await authz.world(db, build)
    h = build.headers_for(Role.partner, w.a.partner)

    def enrollment(activity: Any) -> dict[str, Any]:
        return {"activityId": str(activity), "participantId": str(w.a.participant.id)}

    def signal(location: Any) -> dict[str, Any]:
        return {
            "reportedAt": "2024-03-02T10:00:00Z",
            "source": "staff",
            "category": "nuisance",
            "severity": "low",
            "locationId": str(location),
            "summary": "Afval naast de containers.",
        }

    for path, make, theirs in (
        ("/enrollments", enrollment, w.b.activity.id),
        ("/signals", signal, w.b.location.id),
    ):
        made_up = uuid.uuid4()
        other = await client.post(f"{API}{path}", json=make(theirs), headers=h)
        missing = await client.post(f"{API}{path}", json=make(made_up), headers=h)
        assert other.status_code == missing.status_code == 400, other.text
        assert problem(other)["errors"] == problem(missing)["errors"]
        assert str(theirs) not in other.text


# ---------------------------------------------------------------------------------------
# Write scope: a partner's writes stay in its own world (issue 14)
# ---------------------------------------------------------------------------------------
# One row per attack found against a running copy, as partner A's API client unless the
# row says otherwise: the answer, the fields it names, and that nothing was written.
# Partner events run atomic (409 carrying the results) and with ?atomic=false (200, the
# event rejected). A row's ``prepare`` sets up the facts the attack needs (a reference
# of A's to a person, a Nidos) and returns the request; what is written is counted after
# it.


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    json: Any = None
    params: dict[str, str] | None = None
    headers: dict[str, str] | None = None  # partner A's client when None


Prepare = Callable[[httpx.AsyncClient, Builder, Database, World], Any]  # async -> Request


@dataclass(frozen=True)
class ScopeRow:
    id: str
    prepare: Prepare
    expect: int
    names: frozenset[str] = frozenset()  # the fields the refusal names


def _event(kind: str, ref: str, **extra: Any) -> dict[str, Any]:
    person = extra.pop("participant", {})
    event: dict[str, Any] = {
        "eventId": f"ev-{uuid.uuid4().hex[:8]}",
        "type": kind,
        "occurredOn": "2024-03-01",
        "participant": {"externalRef": ref, **person},
        **extra,
    }
    if kind == "intake":
        event["participant"] = {
            "givenName": "Amina",
            "familyName": "Testdottir",
            "group": "asylum_seeker",
            **event["participant"],
        }
    return event


MINOR = {"group": "unaccompanied_minor", "dateOfBirth": "2010-06-01"}


async def _ref(db: Database, w: World, person: Participant, ref: str) -> None:
    """Partner A holds its own reference to ``person`` (as after an earlier intake)."""
    async with db.sessionmaker() as session, session.begin():
        session.add(
            ExternalRef(partner_id=w.a.partner.id, external_ref=ref, participant_id=person.id)
        )


async def _nidos(db: Database) -> Partner:
    async with db.sessionmaker() as session, session.begin():
        nidos = Partner(
            id=uuid.uuid4(), name=f"Nidos {uuid.uuid4().hex[:6]}", kind=PartnerKind.nidos
        )
        session.add(nidos)
    return nidos


Events = Callable[[Database, World], Any]  # async -> the batch's events


async def _intake_at_b(db: Database, w: World) -> list[Any]:
    return [_event("intake", "I-B", locationId=oid(w.b.location))]


async def _transfer_to_b(db: Database, w: World) -> list[Any]:
    await _ref(db, w, w.a.participant, "T-A")
    return [_event("transfer", "T-A", occurredOn="2024-04-01", locationId=oid(w.b.location))]


async def _departure_at_b(db: Database, w: World) -> list[Any]:
    await _ref(db, w, w.b.participant, "D-B")
    return [_event("departure", "D-B", occurredOn="2024-04-01", endReason="left")]


async def _update_of_b(db: Database, w: World) -> list[Any]:
    await _ref(db, w, w.b.participant, "U-B")
    return [_event("update", "U-B", participant={"givenName": "Changed"})]


async def _self_guardian(db: Database, w: World) -> list[Any]:
    minor = {**MINOR, "guardianPartnerId": oid(w.a.partner)}
    return [_event("intake", "G-A", locationId=oid(w.a.location), participant=minor)]


async def _self_guardian_at_b(db: Database, w: World) -> list[Any]:
    minor = {**MINOR, "guardianPartnerId": oid(w.a.partner)}
    return [_event("intake", "G-B", locationId=oid(w.b.location), participant=minor)]


async def _guardian_of_an_adult(db: Database, w: World) -> list[Any]:
    adult = {"guardianPartnerId": oid(await _nidos(db))}
    return [_event("intake", "G-ADULT", locationId=oid(w.a.location), participant=adult)]


async def _guardian_changed(db: Database, w: World) -> list[Any]:
    await _ref(db, w, w.a.participant, "C-A")
    return [_event("update", "C-A", participant={"guardianPartnerId": oid(w.a.partner)})]


async def _guarding_nidos_places(db: Database, w: World) -> list[Any]:
    """Nidos (partner A made a guardianship organisation) places a ward of its own at a
    location it does not operate."""
    async with db.sessionmaker() as session, session.begin():
        a = await session.get(Partner, w.a.partner.id)
        assert a is not None
        a.kind = PartnerKind.nidos
    minor = {**MINOR, "guardianPartnerId": oid(w.a.partner)}
    return [_event("intake", "N-B", locationId=oid(w.b.location), participant=minor)]


def _event_rows(name: str, events: Events, names: set[str]) -> list[ScopeRow]:
    def prepare(atomic: bool) -> Prepare:
        async def run(client: httpx.AsyncClient, build: Builder, db: Database, w: World) -> Any:
            return Request(
                "POST",
                "/partner-events",
                json={"events": await events(db, w)},
                params=None if atomic else {"atomic": "false"},
            )

        return run

    return [
        ScopeRow(f"partner-events: {name}", prepare(True), 409, frozenset(names)),
        ScopeRow(f"partner-events: {name} (atomic=false)", prepare(False), 200, frozenset(names)),
    ]


async def _enroll_unseen(client: httpx.AsyncClient, build: Builder, db: Database, w: World) -> Any:
    body = {"activityId": oid(w.a.spare_activity), "participantId": oid(w.b.participant)}
    return Request("POST", "/enrollments", json=body)


def _webhook(url: str) -> Prepare:
    async def run(client: httpx.AsyncClient, build: Builder, db: Database, w: World) -> Any:
        return Request("POST", "/webhooks", json={"url": url})

    return run


async def _replay_after_demotion(
    client: httpx.AsyncClient, build: Builder, db: Database, w: World
) -> Any:
    """A coordinator's BSN search with a key; demoted to viewer, signed in again, the
    same key: refused, without the BSN."""
    password = "a long matrix password 2026"
    user = await build.user(Role.coordinator, password=password)

    async def sign_in() -> dict[str, str]:
        r = await client.post(
            f"{API}/auth/token",
            data={"grant_type": "password", "username": user.email, "password": password},
        )
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    key = {"Idempotency-Key": f"matrix-{uuid.uuid4().hex}"}
    body = {"bsn": w.a.bsn}
    first = await client.post(
        f"{API}/participants/_search", json=body, headers={**await sign_in(), **key}
    )
    assert first.status_code == 200 and w.a.bsn in first.text, first.text
    r = await client.patch(
        f"{API}/users/{user.id}", json={"role": "viewer"}, headers=build.headers_for(Role.admin)
    )
    assert r.status_code == 200, r.text
    return Request("POST", "/participants/_search", json=body, headers={**await sign_in(), **key})


SCOPE_ROWS: list[ScopeRow] = [
    *_event_rows("intake at a location it does not operate", _intake_at_b, {"locationId"}),
    *_event_rows("transfer to a location it does not operate", _transfer_to_b, {"locationId"}),
    *_event_rows(
        "departure from a stay at another partner's location",
        _departure_at_b,
        {"participant.externalRef"},
    ),
    *_event_rows("update of a person outside its world", _update_of_b, {"participant.externalRef"}),
    *_event_rows(
        "intake naming itself guardian", _self_guardian, {"participant.guardianPartnerId"}
    ),
    *_event_rows(
        "intake naming itself guardian at another's location",
        _self_guardian_at_b,
        {"locationId", "participant.guardianPartnerId"},
    ),
    *_event_rows(
        "a guardian placing its ward at another's location",
        _guarding_nidos_places,
        {"locationId"},
    ),
    *_event_rows(
        "intake naming a guardian for an adult",
        _guardian_of_an_adult,
        {"participant.guardianPartnerId"},
    ),
    *_event_rows(
        "update changing a guardian", _guardian_changed, {"participant.guardianPartnerId"}
    ),
    ScopeRow(
        "enrollments: a person it may not see", _enroll_unseen, 400, frozenset({"participantId"})
    ),
    ScopeRow("idempotent replay after a role change", _replay_after_demotion, 422),
    *(
        ScopeRow(f"webhooks: to {url}", _webhook(url), 400, frozenset({"url"}))
        for url in (
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/",
            "https://[::ffff:10.0.0.1]:5432/",
            "https://[fd00::1]/",
            "https://kubernetes.default.svc/",
        )
    ),
]


async def _written(db: Database) -> tuple[Any, ...]:
    """What an attack could have changed: rows counted, names and stay ends."""
    found: list[Any] = []
    async with db.sessionmaker() as session:
        for model in (Participant, Placement, ExternalRef, Enrollment, WebhookSubscription):
            found.append(await session.scalar(select(func.count()).select_from(model)))
        found.append(
            sorted(map(str, (await session.scalars(select(Participant.given_name))).all()))
        )
        found.append(sorted(map(str, (await session.scalars(select(Placement.end_date))).all())))
        guardians = select(Participant.id, Participant.guardian_partner_id, Participant.group)
        found.append(sorted(map(str, (await session.execute(guardians)).all())))
    return tuple(found)


@pytest.mark.parametrize("row", SCOPE_ROWS, ids=[row.id for row in SCOPE_ROWS])
async def test_write_scope(
    row: ScopeRow, client: httpx.AsyncClient, build: Builder, db: Database
) -> None:
    w = await authz.world(db, build)
    request: Request = await row.prepare(client, build, db, w)
    before = await _written(db)
    headers = request.headers or build.client_headers(w.a.client)
    r = await client.request(
        request.method,
        API + request.path,
        json=request.json,
        params=request.params,
        headers=headers,
    )
    assert r.status_code == row.expect, r.text
    assert await _written(db) == before
    body = problem(r) if r.status_code >= 400 else r.json()
    if request.path == "/partner-events":
        [result] = body["results"]
        assert result["status"] == "rejected", body
        named = {p["name"].removeprefix("events[0].") for p in result["problems"]}
    else:
        named = {e["name"] for e in body.get("errors", [])}
    assert named == set(row.names), body
    for side in (w.a, w.b):
        assert side.bsn not in r.text
