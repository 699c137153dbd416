"""The sections of the council report, one function each, in the order of the letter.

Counts of people go through ``Counts`` (the public page's suppression function); counts
of places, locations and activities are not about people and are shown as they are.
Each function reuses the statements of the existing reports where they answer the
question (``reports.overview.sql``, ``reports.budget``), and ``figures`` where they do not.
"""

from __future__ import annotations

from api.council_report import figures
from api.council_report.context import Counts, Ctx, average, share
from api.council_report.schemas import ChartSeries, ReportChart, ReportSection, ReportTable
from api.council_report.wording import Lang, label, number, percent, say
from api.council_report.wording import day as word_day
from api.models import ActivityKind, EndReason, Group, LocationKind, SignalCategory
from api.reports.overview import sql as overview_sql

KINDS = [k.value for k in LocationKind]
GROUPS = [g.value for g in Group]
REASONS = [r.value for r in EndReason if r is not EndReason.transfer] + ["unknown"]
CATEGORIES = [c.value for c in SignalCategory]
ACTIVITY_KINDS = [k.value for k in ActivityKind]


def _charted(
    lang: Lang,
    *,
    key: str,
    sentences: list[str],
    columns: list[str],
    rows: list[list[str]],
    labels: list[str],
    series: dict[str, list[float | None]],
) -> ReportSection:
    """A section of one table and the chart of its figures. Its words are the section's
    keys: ``h_<key>`` (heading), ``t_<key>`` (caption), ``ch_<key>`` (chart title);
    ``columns`` and ``series`` are keys of the words too."""
    return ReportSection(
        key=key,
        heading=say(lang, f"h_{key}"),
        sentences=sentences,
        tables=[
            ReportTable(
                caption=say(lang, f"t_{key}"),
                columns=[say(lang, col) for col in columns],
                rows=rows,
            )
        ],
        charts=[
            ReportChart(
                title=say(lang, f"ch_{key}"),
                labels=labels,
                series=[ChartSeries(name=say(lang, n), values=v) for n, v in series.items()],
                table=0,
            )
        ],
    )


async def occupancy(c: Ctx) -> ReportSection:
    """Per location kind: locations, places and people placed on the reference date,
    and the average places and people over the quarter (place-days and person-nights
    divided by the days counted) with the occupancy rate (person-nights / place-days)."""
    lang = c.lang
    rows = await overview_sql.occupancy_on(c.session, on=c.as_of)
    days = await figures.days_per_kind(c.session, first=c.first, last=c.as_of)
    locations: dict[str, int] = dict.fromkeys(KINDS, 0)
    capacity: dict[str, int] = dict.fromkeys(KINDS, 0)
    occupied: dict[str, int] = {}
    for _id, _name, kind, cap, occ, _free in rows:
        locations[str(kind)] += 1
        capacity[str(kind)] += cap
        occupied[str(kind)] = occupied.get(str(kind), 0) + occ
    people = Counts.of(KINDS, occupied)
    # The average of people is a count of people too: rounded, suppressed the same way;
    # its rate is hidden with it (rate x places would give it back).
    avg_people = Counts.of(KINDS, {k: round(days.get(k, (0, 0))[1] / c.days) for k in KINDS})
    shown = [k for k in KINDS if locations[k] or days.get(k, (0, 0)) != (0, 0)]
    table_rows = []
    for k in shown:
        place_days, nights = days.get(k, (0, 0))
        hidden = k in avg_people.hidden
        table_rows.append(
            [
                label(lang, k),
                number(lang, locations[k]),
                number(lang, capacity[k]),
                people.text(lang, k),
                number(lang, average(place_days, c.days), 1),
                say(lang, "hidden") if hidden else number(lang, average(nights, c.days), 1),
                say(lang, "hidden") if hidden else percent(lang, share(nights, place_days)),
            ]
        )
    total_days = sum(v[0] for v in days.values())
    total_nights = sum(v[1] for v in days.values())
    table_rows.append(
        [
            label(lang, "total"),
            number(lang, sum(locations.values())),
            number(lang, sum(capacity.values())),
            people.total_text(lang),
            number(lang, average(total_days, c.days), 1),
            number(lang, average(total_nights, c.days), 1),
            percent(lang, share(total_nights, total_days)),
        ]
    )
    sentences = [
        say(
            lang,
            "occ_end",
            as_of=word_day(lang, c.as_of),
            capacity=number(lang, sum(capacity.values())),
            occupied=people.total_text(lang),
        ),
        say(
            lang,
            "occ_avg",
            occupied=number(lang, average(total_nights, c.days), 1),
            capacity=number(lang, average(total_days, c.days), 1),
            rate=percent(lang, share(total_nights, total_days)),
        ),
    ]
    columns = [
        "c_kind", "c_locations", "c_capacity_end", "c_occupied_end",
        "c_capacity_avg", "c_occupied_avg", "c_rate",
    ]  # fmt: skip
    return _charted(
        lang,
        key="occupancy",
        sentences=sentences,
        columns=columns,
        rows=table_rows,
        labels=[label(lang, k) for k in shown],
        series={
            "s_capacity": [float(capacity[k]) for k in shown],
            "s_occupied": [people.chart(k) for k in shown],
        },
    )


