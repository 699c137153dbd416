"""The public money per quarter and the rule that no household's payment can be derived
from it (``api.public.disclosure``): the rule by hand, its invariants on random tables,
and the summary's quarters on a small world computed by hand."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import httpx

from api.common.calendar import today
from api.models import ExpenseCategory, LocationKind
from api.public.disclosure import Cell, disclose, over_quarters
from api.public.money import year_costs
from tests.support import budget, records
from tests.support.builders import Builder

URL = "/api/v1/public/summary"
D = Decimal


def test_living_allowance_and_small_cells_are_merged() -> None:
    # staff 5 bookings: shown; living allowance (always) and health (1 booking) merged:
    # 300.00 + 70.00 = 370.00 from 7 bookings; total 870.00.
    d = disclose(
        {
            "staff": Cell(5, D("500.00")),
            "living_allowance": Cell(6, D("300.00")),
            "health": Cell(1, D("70.00")),
        }
    )
    assert d.shown == {"staff": D("500.00")}
    assert d.merged == D("370.00") and d.merged_keys == {"living_allowance", "health"}
    assert d.total == D("870.00")


def test_a_small_merged_cell_takes_the_smallest_shown_one() -> None:
    # other (2 bookings) alone would be a cell of 2: activities (5, fewer than staff's 6)
    # joins it: merged 20.00 + 50.00 = 70.00 from 7 bookings.
    d = disclose(
        {
            "staff": Cell(6, D("600.00")),
            "activities": Cell(5, D("50.00")),
            "other": Cell(2, D("20.00")),
        }
    )
    assert d.shown == {"staff": D("600.00")} and d.merged == D("70.00")
    # Only two categories: both merged, nothing shown on its own.
    d = disclose({"staff": Cell(5, D("500.00")), "health": Cell(1, D("70.00"))})
    assert d.shown == {} and d.merged == D("570.00") and d.total == D("570.00")


def test_a_table_of_fewer_than_five_bookings_is_hidden_whole() -> None:
    d = disclose({"staff": Cell(3, D("3.00"))})
    assert d.shown == {} and d.merged is None and d.total is None
    assert disclose({}).total == D("0.00")  # nothing booked: zero, no one described


def test_a_year_shows_only_what_every_quarter_shows() -> None:
    q1 = {"staff": Cell(5, D("500.00"))}
    q2 = {"staff": Cell(2, D("20.00")), "activities": Cell(5, D("200.00"))}
    q3 = {"staff": Cell(3, D("3.00"))}
    allowed, total_shown = over_quarters([(q, disclose(q)) for q in (q1, q2)])
    assert allowed == set() and total_shown  # staff merged in Q2: not shown for the year
    allowed, total_shown = over_quarters([(q, disclose(q)) for q in (q1, q3)])
    assert not total_shown  # Q3 is hidden whole: the year minus Q1 would show it


def _sums_of_five_or_more(cells: dict[str, Cell], shown: set[str], merged: frozenset[str]) -> bool:
    bookings = [cells[k].bookings for k in shown] + [sum(cells[k].bookings for k in merged)]
    return all(n >= 5 for n in bookings if n)


def test_no_figure_stems_from_fewer_than_five_bookings_random_years() -> None:
    """Invariants on 500 random years: every figure shown (a cell, a merged cell, a total)
    stems from 5 bookings or more, living allowance is never shown, and the year adds
    nothing that the year minus the shown quarters would reveal: a category it shows is
    shown in every quarter in which it has bookings, and its total only when every
    quarter with bookings shows its own."""
    rng = random.Random(17)
    keys = [c.value for c in ExpenseCategory]
    for _ in range(500):
        cells: dict[tuple[int, str], Cell] = {}
        for q in range(1, 5):
            for k in rng.sample(keys, rng.randint(0, len(keys))):
                n = rng.choice([1, 2, 3, 4, 5, 6, 9, 20])
                cells[q, k] = Cell(n, D(rng.randint(1, 10_000)) / 100)
        costs = year_costs(cells, upto=4)
        for q, d in enumerate(costs.quarters, start=1):
            own = {k: c for (qq, k), c in cells.items() if qq == q}
            assert "living_allowance" not in d.shown
            assert _sums_of_five_or_more(own, set(d.shown), d.merged_keys)
            if d.total is not None and own:
                assert sum(c.bookings for c in own.values()) >= 5
        for k in costs.together.shown:
            for q, d in enumerate(costs.quarters, start=1):
                if (q, k) in cells:
                    assert k in d.shown
        if costs.together_total_shown:
            for q, d in enumerate(costs.quarters, start=1):
                if any(qq == q for qq, _k in cells):
                    assert d.total is not None


async def test_quarters_on_the_summary(client: httpx.AsyncClient, build: Builder) -> None:
    """Last year (all four quarters ended), one GOO location of 10 places from 1 January:
    Q1 has (y-1)-01-01..03-31 x 10 place-days (900 in 2025).
    Q1: staff 5 x 100.00, living allowance 6 x 50.00, health 1 x 70.00 -> staff 500.00
        shown, merged 370.00, total 870.00, per place-day 870.00 / 900 = 0.97 (2025).
    Q2: staff 2 x 10.00, activities 5 x 40.00 -> all merged: 220.00, nothing on its own.
    Q3: staff 3 x 1.00 -> hidden whole (3 bookings): no total, no cost per place-day.
    Q4: nothing booked: 0.00.
    The year: no category is shown in every quarter it has bookings in, and Q3 is hidden
    whole: no year total either. So far: the costs are unknown (Q3), so is neutrality."""
    this_year = today().year
    y = this_year - 1
    partner = await build.partner()
    await records.location(
        build.db,
        partner,
        kind=LocationKind.municipal_ukrainian,
        opened_on=date(y, 1, 1),
        capacity=10,
    )
    bookings = (
        [(date(y, 2, d), "100.00", ExpenseCategory.staff) for d in range(1, 6)]
        + [(date(y, 3, d), "50.00", ExpenseCategory.living_allowance) for d in range(1, 7)]
        + [(date(y, 3, 9), "70.00", ExpenseCategory.health)]
        + [(date(y, 5, d), "10.00", ExpenseCategory.staff) for d in range(1, 3)]
        + [(date(y, 6, d), "40.00", ExpenseCategory.activities) for d in range(1, 6)]
        + [(date(y, 8, d), "1.00", ExpenseCategory.staff) for d in range(1, 4)]
    )
    for on, amount, category in bookings:
        await budget.expense(build.db, on=on, amount=amount, category=category)
    body = (await client.get(URL)).json()
    last = next(m for m in body["money"] if m["year"] == y)
    q1, q2, q3, q4 = last["quarters"]
    q1_days = (date(y, 4, 1) - date(y, 1, 1)).days * 10
    assert q1["placeDays"] == q1_days
    assert (q1["costs"], q1["mergedCosts"], q1["costsTotal"]) == (
        [{"category": "staff", "amount": "500.00"}], "370.00", "870.00",
    )  # fmt: skip
    expected_per_day = (D("870.00") / q1_days).quantize(D("0.01"))
    assert q1["costPerPlaceDay"] == str(expected_per_day)
    assert (q2["costs"], q2["mergedCosts"], q2["costsTotal"]) == ([], "220.00", "220.00")
    assert (q3["costs"], q3["mergedCosts"], q3["costsTotal"]) == ([], None, None)
    assert q3["costPerPlaceDay"] is None and q3["balance"] is None
    assert (q4["costs"], q4["costsTotal"], q4["ended"]) == ([], "0.00", True)
    assert (last["costs"], last["costsTotal"], last["mergedCosts"]) == ([], None, None)
    assert last["balance"] is None and last["receivedBalance"] is None
    neutral = body["neutralSoFar"]
    assert neutral["from"] == f"{y}-01-01"
    assert neutral["costs"] is None and neutral["neutral"] is None
    # No amount anywhere in the answer equals one living-allowance booking.
    assert '"50.00"' not in (await client.get(URL)).text
