"""Each metric against the hand-computed small world (tests/goals/world.py); the as-of
test; the statement count; and the public page's suppression."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import Database
from api.goals import quarters
from api.goals.schemas import IndicatorSeries
from api.goals.series import indicator_series
from api.models import ActivityKind, EnrollmentStatus, ExpenseCategory, LocationKind
from tests.goals import world
from tests.goals.world import EXPECTED_Q1, utc
from tests.support import budget, programme, records
from tests.support.builders import Builder
from tests.support.overview_data import count_statements

Q1, Q2 = (2026, 1), (2026, 2)


async def _series(db: Database, **kw: object) -> list[IndicatorSeries]:
    async with db.sessionmaker() as session:
        return await indicator_series(session, first=Q1, last=Q2, **kw)  # type: ignore[arg-type]


async def test_each_metric_against_the_hand_computed_world(db: Database, build: Builder) -> None:
    await world.build(db, await build.partner())
    await world.indicators(db, [(m, p) for m, p, *_ in EXPECTED_Q1])
    series = await _series(db)
    assert len(series) == len(EXPECTED_Q1)
    for item, (metric, params, value, numerator, denominator) in zip(
        series, EXPECTED_Q1, strict=True
    ):
        q1 = item.points[0]
        assert (item.metric, item.params) == (metric, params)
        assert (q1.year, q1.quarter, q1.period_start, q1.period_end) == (
            2026, 1, date(2026, 1, 1), date(2026, 3, 31)
        )  # fmt: skip
        assert (q1.value, q1.numerator, q1.denominator) == (value, numerator, denominator), metric
        assert not q1.suppressed
    by_title = {s.title: s for s in series}
    # The first has a 2026 target of 0.50, higher is better: 0.6000 in Q1 is on track.
    first = by_title["00 dutch_b1_share"]
    assert (first.points[0].target, first.points[0].on_track) == ("0.5000", True)
    assert first.points[1].value == "0.6000"  # Q2: the same five, the same three
    # Q2 by hand: occupancy 455/2184 = 0.2083; cost per place-day 50.00/2184 = 0.02.
    assert by_title["09 occupancy_rate"].points[1].value == "0.2083"
    assert by_title["15 cost_per_place_day"].points[1].value == "0.02"
    # No target for the others: on track is unknown.
    assert by_title["02 working_share"].points[0].on_track is None


async def test_a_past_quarter_does_not_change_when_later_records_come(
    db: Database, build: Builder
) -> None:
    """THE AS-OF TEST: facts dated after Q1 leave Q1 alone and change Q2."""
    w = await world.build(db, await build.partner())
    rows: list[tuple[str, dict[str, Any]]] = [
        ("dutch_b1_share", {}),
        ("participation_rate", {"activityKind": "language"}),
        ("signals_resolved_within", {"days": 7}),
        ("occupancy_rate", {}),
        ("cost_per_place_day", {}),
        ("cost_per_participant", {}),
    ]
    await world.indicators(db, rows)
    before = await _series(db)
    # A later progress change: P3 reaches B1 on 2026-04-10.
    await world.progress(db, w.people["P3"], world.LEVEL, "B1", date(2026, 4, 10))
    # A later enrollment: P5 in a language course from 2026-04-05.
    lang = await programme.activity(db, w.partner, kind=ActivityKind.language, ends_on=None)
    await programme.enrollment(
        db, lang, w.people["P5"], on=date(2026, 4, 5), status=EnrollmentStatus.active
    )
    # A later signal, resolved the next day.
    await world.signal(db, utc(2026, 4, 3, 9), utc(2026, 4, 4, 9))
    # A later placement, a later capacity change (an extra location) and a later expense.
    p7 = await records.participant(db)
    await records.placement(db, p7, w.goo, start=date(2026, 4, 1))
    await records.location(
        db, w.partner, kind=LocationKind.emergency, opened_on=date(2026, 5, 1), capacity=6
    )
    await budget.expense(db, on=date(2026, 5, 5), amount="100.00", category=ExpenseCategory.other)
    after = await _series(db)
    for old, new in zip(before, after, strict=True):
        assert old.points[0] == new.points[0], old.metric  # Q1 unchanged
        assert old.points[1] != new.points[1], old.metric  # Q2 changed
    # Q2 by hand after: present P1 P3 P4 P5 P6 P7 = 6, B1+ P1 P3 P5 P6 = 4 -> 0.6667;
    # language open: P1 P4 P5 = 3/6 = 0.5000; the one Q2 signal within 7 days: 1/1.
    b1, lang_rate, signals = after[0].points[1], after[1].points[1], after[2].points[1]
    assert (b1.value, b1.numerator, b1.denominator) == ("0.6667", "4", 6)
    assert (lang_rate.value, lang_rate.denominator) == ("0.5000", 6)
    assert (signals.value, signals.denominator) == ("1.0000", 1)


async def test_the_number_of_statements_does_not_grow_with_the_data(
    db: Database, build: Builder, engine: AsyncEngine
) -> None:
    partner = await build.partner()
    w = await world.build(db, partner)
    await world.indicators(db, [(m, p) for m, p, *_ in EXPECTED_Q1])
    with count_statements(engine) as small:
        await _series(db)
    # Ten times the people, stays, history, enrollments, signals and expenses.
    lang = await programme.activity(db, partner, kind=ActivityKind.language, ends_on=None)
    for i in range(60):
        person = await records.participant(db)
        await records.placement(db, person, w.goo, start=date(2026, 1, 1 + i % 28))
        await world.progress(db, person, world.LEVEL, "B1", date(2026, 2, 1))
        await programme.enrollment(db, lang, person, on=date(2026, 2, 1))
        await world.signal(db, utc(2026, 2, 1 + i % 28, 9), None)
        await budget.expense(db, on=date(2026, 2, 1 + i % 28), amount="1.00")
    with count_statements(engine) as large:
        series = await _series(db)
    assert series[0].points[0].denominator == 65
    assert len(small) == len(large)
    # The indicators, their targets, and one per distinct metric and parameters.
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2 + len(EXPECTED_Q1)


async def test_public_only_hides_small_denominators_and_private_indicators(
    db: Database, build: Builder
) -> None:
    await world.build(db, await build.partner())
    await world.indicators(
        db, [("dutch_b1_share", {}), ("dutch_b1_share", {"group": "unaccompanied_minor"})]
    )
    assert await _series(db, public_only=True) == []  # the goal is not public
    await world.indicators(
        db,
        [("dutch_b1_share", {}), ("dutch_b1_share", {"group": "unaccompanied_minor"})],
        public=True,
        title="Taal",
    )
    everyone, minors = await _series(db, public_only=True)
    # 3 of 5: shown, without the counts; 1 of 2: below 5, suppressed (the public rule).
    assert (everyone.points[0].value, everyone.points[0].numerator) == ("0.6000", None)
    assert everyone.points[0].denominator is None
    assert minors.points[0].value is None and minors.points[0].suppressed
    assert minors.points[0].on_track is None


async def test_the_current_quarter_is_measured_as_of_today_and_later_ones_not_at_all(
    db: Database, build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With today 2026-02-14 (in Q1): Q1 is measured as of that day, Q2 has no figures
    but its year's target. On 2026-02-14 present: P1 P3 P6 (P2 too: until 2026-03-20) = 4,
    B1 or higher: P1 (since 02-10) P2 (B2) P6 (C1) = 3 -> 0.7500."""
    monkeypatch.setattr(quarters, "today", lambda: date(2026, 2, 14))
    await world.build(db, await build.partner())
    await world.indicators(db, [("dutch_b1_share", {})])
    (series,) = await _series(db)
    q1, q2 = series.points
    assert (q1.as_of, q1.value, q1.numerator, q1.denominator) == (
        date(2026, 2, 14), "0.7500", "3", 4
    )  # fmt: skip
    assert (q2.as_of, q2.value, q2.denominator, q2.target) == (None, None, None, "0.5000")


