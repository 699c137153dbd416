"""The money section: the year's Rijk income per scheme (expected, claimed, received) and
the expenses, up to the quarter's end, from the budget report (``reports.budget``: the
same definitions). The expenses per category follow the public page's rule
(``public.disclosure``): the letter is public, so no household's payment may show."""

from __future__ import annotations

from decimal import Decimal

from api.common.certainty import FigureCertainty, least_sure
from api.council_report.context import Ctx
from api.council_report.schemas import ChartSeries, ReportChart, ReportSection, ReportTable
from api.council_report.wording import Lang, category, money, say, scheme
from api.council_report.wording import day as word_day
from api.models import ExpenseCategory
from api.public.disclosure import MERGED
from api.public.money import expense_cells, year_costs
from api.reports.budget.figures import budget_report

ZERO = Decimal("0.00")


def _expected(lang: Lang, value: Decimal | None, certainty: FigureCertainty | None) -> str:
    """An expected amount, marked where a rate the Rijk has not set took part:
    ``€ 1.234,00 (voorlopig)``."""
    if value is None:
        return say(lang, "unknown")
    text = money(lang, value)
    if certainty is None or certainty == FigureCertainty.known:
        return text
    return f"{text} ({say(lang, f'est_{certainty.value}')})"


def _sum(values: list[Decimal | None]) -> Decimal | None:
    return None if any(v is None for v in values) else sum((v or ZERO for v in values), ZERO)


async def budget(c: Ctx) -> ReportSection:
    """Year to the quarter's end: per scheme, what the rules entitle the programme to
    (``expected``, unknown while a rate is missing), claimed and received; the expenses
    per category, and the balance ``expected - expenses``."""
    lang = c.lang
    report, _claims = await budget_report(c.session, year=c.year)
    periods = report.quarters[: c.number]
    cells = await expense_cells(c.session, year=c.year)
    # The public page's rule over the quarters to date, beside the public quarters: no
    # figure here and there together gives a merged or hidden quarter's cost.
    costs = year_costs(cells, upto=c.number)
    disclosed = costs.together

    income_rows = []
    for i, s in enumerate(periods[0].schemes):
        expected = _sum([p.schemes[i].expected for p in periods])
        claimed = sum((p.schemes[i].claimed for p in periods), ZERO)
        received = sum((p.schemes[i].received for p in periods), ZERO)
        if expected == ZERO and claimed == ZERO and received == ZERO:
            continue
        sure = least_sure(p.schemes[i].expected_certainty for p in periods)
        income_rows.append(
            [
                scheme(lang, s.scheme_code, s.scheme_name),
                _expected(lang, expected, sure),
                money(lang, claimed),
                money(lang, received),
            ]
        )
    expected_total = _sum([p.totals.expected for p in periods])
    total_sure = least_sure(p.totals.expected_certainty for p in periods)
    estimate = expected_total is not None and total_sure not in (None, FigureCertainty.known)
    claimed_total = sum((p.totals.claimed for p in periods), ZERO)
    received_total = sum((p.totals.received for p in periods), ZERO)
    # Costs as the public page may show them (None: hidden, see ``public.disclosure``).
    spent_total = disclosed.total if costs.together_total_shown else None
    spent = [costs.quarters[i].total for i in range(len(periods))]
    income_rows.append(
        [
            _total(lang),
            _expected(lang, expected_total, total_sure),
            money(lang, claimed_total),
            money(lang, received_total),
        ]
    )
    expense_rows = [
        [category(lang, k.value), money(lang, disclosed.shown[k.value])]
        for k in ExpenseCategory
        if k.value in disclosed.shown
    ]
    if disclosed.merged is not None:
        expense_rows.append([category(lang, MERGED), money(lang, disclosed.merged)])
    if disclosed.total is not None and costs.together_total_shown:
        expense_rows.append([_total(lang), money(lang, disclosed.total)])

    last = word_day(lang, c.as_of)
    amounts = {
        "claimed": money(lang, claimed_total),
        "received": money(lang, received_total),
    }
    sentences = (
        [say(lang, "bud_income_unknown", **amounts)]
        if expected_total is None
        else [say(lang, "bud_income", last=last, expected=money(lang, expected_total), **amounts)]
    )
    if estimate:
        sentences.append(say(lang, "bud_estimate", year=c.year))
    if spent_total is not None:
        sentences.append(say(lang, "bud_expenses", expenses=money(lang, spent_total)))
    if expected_total is not None and spent_total is not None:
        balance = expected_total - spent_total
        key = "bud_balance_plus" if balance >= 0 else "bud_balance_minus"
        sentences.append(say(lang, key, balance=money(lang, abs(balance))))

    quarter_rows = [
        [
            p.period,
            _expected(lang, p.totals.expected, p.totals.expected_certainty),
            money(lang, p.totals.received),
            say(lang, "hidden_costs") if cost is None else money(lang, cost),
        ]
        for p, cost in zip(periods, spent, strict=True)
    ]
    return ReportSection(
        key="budget",
        heading=say(lang, "h_budget"),
        sentences=sentences,
        tables=[
            ReportTable(
                caption=say(lang, "t_income"),
                columns=[
                    say(lang, k) for k in ("c_scheme", "c_expected", "c_claimed", "c_received")
                ],
                rows=income_rows,
            ),
            ReportTable(
                caption=say(lang, "t_expenses"),
                columns=[say(lang, "c_expense_category"), say(lang, "c_amount")],
                rows=expense_rows,
            ),
            ReportTable(
                caption=say(lang, "t_budget_quarters"),
                columns=[
                    say(lang, k) for k in ("c_quarter", "c_expected", "c_received", "c_expenses")
                ],
                rows=quarter_rows,
            ),
        ],
        charts=[
            ReportChart(
                title=say(lang, "ch_budget"),
                labels=[p.period for p in periods],
                series=[
                    ChartSeries(
                        name=say(lang, "c_expected"),
                        values=[
                            None if p.totals.expected is None else float(p.totals.expected)
                            for p in periods
                        ],
                    ),
                    ChartSeries(
                        name=say(lang, "c_received"),
                        values=[float(p.totals.received) for p in periods],
                    ),
                    ChartSeries(
                        name=say(lang, "c_expenses"),
                        values=[None if v is None else float(v) for v in spent],
                    ),
                ],
                table=2,
            )
        ],
    )


def _total(lang: Lang) -> str:
    return "Totaal" if lang == "nl" else "Total"


def _columns(lang: Lang, *keys: str) -> list[str]:
    return [say(lang, k) for k in keys]