async def participants(c: Ctx) -> ReportSection:
    """People placed on the reference date, per group (each person once)."""
    lang = c.lang
    placed = await overview_sql.placed_by_location_and_group(c.session, on=c.as_of)
    by_group: dict[str, int] = {}
    for *_location, group, n in placed:
        by_group[str(group)] = by_group.get(str(group), 0) + n
    counts = Counts.of(GROUPS, by_group)
    shown = counts.nonzero()
    rows = [[label(lang, g), counts.text(lang, g)] for g in shown]
    rows.append([label(lang, "total"), counts.total_text(lang)])
    return _charted(
        lang,
        key="participants",
        sentences=[
            say(lang, "part_total", as_of=word_day(lang, c.as_of), total=counts.total_text(lang))
        ],
        columns=["c_group", "c_people"],
        rows=rows,
        labels=[label(lang, g) for g in shown],
        series={"c_people": [counts.chart(g) for g in shown]},
    )


async def movements(c: Ctx) -> ReportSection:
    """Arrivals per group and departures per reason in the quarter (to the reference
    date); transfers between locations are neither (``figures.movements``)."""
    lang = c.lang
    moved = await figures.movements(c.session, first=c.first, last=c.as_of)
    arrivals = Counts.of(GROUPS, moved.arrivals)
    departures = Counts.of(REASONS, moved.departures)
    transfers = Counts.of(["transfer"], {"transfer": moved.transfers})
    arrival_rows = [[label(lang, g), arrivals.text(lang, g)] for g in arrivals.nonzero()]
    arrival_rows.append([label(lang, "total"), arrivals.total_text(lang)])
    shown = departures.nonzero()
    departure_rows = [[label(lang, r), departures.text(lang, r)] for r in shown]
    departure_rows.append([label(lang, "total"), departures.total_text(lang)])
    return ReportSection(
        key="movements",
        heading=say(lang, "h_movements"),
        sentences=[
            say(lang, "mov_arrivals", arrivals=arrivals.total_text(lang)),
            say(lang, "mov_departures", departures=departures.total_text(lang)),
            say(lang, "mov_transfers", transfers=transfers.text(lang, "transfer")),
        ],
        tables=[
            ReportTable(
                caption=say(lang, "t_arrivals"),
                columns=[say(lang, "c_group"), say(lang, "c_arrivals")],
                rows=arrival_rows,
            ),
            ReportTable(
                caption=say(lang, "t_departures"),
                columns=[say(lang, "c_reason"), say(lang, "c_departures")],
                rows=departure_rows,
            ),
        ],
        charts=[
            ReportChart(
                title=say(lang, "ch_departures"),
                labels=[label(lang, r) for r in shown],
                series=[
                    ChartSeries(
                        name=say(lang, "c_departures"), values=[departures.chart(r) for r in shown]
                    )
                ],
                table=1,
            )
        ],
    )


def _days(hours: int | None, lang: str) -> str:
    if hours is None:
        return "-"
    return number(lang, hours / 24, 1)  # type: ignore[arg-type]


