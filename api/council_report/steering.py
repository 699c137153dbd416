"""The council report's steering sections: the goals against their targets, and the
begroting with the reserve (the forecast to year end is in ``forecast_section``).

The letter is public, so what it says about people goes through the public page's rules:
an indicator measured over fewer than 5 people is hidden (``goals.series`` with
``suppress_small``), and the year's spending is the total the disclosure rule lets show
(``public.money``), never an amount per category next to the plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from api.budget_plan.amounts import current_begroting
from api.budget_plan.reserve import opening_balance, year_end
from api.council_report.context import Ctx
from api.council_report.schemas import ChartSeries, ReportChart, ReportSection, ReportTable
from api.council_report.steering_words import WORDS
from api.council_report.wording import Lang, category, money, number, percent
from api.council_report.wording import day as word_day
from api.goals.schemas import IndicatorSeries, SeriesPoint
from api.goals.series import indicator_series
from api.models import (
    BudgetLineKind,
    BudgetVersion,
    ExpenseCategory,
    IndicatorUnit,
    ReserveMutation,
)
from api.public.money import expense_cells, year_costs

ZERO = Decimal("0.00")


def _say(lang: Lang, key: str, **params: object) -> str:
    return WORDS[lang][key].format(**params)


def _value(lang: Lang, value: str | None, unit: IndicatorUnit, hidden: bool) -> str:
    if hidden:
        return _say(lang, "hidden")
    if value is None:
        return _say(lang, "none")
    if unit == IndicatorUnit.share:
        return percent(lang, value)
    if unit == IndicatorUnit.euro:
        return money(lang, Decimal(value))
    return number(lang, Decimal(value), 1 if unit == IndicatorUnit.days else 0)


def _point(series: IndicatorSeries, year: int, quarter: int) -> SeriesPoint | None:
    return next((p for p in series.points if (p.year, p.quarter) == (year, quarter)), None)


async def goals(c: Ctx) -> ReportSection:
    """Each indicator as of the quarter's end, the same quarter a year earlier, and the
    target for the year, with whether it is on track."""
    lang = c.lang
    items = await indicator_series(
        c.session, first=(c.year - 1, c.number), last=(c.year, c.number), suppress_small=True
    )
    rows: list[list[str]] = []
    behind: list[str] = []
    measured = on_track = hidden = 0
    labels: list[str] = []
    values: list[float | None] = []
    targets: list[float | None] = []
    for s in items:
        now = _point(s, c.year, c.number)
        before = _point(s, c.year - 1, c.number)
        if now is None:
            continue
        hidden += now.suppressed
        if now.on_track is not None:
            measured += 1
            on_track += now.on_track
            if not now.on_track:
                behind.append(s.title)
        rows.append(
            [
                s.goal_title,
                s.title,
                _value(lang, now.value, s.unit, now.suppressed),
                "" if before is None else _value(lang, before.value, s.unit, before.suppressed),
                _value(lang, now.target, s.unit, False),
                _say(lang, "none")
                if now.on_track is None
                else _say(lang, "yes" if now.on_track else "no"),
            ]
        )
        if s.unit == IndicatorUnit.share:
            labels.append(s.title)
            values.append(None if now.value is None or now.suppressed else float(now.value) * 100)
            targets.append(None if now.target is None else float(now.target) * 100)
    if not rows:
        return ReportSection(
            key="goals",
            heading=_say(lang, "h_goals"),
            sentences=[_say(lang, "goals_none")],
            tables=[],
            charts=[],
        )
    as_of = word_day(lang, c.as_of)
    sentences = []
    if measured == 1:  # one indicator: a sentence of its own, not "1 indicatoren"
        state = _say(lang, "on_track_yes" if on_track else "on_track_no")
        sentences.append(_say(lang, "goals_on_track_one", year=c.year, state=state, as_of=as_of))
    elif measured:
        sentences.append(
            _say(
                lang,
                "goals_on_track",
                measured=measured,
                year=c.year,
                on_track=on_track,
                as_of=as_of,
            )
        )
    if behind and measured > 1:
        sentences.append(_say(lang, "goals_behind", titles=", ".join(behind)))
    if hidden:
        key = "goals_hidden_one" if hidden == 1 else "goals_hidden"
        sentences.append(_say(lang, key, n=hidden))
    quarter = f"Q{c.number} {c.year}"
    table = ReportTable(
        caption=_say(lang, "t_goals"),
        columns=[
            _say(lang, "c_goal"),
            _say(lang, "c_indicator"),
            _say(lang, "c_now", quarter=quarter),
            _say(lang, "c_year_ago"),
            _say(lang, "c_target", year=c.year),
            _say(lang, "c_on_track"),
        ],
        rows=rows,
    )
    charts = (
        [
            ReportChart(
                title=_say(lang, "ch_goals"),
                labels=labels,
                series=[
                    ChartSeries(name=_say(lang, "s_value"), values=values),
                    ChartSeries(name=_say(lang, "s_target"), values=targets),
                ],
                table=0,
            )
        ]
        if labels
        else []
    )
    return ReportSection(
        key="goals",
        heading=_say(lang, "h_goals"),
        sentences=sentences,
        tables=[table],
        charts=charts,
    )


def _reference(lang: Lang, reference: str | None) -> str:
    if not reference:
        return ""
    return f" ({'besluit' if lang == 'nl' else 'decision'} {reference})"


async def _versions(c: Ctx) -> list[tuple[int, date, str | None]]:
    """The year's versions the council had decided by the reference date, in order."""
    stmt = (
        select(BudgetVersion.number, BudgetVersion.decided_on, BudgetVersion.decision_reference)
        .where(BudgetVersion.year == c.year, BudgetVersion.decided_on <= c.as_of)
        .order_by(BudgetVersion.number)
    )
    return [(int(n), d, r) for n, d, r in (await c.session.execute(stmt)).all()]


