"""Schemas of the anonymous public summary: aggregates per kind, group or category only."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.common.certainty import FigureCertainty
from api.common.money import Money
from api.common.schemas import ReadModel
from api.models import ActivityKind, ExpenseCategory, Group, LocationKind, SignalCategory


class PublicCount(ReadModel):
    """A count, or ``{"count": null, "suppressed": true}`` when it is hidden."""

    count: int | None = Field(description="Null when suppressed.")
    suppressed: bool = Field(
        description="True for a count of 1 to 4, or a cell hidden so that the others "
        "and the total do not reveal one."
    )


class PublicLocationKind(ReadModel):
    kind: LocationKind
    locations: int = Field(description="Open locations of this kind today.")
    capacity: int = Field(
        description="Places at open locations of this kind today (places, not people: "
        "not suppressed)."
    )
    occupied: PublicCount = Field(description="People placed at locations of this kind today.")


class PublicLocationTotals(ReadModel):
    locations: int
    capacity: int
    occupied: PublicCount


class PublicArea(ReadModel):
    """Where locations are: by kind and postcode area, never by address. Host families
    (``private_hosting``) are homes and are not listed by area at all."""

    kind: LocationKind
    area: str = Field(
        description="The postcode area: the four digits of the locations' postcodes "
        "(e.g. `2101`), thousands of addresses each."
    )
    locations: int = Field(description="Open locations of this kind in the area today.")
    capacity: int = Field(description="Their places today.")


class PublicSchemeMoney(ReadModel):
    scheme_code: str
    scheme_name: str
    expected: Money | None = Field(
        description="What the scheme pays for the year by its rules (the budget report's "
        "`expected`); null when the Rijk has not set the amount for part of the year yet."
    )
    expected_certainty: FigureCertainty | None = Field(
        description="`known`, or `provisional`/`assumed` when a rate the Rijk has not "
        "published yet took part; null when `expected` is."
    )
    received: Money = Field(description="What was received for the year's claims so far.")


class PublicCategoryMoney(ReadModel):
    category: ExpenseCategory
    amount: Money = Field(description="Costs booked in the year (refunds subtracted).")


MERGED_COSTS = (
    "The costs not shown per category, together: living allowance always (it is paid "
    "per household), and any category with fewer than 5 bookings in the period (with the "
    "smallest other categories added until the merged amount stems from 5 bookings or "
    "more). Null when nothing is merged."
)


class PublicMoneyQuarter(ReadModel):
    """One quarter of the budget report. Costs follow the publication rule: no figure
    stems from fewer than 5 bookings, and living allowance is never shown on its own."""

    quarter: str = Field(description="`Q1` .. `Q4`.")
    from_: date = Field(alias="from")
    to: date
    ended: bool = Field(description="Whether the quarter is over (today is after `to`).")
    income: list[PublicSchemeMoney]
    income_total: Money | None = Field(description="Null when any scheme's `expected` is.")
    income_certainty: FigureCertainty | None = Field(
        description="How sure `incomeTotal` is: `known`, or `provisional`/`assumed` when a "
        "rate the Rijk has not published yet took part; null when `incomeTotal` is."
    )
    received_total: Money
    costs: list[PublicCategoryMoney] = Field(description="The categories that may be shown.")
    merged_costs: Money | None = Field(description=MERGED_COSTS)
    costs_total: Money | None = Field(
        description="Null when the quarter has fewer than 5 bookings (then no cost of it is shown)."
    )
    balance: Money | None = Field(description="`incomeTotal - costsTotal`; null when unknown.")
    place_days: int = Field(description="Places times the days they were open, so far.")
    cost_per_place_day: Money | None = Field(
        description="`costsTotal / placeDays`, to the cent; null when either is unknown or 0."
    )


class PublicMoneyYear(ReadModel):
    """One year of the budget report, whole: schemes and categories that are zero
    throughout are left out (a scheme whose amount is not known yet is kept)."""

    year: int
    income: list[PublicSchemeMoney]
    income_total: Money | None = Field(description="Null when any scheme's `expected` is.")
    income_certainty: FigureCertainty | None = Field(
        description="How sure `incomeTotal` is: its least sure scheme's `expectedCertainty`."
    )
    received_total: Money
    costs: list[PublicCategoryMoney] = Field(
        description="The categories shown in every quarter in which they have bookings."
    )
    merged_costs: Money | None = Field(description=MERGED_COSTS)
    costs_total: Money | None = Field(
        description="Null when a quarter with bookings is hidden as a whole (the year "
        "minus the other quarters would show it)."
    )
    balance: Money | None = Field(description="`incomeTotal - costsTotal`; null when unknown.")
    received_balance: Money | None = Field(
        description="`receivedTotal - costsTotal`; null when `costsTotal` is."
    )
    quarters: list[PublicMoneyQuarter] = Field(description="The quarters that have begun.")


class PublicNeutrality(ReadModel):
    """Budget neutral so far: the Rijk's money the rules entitle the programme to against
    the costs, summed over the ended quarters of last year and this one."""

    from_: date = Field(alias="from")
    to: date | None = Field(description="The end of the last ended quarter; null: none yet.")
    income: Money | None = Field(description="Null when a rate is missing for a day of it.")
    received: Money
    costs: Money | None = Field(description="Null when a quarter's costs are hidden.")
    balance: Money | None = Field(description="`income - costs`; null when either is.")
    neutral: bool | None = Field(description="`balance >= 0`; null when unknown.")


class PublicForecastNeutrality(ReadModel):
    """Budget neutral by the forecast (the base of /reports/forecast, made today): whether
    the reserve stays at or above zero at every quarter end to the end of next year. One
    answer for the whole programme: nothing about a person or a household."""

    made_on: date = Field(description="The day the forecast was made: today, in Heemstede.")
    to: date = Field(description="The last day looked at: 31 December of next year.")
    neutral: bool | None = Field(
        description="Whether the reserve stays at or above zero to `to`; null when a "
        "figure of the forecast is unknown (a scheme without any rate)."
    )
    short_from: str | None = Field(
        description="The first quarter (`2027Q2`) whose reserve ends below zero; null when "
        "none (or unknown)."
    )
    certainty: FigureCertainty | None = Field(
        description="The least sure figure of the forecast to `to`: `known`, `provisional` "
        "(an announced rate) or `assumed` (an assumption); null when `neutral` is."
    )


class PublicGroup(ReadModel):
    group: Group
    participants: PublicCount = Field(description="People of this group placed today.")


class PublicActivityKind(ReadModel):
    kind: ActivityKind
    on_offer: int = Field(
        description="Activities of this kind that have not ended (not about people: "
        "not suppressed)."
    )
    participants: PublicCount = Field(
        description="People placed today with an open enrollment in such an activity."
    )


class PublicSignalCategory(ReadModel):
    category: SignalCategory
    resolved: PublicCount = Field(description="Resolved since `resolvedSince`.")
    open: PublicCount = Field(description="Not resolved yet.")


class PublicSignalTotals(ReadModel):
    resolved: PublicCount
    open: PublicCount


class PublicSummary(ReadModel):
    """Every list leaves out the rows that are zero in every column (a kind of location
    the programme does not have, say); suppression is decided on the whole table first."""

    on: date = Field(description="Today, in Heemstede.")
    locations: list[PublicLocationKind]
    locations_total: PublicLocationTotals
    areas: list[PublicArea] = Field(description="By kind, then area; no host families.")
    participants: list[PublicGroup]
    participants_total: PublicCount
    activities: list[PublicActivityKind] = Field(
        description="No total of participants: one person may take part in several kinds."
    )
    activities_total: int = Field(description="Activities on offer.")
    signals: list[PublicSignalCategory]
    signals_total: PublicSignalTotals
    resolved_since: date = Field(description="First day of the twelve months counted.")
    money: list[PublicMoneyYear] = Field(
        description="This year so far and last year: the Rijk's money and the costs."
    )
    neutral_so_far: PublicNeutrality
    neutral_by_forecast: PublicForecastNeutrality = Field(
        description="Whether the programme stays budget neutral to the end of next year, "
        "by the forecast."
    )
