"""The world of the authorization matrix: two partners, each with its own location,
people, activity, enrollment, signal, API client and webhook, plus the finance objects,
and the principals that act on it.

Partner A's objects are "own" for the partner principal (a user or API client of A);
partner B's are "other". Staff principals act on A's objects.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.passwords import hash_secret
from api.config import Settings
from api.db import Database
from api.models import Activity as ActivityRow
from api.models import (
    ActivityKind,
    ApiClient,
    Basis,
    CapacityChange,
    DecisionBody,
    DecisionCondition,
    Direction,
    EnrollmentStatus,
    Expense,
    ExpenseCategory,
    Goal,
    GoalTheme,
    Group,
    Indicator,
    IndicatorUnit,
    Location,
    LocationDecision,
    LocationKind,
    Participant,
    Partner,
    PartnerKind,
    Placement,
    ReimbursementRate,
    ReimbursementScheme,
    Role,
    Scenario,
    Severity,
    Signal,
    SignalCategory,
    SignalSource,
    SignalStatus,
    User,
    WebhookSubscription,
)
from api.models import Enrollment as EnrollmentRow
from tests.support import privacy
from tests.support.builders import Builder

ANONYMOUS = "anonymous"
PARTNER_OWN = "partner-own"
PARTNER_OTHER = "partner-other"
PRINCIPALS = (
    ANONYMOUS,
    "admin",
    "coordinator",
    "finance",
    "viewer",
    PARTNER_OWN,
    PARTNER_OTHER,
)


def valid_bsn() -> str:
    """A random nine-digit number that passes the 11-test."""
    while True:
        digits = [random.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


@dataclass
class Side:
    """One partner and everything that belongs to it."""

    partner: Partner
    location: Location  # capacity 10 from 2024-01-01, one stay (participant)
    spare_location: Location  # no stays: can be deleted
    change: CapacityChange  # 12 places from 2024-06-01: can be deleted
    participant: Participant  # placed at location from 2024-02-01, enrolled in activity
    newcomer: Participant  # guarded by the partner, placed nowhere
    placement: Placement
    activity: ActivityRow  # provided by the partner, at its location
    spare_activity: ActivityRow  # no enrollments: can be deleted, or enrolled in
    enrollment: EnrollmentRow
    signal: Signal
    client: ApiClient
    webhook: WebhookSubscription
    bsn: str
    v_number: str
    # Issue 18: a decision about `location`, with one open condition.
    decision: LocationDecision | None = None
    condition: DecisionCondition | None = None


@dataclass
class World:
    a: Side
    b: Side
    spare_partner: Partner  # nothing refers to it: can be deleted
    spare_client: ApiClient  # can be revoked
    user: User
    scheme: ReimbursementScheme  # one rate, 2024
    expense: Expense
    claims: dict[str, uuid.UUID]  # status -> claim id, made on demand
    goal: Goal | None = None  # with one indicator (issue 17, goals)
    indicator: Indicator | None = None
    scenario: Scenario | None = None  # a forecast scenario without changes

    def side(self, principal: str) -> Side:
        return self.b if principal == PARTNER_OTHER else self.a

    @property
    def bsns(self) -> tuple[str, str]:
        return (self.a.bsn, self.b.bsn)


async def _side(session: AsyncSession, settings: Settings, name: str) -> Side:
    """Partner ``name``'s objects, added to ``session`` (ids are set on the objects here,
    one flush per rank of foreign keys)."""
    tag = uuid.uuid4().hex[:6]
    partner = Partner(id=uuid.uuid4(), name=f"COA {name} {tag}", kind=PartnerKind.coa)

    def location(label: str, kind: LocationKind) -> Location:
        return Location(
            id=uuid.uuid4(),
            name=f"L{name}{label} {tag}",
            address="Kerklaan 1, Heemstede",
            postcode="2101 HN",
            kind=kind,
            operator_partner_id=partner.id,
            opened_on=date(2024, 1, 1),
        )

    loc = location("", LocationKind.emergency)
    spare = location("-spare", LocationKind.municipal_ukrainian)
    bsn, v_number = valid_bsn(), f"V{uuid.uuid4().hex[:10].upper()}"

    def person(**extra: Any) -> Participant:
        return Participant(
            id=uuid.uuid4(),
            reference=f"HS-{uuid.uuid4().hex[:8]}",
            group=Group.ukrainian_displaced,
            date_of_birth=date(1990, 5, 17),
            given_name="Olena",
            family_name="Testenko",
            nationality="UKR",
            languages=["uk"],
            **extra,
        )

    placed = person(bsn=bsn, v_number=v_number)
    newcomer = person(guardian_partner_id=partner.id)
    privacy.register(bsn, v_number, "Olena", "Testenko", date(1990, 5, 17))

    def activity(venue: Location | None) -> ActivityRow:
        return ActivityRow(
            id=uuid.uuid4(),
            title=f"NT2-les {uuid.uuid4().hex[:8]}",
            kind=ActivityKind.language,
            provider_partner_id=partner.id,
            location_id=venue.id if venue else None,
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
            schedule="dinsdag 10:00-12:00",
            target_groups=[],
        )

    act, spare_act = activity(loc), activity(None)
    client = ApiClient(
        id=uuid.uuid4(),
        client_id=f"opv_{uuid.uuid4().hex[:12]}",
        secret_hash=hash_secret(settings, "s3cret-client"),
        name="Test client",
        partner_id=partner.id,
    )
    side = Side(
        partner=partner,
        location=loc,
        spare_location=spare,
        change=CapacityChange(
            id=uuid.uuid4(), location_id=loc.id, valid_from=date(2024, 6, 1), capacity=12
        ),
        participant=placed,
        newcomer=newcomer,
        placement=Placement(
            id=uuid.uuid4(),
            participant_id=placed.id,
            location_id=loc.id,
            start_date=date(2024, 2, 1),
        ),
        activity=act,
        spare_activity=spare_act,
        enrollment=EnrollmentRow(
            id=uuid.uuid4(),
            activity_id=act.id,
            participant_id=placed.id,
            enrolled_on=date(2024, 2, 1),
            status=EnrollmentStatus.enrolled,
        ),
        signal=Signal(
            id=uuid.uuid4(),
            reported_at=datetime(2024, 3, 1, 9, 30, tzinfo=UTC),
            source=SignalSource.resident,
            category=SignalCategory.nuisance,
            severity=Severity.medium,
            location_id=loc.id,
            summary="Geluidsoverlast in de avond bij de ingang.",
            status=SignalStatus.open,
        ),
        client=client,
        webhook=WebhookSubscription(
            id=uuid.uuid4(),
            client_id=client.id,
            url="http://127.0.0.1:9/hook",
            entities=None,
            active=True,
        ),
        bsn=bsn,
        v_number=v_number,
    )
    # In the order of their foreign keys: one flush per rank.
    ranks: list[list[Any]] = [
        [partner],
        [loc, spare, placed, newcomer, client],
        [
            CapacityChange(location_id=loc.id, valid_from=date(2024, 1, 1), capacity=10),
            CapacityChange(location_id=spare.id, valid_from=date(2024, 1, 1), capacity=5),
            side.change,
            side.placement,
            act,
            spare_act,
            side.signal,
            side.webhook,
        ],
        [side.enrollment],
    ]
    for rank in ranks:
        session.add_all(rank)
        await session.flush()
    return side


async def _decisions(session: AsyncSession, *sides: Side) -> None:
    """Issue 18: each side's location has a decision with one open condition."""
    for side in sides:
        side.decision = LocationDecision(
            id=uuid.uuid4(),
            location_id=side.location.id,
            decided_on=date(2024, 1, 10),
            body=DecisionBody.college,
            reference=f"B&W {uuid.uuid4().hex[:6]}",
            summary="Opvang met voorwaarden.",
        )
        side.condition = DecisionCondition(
            id=uuid.uuid4(),
            decision_id=side.decision.id,
            description="Weinig overlast.",
            evaluate_on=date(2024, 7, 1),
        )
        session.add(side.decision)
        await session.flush()
        session.add(side.condition)
    await session.flush()