async def test_money_metrics_measure_the_running_quarter_over_its_whole_months(
    db: Database, build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Costs are booked per month, often on the 1st for the month ahead: with today
    2026-03-10, Q1's cost per place-day covers January and February only. By hand:
    capacity-days Jan 31 x 10 (GOO) = 310, Feb 28 x 20 = 560 (AMV opens in March) -> 870;
    expenses Jan 15 staff 1000.00 + Feb 15 location 614.00 = 1614.00 (the 2026-03-31
    booking lies after today) -> 1614.00/870 = 1.8552 -> 1.86. Participants placed a
    night in Jan-Feb: P1 P2 P3 P6 = 4 -> 403.50. With today 2026-01-20 no month has
    ended: no figure yet, as for a quarter to come. Other metrics stay as of today."""
    monkeypatch.setattr(quarters, "today", lambda: date(2026, 3, 10))
    await world.build(db, await build.partner())
    await world.indicators(
        db, [("cost_per_place_day", {}), ("cost_per_participant", {}), ("occupancy_rate", {})]
    )
    per_day, per_person, occupancy = await _series(db)
    q1 = per_day.points[0]
    assert (q1.as_of, q1.value, q1.numerator, q1.denominator) == (
        date(2026, 2, 28), "1.86", "1614.00", 870
    )  # fmt: skip
    assert (per_person.points[0].value, per_person.points[0].denominator) == ("403.50", 4)
    assert occupancy.points[0].as_of == date(2026, 3, 10)

    monkeypatch.setattr(quarters, "today", lambda: date(2026, 1, 20))
    per_day, _, occupancy = await _series(db)
    assert (per_day.points[0].as_of, per_day.points[0].value) == (None, None)
    assert occupancy.points[0].as_of == date(2026, 1, 20)
