"""The council report's forecast section: the base forecast (``api.forecast.report``, the
function behind /reports/forecast) for the quarters left in the report's year, the
reserve at the year's end, and whether the programme stays budget neutral to the end of
next year.

The forecast is made today, not as of the quarter (it starts from the facts and the plan
as they stand now), so the text says the day it was made. Each amount that rests on an
announced or assumed rate, a set occupancy or a run-rate says so in words beside it."""

from __future__ import annotations

from decimal import Decimal

from api.council_report.context import Ctx
from api.council_report.schemas import ChartSeries, ReportChart, ReportSection, ReportTable
from api.council_report.steering_words import WORDS
from api.council_report.wording import Lang, money
from api.council_report.wording import day as word_day
from api.forecast.report import forecast as make_forecast
from api.forecast.schemas import Certainty, ForecastQuarter, worst

ZERO = Decimal("0.00")


def _say(lang: Lang, key: str, **params: object) -> str:
    return WORDS[lang][key].format(**params)


def _label(lang: Lang, quarter: str) -> str:
    """``2027Q1`` as the letter writes a quarter: ``Q1 2027``."""
    return f"{quarter[4:]} {quarter[:4]}"


def _amount(lang: Lang, value: Decimal | None, certainty: Certainty) -> str:
    """The amount with its certainty in words where it is not known: ``€ 1.234,00
    (voorlopig)``; ``onbekend`` when there is no amount."""
    if value is None:
        return _say(lang, "fc_unknown")
    text = money(lang, value)
    if certainty == Certainty.known:
        return text
    return f"{text} ({_say(lang, f'fc_{certainty.value}')})"


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if any(v is None for v in values) else sum((v or ZERO for v in values), ZERO)


def _income_certainty(q: ForecastQuarter) -> Certainty:
    return worst(*(f.certainty for f in q.income))


def _cost_certainty(q: ForecastQuarter) -> Certainty:
    return worst(*(f.certainty for f in q.costs))


def _neutral(c: Ctx, neutral: bool | None, short_from: str | None) -> str:
    lang, to_year = c.lang, c.today.year + 1
    if neutral is None:
        return _say(lang, "fc_neutral_unknown", year=to_year)
    if neutral:
        return _say(lang, "fc_neutral_yes", year=to_year)
    return _say(lang, "fc_neutral_no", year=to_year, quarter=_label(lang, short_from or ""))


async def forecast(c: Ctx) -> ReportSection:
    """The quarters of the report's year from the current one on (none when the year is
    over): income, costs, balance, the reserve at each quarter's end; the year's totals
    and whether the reserve stays at or above zero to the end of next year."""
    lang = c.lang
    heading = _say(lang, "h_forecast")
    run = (await make_forecast(c.session, today=c.today)).base
    made = _say(lang, "fc_made", today=word_day(lang, c.today))
    quarters = [q for q in run.quarters if q.from_.year == c.year]
    neutral = _neutral(c, run.budget_neutral, run.short_from)
    if not quarters:
        return ReportSection(
            key="forecast",
            heading=heading,
            sentences=[made, _say(lang, "fc_year_over", year=c.year), neutral],
            tables=[],
            charts=[],
        )
    income = _sum([q.income_total for q in quarters])
    costs = sum((q.cost_total for q in quarters), ZERO)
    income_sure = worst(*(_income_certainty(q) for q in quarters))
    cost_sure = worst(*(_cost_certainty(q) for q in quarters))
    last = quarters[-1]
    words = {"first": _label(lang, quarters[0].quarter), "last": _label(lang, last.quarter)}
    period = {"period": _say(lang, "fc_period" if len(quarters) > 1 else "fc_period_one", **words)}
    sentences = [made]
    if income is None:
        sentences.append(
            _say(lang, "fc_income_unknown", costs=_amount(lang, costs, cost_sure), **period)
        )
    else:
        balance = income - costs
        sentences.append(
            _say(
                lang,
                "fc_totals",
                income=_amount(lang, income, income_sure),
                costs=_amount(lang, costs, cost_sure),
                **period,
            )
        )
        key = "fc_balance_plus" if balance >= 0 else "fc_balance_minus"
        sentences.append(_say(lang, key, balance=money(lang, abs(balance))))
    if last.reserve_end is None:
        sentences.append(_say(lang, "fc_reserve_unknown", year=c.year))
    else:
        sentences.append(
            _say(
                lang,
                "fc_reserve",
                year=c.year,
                reserve=_amount(lang, last.reserve_end, worst(*(q.certainty for q in quarters))),
            )
        )
    sentences.append(neutral)
    if any(q.certainty != Certainty.known for q in quarters):
        sentences.append(_say(lang, "fc_estimate"))

    rows = []
    sure = Certainty.known
    for q in quarters:
        # The reserve carries every earlier quarter, so it is as sure as all of them.
        sure = worst(sure, q.certainty)
        rows.append(
            [
                _label(lang, q.quarter),
                _amount(lang, q.income_total, _income_certainty(q)),
                _amount(lang, q.cost_total, _cost_certainty(q)),
                _amount(lang, q.balance, q.certainty),
                _amount(lang, q.reserve_end, sure),
            ]
        )

    def values(figures: list[Decimal | None]) -> list[float | None]:
        return [None if v is None else float(v) for v in figures]

    return ReportSection(
        key="forecast",
        heading=heading,
        sentences=sentences,
        tables=[
            ReportTable(
                caption=_say(lang, "t_forecast", year=c.year),
                columns=[
                    _say(lang, k)
                    for k in (
                        "c_fc_quarter",
                        "c_fc_income",
                        "c_fc_costs",
                        "c_fc_balance",
                        "c_fc_reserve",
                    )
                ],
                rows=rows,
            )
        ],
        charts=[
            ReportChart(
                title=_say(lang, "ch_forecast"),
                labels=[_label(lang, q.quarter) for q in quarters],
                series=[
                    ChartSeries(
                        name=_say(lang, "c_fc_income"),
                        values=values([q.income_total for q in quarters]),
                    ),
                    ChartSeries(
                        name=_say(lang, "c_fc_costs"),
                        values=values([q.cost_total for q in quarters]),
                    ),
                    ChartSeries(
                        name=_say(lang, "c_fc_reserve"),
                        values=values([q.reserve_end for q in quarters]),
                    ),
                ],
                table=0,
            )
        ],
    )