async def world(db: Database, build: Builder) -> World:
    """Written in one transaction: the matrix builds it for every row."""
    async with db.sessionmaker() as session, session.begin():
        a = await _side(session, build.settings, "A")
        b = await _side(session, build.settings, "B")
        await _decisions(session, a, b)
        spare_partner = Partner(name=f"Welzijn {uuid.uuid4().hex[:6]}", kind=PartnerKind.welfare)
        session.add(spare_partner)
        await session.flush()
        spare_client = ApiClient(
            client_id=f"opv_{uuid.uuid4().hex[:12]}",
            secret_hash=hash_secret(build.settings, "s3cret-client"),
            name="Spare client",
            partner_id=a.partner.id,
        )
        user = User(
            email=f"viewer-{uuid.uuid4().hex[:8]}@heemstede.example",
            password_hash=hash_secret(build.settings, "correct horse battery"),
            role=Role.viewer,
        )
        scheme = ReimbursementScheme(
            code=f"T-{uuid.uuid4().hex[:8].upper()}",
            name="Testregeling",
            basis=Basis.per_person_day,
            location_kinds=[LocationKind.emergency.value],
            groups=None,
            description=None,
        )
        session.add_all([spare_client, user, scheme])
        await session.flush()
        session.add(
            ReimbursementRate(
                scheme_id=scheme.id,
                valid_from=date(2024, 1, 1),
                valid_to=date(2024, 12, 31),
                amount=Decimal("10.00"),
                source="test",
            )
        )
        expense = Expense(
            spent_on=date(2024, 3, 1),
            category=ExpenseCategory.staff,
            amount=Decimal("100.00"),
            description="Coördinatie maart",
            location_id=a.location.id,
        )
        session.add(expense)
        goal = Goal(title=f"Doel {uuid.uuid4().hex[:8]}", theme=GoalTheme.language, public=True)
        session.add(goal)
        await session.flush()
        indicator = Indicator(
            goal_id=goal.id,
            title="Op B1",
            metric="dutch_b1_share",
            params={},
            unit=IndicatorUnit.share,
            direction=Direction.higher_better,
            public=True,
        )
        session.add(indicator)
        scenario = Scenario(name=f"Scenario {uuid.uuid4().hex[:6]}")
        session.add(scenario)
    return World(
        a, b, spare_partner, spare_client, user, scheme, expense, {}, goal, indicator, scenario
    )


