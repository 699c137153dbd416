"""Demo goals: the programme's goals from the council decision (Sociaal programma opvang
vluchtelingen Heemstede: language, work, volunteering, sport, education, health,
draagvlak and budget neutrality), each with one to three indicators and targets for
2025-2027. The targets are invented for the demo (the decision sets none in numbers),
set near what the demo's history gives so that the story is mixed, as a real one is:

- on track: volunteering, occupancy of the GOO locations (near full), language courses
  since the spring;
- close: the share at B1 or higher (5-7 %, around its target), work (just under 8 % most
  of 2026), attendance at language class (just under 80 %), the cost per place per day
  (about € 28-30 in 2026, well under the BooO's € 44, but above its target since the new
  homes) and per participant (over € 2,300 in the last quarter);
- behind: sport and education participation, health activities (nobody takes part yet),
  and signals resolved within 14 days (the open and overdue signals of the autumn).

The public ones show on /publiek."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.goals.metrics import CATALOGUE
from api.models import Goal, GoalTheme, Indicator, IndicatorTarget

# (title, theme, public, description, [(title, metric, params, public, (2025, 2026, 2027))])
GOALS: list[
    tuple[
        str, GoalTheme, bool, str, list[tuple[str, str, dict[str, Any], bool, tuple[str, str, str]]]
    ]
] = [
    (
        "Nederlands leren",
        GoalTheme.language,
        True,
        "Deelnemers leren de taal: wie Nederlands spreekt, doet sneller mee.",
        [
            (
                "Deelnemers met taalniveau B1 of hoger",
                "dutch_b1_share",
                {},
                True,
                ("0.05", "0.06", "0.08"),
            ),
            (
                "Deelnemers op een taalcursus",
                "participation_rate",
                {"activityKind": "language"},
                True,
                ("0.20", "0.25", "0.30"),
            ),
            (
                "Aanwezigheid bij taalles",
                "attendance_rate",
                {"activityKind": "language"},
                False,
                ("0.75", "0.80", "0.80"),
            ),
        ],
    ),
    (
        "Aan het werk",
        GoalTheme.work,
        True,
        "Deelnemers vinden betaald werk, deeltijd of voltijd.",
        [("Deelnemers met werk", "working_share", {}, True, ("0.05", "0.08", "0.12"))],
    ),
    (
        "Vrijwilligerswerk",
        GoalTheme.volunteering,
        True,
        "Deelnemers zetten zich als vrijwilliger in voor Heemstede.",
        [
            (
                "Deelnemers die vrijwilligerswerk doen",
                "volunteering_share",
                {},
                True,
                ("0.10", "0.12", "0.15"),
            )
        ],
    ),
    (
        "Sport en bewegen",
        GoalTheme.sport,
        True,
        "Deelnemers sporten bij Heemsteedse clubs.",
        [
            (
                "Deelnemers die sporten",
                "participation_rate",
                {"activityKind": "sport"},
                True,
                ("0.05", "0.10", "0.15"),
            ),
            (
                "Aanwezigheid bij sport",
                "attendance_rate",
                {"activityKind": "sport"},
                False,
                ("0.70", "0.75", "0.75"),
            ),
        ],
    ),
    (
        "Onderwijs",
        GoalTheme.education,
        False,
        "Kinderen en jongeren gaan naar school of volgen een opleiding.",
        [
            (
                "Deelnemers in onderwijs",
                "participation_rate",
                {"activityKind": "education"},
                False,
                ("0.05", "0.08", "0.10"),
            )
        ],
    ),
    (
        "Gezondheid",
        GoalTheme.health,
        False,
        "Deelnemers weten de weg naar zorg en doen mee aan gezondheidsactiviteiten.",
        [
            (
                "Deelnemers bij gezondheidsactiviteiten",
                "participation_rate",
                {"activityKind": "health"},
                False,
                ("0.05", "0.08", "0.10"),
            )
        ],
    ),
    (
        "Draagvlak in de buurt",
        GoalTheme.support,
        True,
        "Signalen van omwonenden worden snel opgepakt (Motie Draagvlak, 13 juli 2023).",
        [
            (
                "Signalen binnen 14 dagen opgelost",
                "signals_resolved_within",
                {"days": 14},
                True,
                ("0.70", "0.80", "0.85"),
            ),
            (
                "Overlast binnen 7 dagen opgelost",
                "signals_resolved_within",
                {"days": 7, "signalCategory": "nuisance"},
                False,
                ("0.60", "0.70", "0.75"),
            ),
        ],
    ),
    (
        "Budgetneutraal en kostenbewust",
        GoalTheme.finance,
        True,
        "De kosten worden gedekt door de vergoedingen van het Rijk; plekken worden goed benut.",
        [
            (
                "Bezetting gemeentelijke opvang Oekraïners",
                "occupancy_rate",
                {"locationKind": "municipal_ukrainian"},
                True,
                ("0.90", "0.95", "0.95"),
            ),
            (
                "Kosten per opvangplek per dag",
                "cost_per_place_day",
                {},
                True,
                ("26.00", "29.00", "28.00"),
            ),
            (
                "Kosten per deelnemer per kwartaal",
                "cost_per_participant",
                {},
                False,
                ("2100.00", "2300.00", "2300.00"),
            ),
        ],
    ),
]


async def seed_goals(session: AsyncSession) -> list[str]:
    """Idempotent: nothing is added when the first goal exists."""
    if await session.scalar(select(Goal.id).where(Goal.title == GOALS[0][0])) is not None:
        return []
    indicators = 0
    for title, theme, public, description, rows in GOALS:
        goal = Goal(title=title, theme=theme, public=public, description=description)
        session.add(goal)
        await session.flush()
        for position, (name, metric, params, shown, targets) in enumerate(rows):
            m = CATALOGUE[metric]
            indicator = Indicator(
                goal_id=goal.id,
                title=name,
                metric=metric,
                params=params,
                unit=m.unit,
                direction=m.direction,
                public=shown,
                position=position,
            )
            session.add(indicator)
            await session.flush()
            session.add_all(
                IndicatorTarget(indicator_id=indicator.id, year=year, value=Decimal(value))
                for year, value in zip((2025, 2026, 2027), targets, strict=True)
            )
            indicators += 1
    await session.flush()
    return [f"demo goals: {len(GOALS)} goals, {indicators} indicators with targets 2025-2027"]
