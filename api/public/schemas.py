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
    costs: list[PublicCategoryMoney]
    costs_total: Money
    balance: Money | None = Field(description="`incomeTotal - costsTotal`; null when unknown.")
    received_balance: Money = Field(description="`receivedTotal - costsTotal`.")


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
