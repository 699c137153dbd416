"""The synthetic Heemstede data set as plain rows: locations, people, stays, progress.

Pure and seeded (``random.Random(2026)``), so the same day gives the same data set.
Stays are laid out over an in-memory calendar of free places per location and night,
so no night is ever above capacity, no stay falls outside a location's open dates and
no person's stays overlap: the rules the API enforces, kept by construction here.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from api.demo.names import HOST_STREETS, MINOR_NAMES, UK_FAMILY, UK_GIVEN
from api.models import DutchLevel, EmploymentStatus, EndReason, Group, LocationKind, ProgressField

SEED = 2026
WINDOW_DAYS = 730  # two years of arrivals, ending today
# The calendar starts when the first location opened (GOO Kerklaan), so the locations open
# since 2022 have their history: after the arrivals of the window, `fill` tops the GOO and
# AMV locations up to near full from their opening on (national GOO occupancy ran near
# 99 %; a place left empty for a few weeks now and then keeps it below 100 %).
HISTORY_START = date(2022, 5, 2)
FILL_SKIP = 0.06  # the chance a free place stays empty for a few weeks
UKRAINIANS = 150
MINORS = 20


@dataclass
class DemoLocation:
    id: uuid.UUID
    name: str
    address: str
    postcode: str
    kind: LocationKind
    operator: str
    opened_on: date
    closed_on: date | None
    changes: list[tuple[date, int]]
    external_code: str | None = None
    # free places per night of the window, filled in as stays are laid out
    free: list[int] = field(default_factory=list)


@dataclass
class DemoData:
    locations: list[DemoLocation]
    participants: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    progress: list[dict[str, Any]]


class _Builder:
    def __init__(self, today: date) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
        self.today = today
        self.window_start = today - timedelta(days=WINDOW_DAYS)
        self.start = min(HISTORY_START, self.window_start)
        self.window = (self.window_start - self.start).days  # the window's first night
        self.nights = (today - self.start).days + 1  # the last index is tonight
        self.references = 0
        self.bsns: set[str] = set()
        self.data = DemoData([], [], [], [])

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    # --- locations -------------------------------------------------------------------

    def location(self, **kwargs: Any) -> DemoLocation:
        loc = DemoLocation(id=self.uid(), **kwargs)
        free = []
        for i in range(self.nights):
            night = self.day(i)
            is_open = loc.opened_on <= night and (loc.closed_on is None or night < loc.closed_on)
            current = [c for d, c in loc.changes if d <= night]
            free.append(current[-1] if is_open and current else 0)
        loc.free = free
        self.data.locations.append(loc)
        return loc

    def locations(self) -> tuple[list[DemoLocation], list[DemoLocation], DemoLocation]:
        s, t, muni = self.window_start, self.today, "Gemeente Heemstede"
        goo = [
            self.location(name="GOO Kerklaan", address="Kerklaan 61", postcode="2101 HL", kind=LocationKind.municipal_ukrainian, operator=muni, opened_on=date(2022, 5, 2), closed_on=None, changes=[(date(2022, 5, 2), 30), (s + timedelta(days=120), 38), (t - timedelta(days=200), 42)]),  # noqa: E501
            self.location(name="GOO Glipperweg", address="Glipperweg 57", postcode="2103 GA", kind=LocationKind.municipal_ukrainian, operator=muni, opened_on=date(2022, 9, 1), closed_on=None, changes=[(date(2022, 9, 1), 24), (s + timedelta(days=300), 30)]),  # noqa: E501
            self.location(name="GOO Princehof", address="Princehof 12", postcode="2102 VE", kind=LocationKind.municipal_ukrainian, operator=muni, opened_on=date(2023, 1, 16), closed_on=None, changes=[(date(2023, 1, 16), 20), (s + timedelta(days=60), 26), (t - timedelta(days=90), 22)]),  # noqa: E501
            self.location(name="GOO Kohnstammlaan (tijdelijke woningen)", address="Kohnstammlaan 4", postcode="2104 AB", kind=LocationKind.municipal_ukrainian, operator=muni, opened_on=s + timedelta(days=250), closed_on=None, changes=[(s + timedelta(days=250), 16), (s + timedelta(days=420), 28)]),  # noqa: E501
        ]  # fmt: skip
        hosts = []
        for street, postcode in HOST_STREETS:
            opened = s + timedelta(days=self.rng.randrange(0, 400))
            closed = opened + timedelta(days=self.rng.randrange(200, 500))
            capacity = self.rng.randint(2, 5)
            number = self.rng.randint(2, 140)
            hosts.append(
                self.location(
                    name=f"Gastgezin {street} {number}",
                    address=f"{street} {number}",
                    postcode=postcode,
                    kind=LocationKind.private_hosting,
                    operator=muni,
                    opened_on=opened,
                    closed_on=closed if closed < t else None,
                    changes=[(opened, capacity)],
                )
            )
        amv_open = date(2024, 9, 2)
        amv = self.location(
            name="AMV Heemsteedse Dreef 156",
            address="Heemsteedse Dreef 156",
            postcode="2101 KM",
            kind=LocationKind.amv_small_scale,
            operator="COA",
            external_code="COA-HSD156",
            opened_on=amv_open,
            closed_on=None,
            changes=[(amv_open, 16), (amv_open + timedelta(days=304), 20)],
        )
        return goo, hosts, amv

    # --- stays -----------------------------------------------------------------------

    def run_end(self, loc: DemoLocation, first: int, size: int, limit: int) -> int:
        """The night after the last of ``first .. limit-1`` with room for ``size``."""
        night = first
        while night < limit and loc.free[night] >= size:
            night += 1
        return night

    def find_stay(
        self, options: list[DemoLocation], first: int, size: int, want: int, shortest: int
    ) -> tuple[DemoLocation, int] | None:
        for loc in self.rng.sample(options, len(options)):
            end = self.run_end(loc, first, size, min(first + want, self.nights))
            if end - first >= min(shortest, self.nights - first):
                return loc, end
        return None

    def stays(
        self, people: list[uuid.UUID], first: int, places: list[list[DemoLocation]]
    ) -> list[dict[str, Any]]:
        """Lay out a household's stays from night ``first``: the first stay at one of
        ``places[0]``, transfers to one of ``places[1]``."""
        size, night = len(people), first
        rows: list[dict[str, Any]] = []
        options = places[0]
        while True:
            found = self.find_stay(options, night, size, self.rng.randint(150, 700), 30)
            if found is None:
                if rows:  # nowhere to transfer to: they moved on instead
                    for row in rows[-size:]:
                        row["end_reason"] = EndReason.housing
                return rows
            loc, end = found
            for night_ in range(night, end):
                loc.free[night_] -= size
            is_open = end == self.nights
            for row in rows[-size:]:
                row["end_reason"] = EndReason.transfer
            for person in people:
                rows.append(
                    {
                        "id": self.uid(),
                        "participant_id": person,
                        "location_id": loc.id,
                        "start_date": self.day(night),
                        "end_date": None if is_open else self.day(end),
                        "end_reason": None,
                    }
                )
            if is_open:
                return rows
            if end == self.nights - 1 or len(rows) >= 3 * size or self.rng.random() > 0.4:
                reason = self.rng.choices(
                    [EndReason.housing, EndReason.returned, EndReason.left, EndReason.other],
                    [55, 20, 20, 5],
                )[0]
                for row in rows[-size:]:
                    row["end_reason"] = reason
                return rows
            night, options = end, [o for o in places[1] if o.id != loc.id]

    # --- people ----------------------------------------------------------------------

    def reference(self, first: int) -> str:
        self.references += 1
        return f"HMS-{self.day(first).year}-{self.references:04d}"

    def bsn(self) -> str:
        """A synthetic BSN passing the elfproef, in the 9999… range no one is issued."""
        while True:
            digits = [9, 9, 9, 9, *(self.rng.randrange(10) for _ in range(4))]
            check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
            candidate = "".join(map(str, digits)) + str(check)
            if check < 10 and candidate not in self.bsns:
                self.bsns.add(candidate)
                return candidate

    def birth(self, on: date, age: int) -> date:
        return on - timedelta(days=age * 365 + age // 4 + self.rng.randrange(0, 360))

    def person(self, **row: Any) -> dict[str, Any]:
        row.setdefault("bsn", None)
        row.setdefault("v_number", None)
        row.setdefault("guardian_partner_id", None)
        row.setdefault("household_ref", None)
        self.data.participants.append(row)
        return row

    def progress(self, person: dict[str, Any], begin: date, adult: bool) -> None:
        """Dated steps of Dutch level and employment; the record holds the latest."""
        steps: list[tuple[ProgressField, str, date]] = [
            (ProgressField.dutch_level, DutchLevel.none, begin),
            (ProgressField.employment_status, "not_working" if adult else "studying", begin),
        ]
        day, learns = begin, self.rng.random() < (0.7 if adult else 0.9)
        for level in (DutchLevel.A1, DutchLevel.A2, DutchLevel.B1, DutchLevel.B2):
            day += timedelta(days=self.rng.randint(90, 260))
            if not learns or day > self.today or self.rng.random() < 0.25:
                break
            steps.append((ProgressField.dutch_level, level, day))
        day = begin
        if adult and self.rng.random() < 0.65:
            for status in ("volunteering", "part_time", "full_time"):
                day += timedelta(days=self.rng.randint(60, 300))
                if day > self.today or self.rng.random() < 0.35:
                    break
                steps.append((ProgressField.employment_status, status, day))
        for progress_field, value, valid_from in steps:
            self.data.progress.append(
                {
                    "participant_id": person["id"],
                    "field": progress_field,
                    "value": str(value),
                    "valid_from": valid_from,
                    "recorded_at": datetime.combine(valid_from, time(10), UTC),
                }
            )
            key = progress_field.value
            person[key] = DutchLevel(value) if key == "dutch_level" else EmploymentStatus(value)

    def ukrainians(self, goo: list[DemoLocation], hosts: list[DemoLocation]) -> None:
        placed = 0
        while placed < UKRAINIANS:
            size = min(
                self.rng.choices([1, 2, 3, 4, 5], [30, 25, 20, 15, 10])[0], UKRAINIANS - placed
            )
            people = [self.uid() for _ in range(size)]
            first_places = goo + [h for h in hosts if h.changes[0][1] >= size] * 2
            rows: list[dict[str, Any]] = []
            for _ in range(40):  # another arrival day when everything is full
                arrival = self.rng.randrange(self.window, self.nights - 7)
                rows = self.stays(people, arrival, [first_places, goo])
                if rows:
                    break
            if not rows:
                continue
            self.household(people, rows)
            placed += size

    def household(self, people: list[uuid.UUID], rows: list[dict[str, Any]]) -> None:
        """The people of a Ukrainian household with their stays ``rows``."""
        self.data.placements += rows
        begin = rows[0]["start_date"]
        family = self.rng.choice(UK_FAMILY)
        household = f"HH-{self.references + 1:04d}"
        for i, person_id in enumerate(people):
            age = (
                self.rng.randint(19, 70)
                if i == 0
                else self.rng.choice([self.rng.randint(0, 17), self.rng.randint(18, 75)])
            )
            person = self.person(
                id=person_id,
                reference=self.reference(
                    rows[0]["start_date"].toordinal() - self.start.toordinal()
                ),
                bsn=self.bsn(),
                given_name=self.rng.choice(UK_GIVEN),
                family_name=family,
                date_of_birth=self.birth(begin, age),
                nationality="UKR",
                group=Group.ukrainian_displaced,
                household_ref=household,
                languages=self.rng.choice([["uk"], ["uk", "ru"], ["ru", "uk"]]),
            )
            self.progress(person, begin, adult=age >= 18)

    def minors(self, amv: DemoLocation, nidos: uuid.UUID) -> None:
        opened = amv.opened_on.toordinal() - self.start.toordinal()
        for n in range(MINORS):
            person_id = self.uid()
            rows: list[dict[str, Any]] = []
            while not rows:
                arrival = self.rng.randrange(max(opened, 0), self.nights - 7)
                rows = self.stays([person_id], arrival, [[amv], []])
            self.minor(person_id, rows, n, nidos)

    def minor(
        self, person_id: uuid.UUID, rows: list[dict[str, Any]], n: int, nidos: uuid.UUID
    ) -> None:
        """An unaccompanied minor (the n-th) with their stays ``rows``."""
        self.data.placements += rows
        begin = rows[0]["start_date"]
        country = ("SYR", "ERI", "AFG")[n % 3]
        given, family = MINOR_NAMES[country]
        person = self.person(
            id=person_id,
            reference=self.reference((rows[0]["start_date"] - self.start).days),
            v_number=f"{self.rng.randrange(10**9, 10**10)}",
            given_name=self.rng.choice(given),
            family_name=self.rng.choice(family),
            date_of_birth=self.birth(begin, self.rng.randint(14, 17)),
            nationality=country,
            group=Group.unaccompanied_minor,
            guardian_partner_id=nidos,
            languages={"SYR": ["ar"], "ERI": ["ti"], "AFG": ["fa", "ps"]}[country],
        )
        self.progress(person, begin, adult=False)

    def fill(self, loc: DemoLocation, make: Any) -> None:
        """Top ``loc`` up to near full from its opening to tonight: on each night with a
        free place (now and then left free), a stay of a year or two (up to tonight: open)
        for new people made by ``make(people, rows)``."""
        night = max((loc.opened_on - self.start).days, 0)
        while night < self.nights:
            if loc.free[night] <= 0:
                night += 1
                continue
            if self.rng.random() < FILL_SKIP:  # a place empty for a few weeks
                night += self.rng.randint(7, 28)
                continue
            size = 1
            end = self.run_end(
                loc, night, size, min(night + self.rng.randint(420, 1400), self.nights)
            )
            people = [self.uid() for _ in range(size)]
            for night_ in range(night, end):
                loc.free[night_] -= size
            is_open = end == self.nights
            reason = (
                None
                if is_open
                else self.rng.choice([EndReason.housing, EndReason.returned, EndReason.left])
            )
            rows = [
                {
                    "id": self.uid(),
                    "participant_id": person,
                    "location_id": loc.id,
                    "start_date": self.day(night),
                    "end_date": None if is_open else self.day(end),
                    "end_reason": reason,
                }
                for person in people
            ]
            make(people, rows)


# Places left free tonight, so that a coordinator can place someone in the demo (the
# other GOO locations and the AMV stay full): the most recent open stays there ended two
# weeks ago, the people moved on to a house.
FREE_TONIGHT = {"GOO Kerklaan": 3, "GOO Princehof": 2}


def _leave_free(data: DemoData, locations: list[DemoLocation], today: date) -> None:
    moved_on = today - timedelta(days=14)
    for loc in locations:
        open_stays = sorted(
            (
                row
                for row in data.placements
                if row["location_id"] == loc.id
                and row["end_date"] is None
                and row["start_date"] < moved_on - timedelta(days=7)
            ),
            key=lambda row: row["start_date"],
            reverse=True,
        )
        for row in open_stays[: FREE_TONIGHT.get(loc.name, 0)]:
            row["end_date"] = moved_on
            row["end_reason"] = EndReason.housing


def build(today: date, *, nidos: uuid.UUID) -> DemoData:
    builder = _Builder(today)
    goo, hosts, amv = builder.locations()
    builder.ukrainians(goo, hosts)
    builder.minors(amv, nidos)
    for loc in goo:
        builder.fill(loc, builder.household)
    extra = iter(range(MINORS, 10**6))
    builder.fill(amv, lambda people, rows: builder.minor(people[0], rows, next(extra), nidos))
    _leave_free(builder.data, goo, today)
    return builder.data