def headers(build: Builder, w: World, principal: str, *, as_client: bool = False) -> dict[str, str]:
    """The bearer token of ``principal``; both partner principals are partner A (a user, or
    A's API client when ``as_client``)."""
    if principal == ANONYMOUS:
        return {}
    if principal in (PARTNER_OWN, PARTNER_OTHER):
        if as_client:
            return build.client_headers(w.a.client)
        return build.headers_for(Role.partner, w.a.partner)
    return build.headers_for(Role(principal))


def finance_headers(build: Builder) -> dict[str, str]:
    return build.headers_for(Role.finance)


CLAIM_PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    # status -> the moves (after creation as a draft) that bring a claim there
    "draft": [],
    "submitted": [("_submit", {})],
    "approved": [("_submit", {}), ("_approve", {})],
    "rejected": [("_submit", {}), ("_reject", {})],
}

# Each claim of the world has its own month of 2024, so none overlaps another.
CLAIM_MONTHS = {"draft": 5, "submitted": 6, "approved": 7, "rejected": 8}


async def claim(client: Any, build: Builder, w: World, status: str) -> uuid.UUID:
    """A claim of the world's scheme in ``status``, made through the API as finance."""
    if status in w.claims:
        return w.claims[status]
    h = finance_headers(build)
    month = CLAIM_MONTHS[status]
    body = {
        "schemeCode": w.scheme.code,
        "periodStart": f"2024-{month:02d}-01",
        "periodEnd": f"2024-{month:02d}-28",
    }
    r = await client.post("/api/v1/reimbursement-claims", json=body, headers=h)
    assert r.status_code == 201, r.text
    claim_id = uuid.UUID(r.json()["id"])
    for move, payload in CLAIM_PATHS[status]:
        r = await client.post(
            f"/api/v1/reimbursement-claims/{claim_id}/{move}", json=payload, headers=h
        )
        assert r.status_code == 200, r.text
    w.claims[status] = claim_id
    return claim_id