async def _mutations(c: Ctx) -> Decimal:
    stmt = select(func.sum(ReserveMutation.amount)).where(
        ReserveMutation.booked_on.between(date(c.year, 1, 1), c.as_of)
    )
    total = await c.session.scalar(stmt)  # the column's type: euros, or None
    return ZERO if total is None else Decimal(total)


async def _reserve(c: Ctx) -> list[str]:
    lang = c.lang
    closed = c.number == 4 and c.as_of == c.last  # the year is over: its result is known
    if closed:
        opening, done = await year_end(c.session, year=c.year)  # one walk for both
    else:
        opening, done = await opening_balance(c.session, year=c.year), None
    out = (
        [_say(lang, "res_unknown", year=c.year)]
        if opening is None
        else [_say(lang, "res_opening", year=c.year, opening=money(lang, opening))]
    )
    moved = await _mutations(c)
    if moved:
        out.append(_say(lang, "res_mutations", amount=money(lang, moved)))
    if done and done.result is not None and done.closing is not None:
        out.append(
            _say(
                lang,
                "res_closing",
                year=c.year,
                result=money(lang, done.result),
                closing=money(lang, done.closing),
            )
        )
    return out


async def begroting(c: Ctx) -> ReportSection:
    """The year's begroting as the council had decided it by the reference date
    (primitive and wijzigingen), the year's spending so far beside it, and the reserve."""
    lang = c.lang
    heading = _say(lang, "h_begroting")
    versions = await _versions(c)
    reserve = await _reserve(c)
    if not versions:
        return ReportSection(
            key="begroting",
            heading=heading,
            sentences=[_say(lang, "beg_none", year=c.year), *reserve],
            tables=[],
            charts=[],
        )
    current = await current_begroting(c.session, years=[c.year], decided_by=c.as_of)
    primitive = await current_begroting(
        c.session, years=[c.year], decided_by=c.as_of, primitive_only=True
    )
    _n, first_day, first_ref = versions[0]
    sentences = [
        _say(
            lang,
            "beg_primitive",
            year=c.year,
            day=word_day(lang, first_day),
            reference=_reference(lang, first_ref),
        )
    ]
    if len(versions) > 1:
        _n, last_day, last_ref = versions[-1]
        where = {"day": word_day(lang, last_day), "reference": _reference(lang, last_ref)}
        sentences.append(
            _say(lang, "beg_changes", n=len(versions) - 1, **where)
            if len(versions) > 2
            else _say(lang, "beg_change", **where)
        )
    expense, income = BudgetLineKind.expense, BudgetLineKind.income
    planned_expenses = sum((v for (_y, k, _x), v in current.items() if k == expense), ZERO)
    planned_income = sum((v for (_y, k, _x), v in current.items() if k == income), ZERO)
    sentences.append(
        _say(
            lang,
            "beg_plan",
            income=money(lang, planned_income),
            expenses=money(lang, planned_expenses),
        )
    )
    # Spent so far: the total the public page's disclosure rule lets show.
    costs = year_costs(await expense_cells(c.session, year=c.year), upto=c.number)
    spent = costs.together.total if costs.together_total_shown else None
    if spent is not None and planned_expenses:
        share = str((spent / planned_expenses).quantize(Decimal("0.0001")))
        sentences.append(
            _say(
                lang,
                "beg_spent",
                as_of=word_day(lang, c.as_of),
                spent=money(lang, spent),
                share=percent(lang, share),
            )
        )
    sentences += reserve

    category_rows = []
    for k in ExpenseCategory:
        now = current.get((c.year, expense, k.value), ZERO)
        first = primitive.get((c.year, expense, k.value), ZERO)
        if now or first:
            category_rows.append(
                [
                    category(lang, k.value),
                    money(lang, first),
                    money(lang, now - first),
                    money(lang, now),
                ]
            )
    first_total = sum((v for (_y, k, _x), v in primitive.items() if k == expense), ZERO)
    category_rows.append(
        [
            _say(lang, "total"),
            money(lang, first_total),
            money(lang, planned_expenses - first_total),
            money(lang, planned_expenses),
        ]
    )
    income_rows = [
        [code, money(lang, amount)]
        for (_y, k, code), amount in sorted(current.items())
        if k == income and amount
    ]
    to_date = _say(lang, "c_to_date", as_of=word_day(lang, c.as_of))
    plan_rows = [
        [
            _say(lang, "r_expenses"),
            money(lang, planned_expenses),
            _say(lang, "hidden") if spent is None else money(lang, spent),
        ],
    ]
    return ReportSection(
        key="begroting",
        heading=heading,
        sentences=sentences,
        tables=[
            ReportTable(
                caption=_say(lang, "t_begroting", year=c.year),
                columns=[
                    _say(lang, k) for k in ("c_category", "c_primitive", "c_changes", "c_current")
                ],
                rows=category_rows,
            ),
            ReportTable(
                caption=_say(lang, "t_begroting_income"),
                columns=[_say(lang, "c_scheme"), _say(lang, "c_planned")],
                rows=income_rows,
            ),
            ReportTable(
                caption=_say(lang, "t_plan_vs_actual"),
                columns=[_say(lang, "c_what"), _say(lang, "c_year", year=c.year), to_date],
                rows=plan_rows,
            ),
        ],
        charts=[
            ReportChart(
                title=_say(lang, "ch_plan"),
                labels=[_say(lang, "r_expenses")],
                series=[
                    ChartSeries(
                        name=_say(lang, "c_year", year=c.year), values=[float(planned_expenses)]
                    ),
                    ChartSeries(name=to_date, values=[None if spent is None else float(spent)]),
                ],
                table=2,
            )
        ],
    )