async def signals(c: Ctx) -> ReportSection:
    """Per category: reported and resolved in the quarter, the median and 90th
    percentile of the days from report to resolution (of those resolved in it, nearest
    rank over whole hours), and open at the reference date's end."""
    lang = c.lang
    found = await figures.signal_figures(c.session, first=c.first, last=c.as_of)
    reported = Counts.of(CATEGORIES, found.reported)
    resolved = Counts.of(CATEGORIES, {k: found.resolved(k) for k in CATEGORIES})
    still_open = Counts.of(CATEGORIES, found.open_at_end)
    shown = [
        k for k in CATEGORIES if reported.values[k] or resolved.values[k] or still_open.values[k]
    ]
    rows = []
    for k in shown:
        hidden = k in resolved.hidden
        histogram = found.hours.get(k, {})
        rows.append(
            [
                label(lang, k),
                reported.text(lang, k),
                resolved.text(lang, k),
                "-" if hidden else _days(figures.percentile(histogram, 0.5), lang),
                "-" if hidden else _days(figures.percentile(histogram, 0.9), lang),
                still_open.text(lang, k),
            ]
        )
    everything = figures.merge(*found.hours.values())
    median = figures.percentile(everything, 0.5)
    p90 = figures.percentile(everything, 0.9)
    all_hidden = resolved.total_hidden
    rows.append(
        [
            label(lang, "total"),
            reported.total_text(lang),
            resolved.total_text(lang),
            "-" if all_hidden else _days(median, lang),
            "-" if all_hidden else _days(p90, lang),
            still_open.total_text(lang),
        ]
    )
    sentences = [
        say(
            lang,
            "sig_counts",
            reported=reported.total_text(lang),
            resolved=resolved.total_text(lang),
        )
    ]
    if median is not None and p90 is not None and not all_hidden:
        sentences.append(say(lang, "sig_speed", median=_days(median, lang), p90=_days(p90, lang)))
    sentences.append(say(lang, "sig_open", open=still_open.total_text(lang)))
    columns = ["c_category", "c_reported", "c_resolved", "c_median", "c_p90", "c_open"]
    return _charted(
        lang,
        key="signals",
        sentences=sentences,
        columns=columns,
        rows=rows,
        labels=[label(lang, k) for k in shown],
        series={
            "c_reported": [reported.chart(k) for k in shown],
            "c_resolved": [resolved.chart(k) for k in shown],
        },
    )


async def activities(c: Ctx) -> ReportSection:
    """Per activity kind: activities running on the reference date (started, not ended),
    people placed then with an enrollment open then, and the attendance rate of the sessions
    in the quarter (present / recorded; hidden under 5 records)."""
    lang = c.lang
    offered, enrolled = await overview_sql.activities_and_participation(
        c.session, on=c.as_of, as_of=True
    )
    attendance = await overview_sql.attendance_by_kind(c.session, first=c.first, last=c.as_of)
    running: dict[str, int] = dict.fromkeys(ACTIVITY_KINDS, 0)
    for kind, _targets in offered:
        running[kind] += 1
    people = Counts.of(ACTIVITY_KINDS, enrolled)
    shown = [k for k in ACTIVITY_KINDS if running[k] or people.values[k] or k in attendance]

    def present(recorded: int, present: int) -> str:
        return say(lang, "hidden") if recorded < 5 else percent(lang, share(present, recorded))

    rows = [
        [
            label(lang, k),
            number(lang, running[k]),
            people.text(lang, k),
            present(*attendance.get(k, (0, 0))),
        ]
        for k in shown
    ]
    recorded = sum(r for r, _p in attendance.values())
    present_all = sum(p for _r, p in attendance.values())
    # No total of people: one person may take part in several kinds.
    rows.append(
        [
            label(lang, "total"),
            number(lang, sum(running.values())),
            "",
            present(recorded, present_all),
        ]
    )
    sentences = [
        say(lang, "act_running", as_of=word_day(lang, c.as_of), running=sum(running.values()))
    ]
    if recorded >= 5:
        sentences.append(
            say(
                lang,
                "act_attendance",
                recorded=number(lang, recorded),
                rate=percent(lang, share(present_all, recorded)),
            )
        )
    columns = ["c_activity_kind", "c_running", "c_enrolled", "c_attendance"]
    return _charted(
        lang,
        key="activities",
        sentences=sentences,
        columns=columns,
        rows=rows,
        labels=[label(lang, k) for k in shown],
        series={"c_enrolled": [people.chart(k) for k in shown]},
    )
