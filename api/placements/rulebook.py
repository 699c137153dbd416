"""The placement rules as pure functions over facts: one rulebook for every writer.

The per-row API (``placements.rules.write``), the partner-event batch
(``partner_events.rules``) and the bulk import (``imports.bulk.placements``) each load
their facts set-wise -- the person, their other stays, the location's open dates -- and
run these same checks, so they accept and refuse the same stays with the same problem
type and field (``tests/test_rule_parity.py`` holds them to it). Only what needs many
rows at once stays in SQL, after the write: overlaps within a bulk file and capacity
(the one occupancy sweep of ``api.occupancy``).

A problem names the field in the API's terms (``startDate``, ``endDate``, ``endReason``,
``participantId``, ``locationId``); a writer whose input names it otherwise maps it
(a partner event's ``occurredOn``, an import's ``participantReference``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from api.errors import ProblemType
from api.models import EndReason, Group
from api.participants.rulebook import eighteenth_birthday

INVALID = ProblemType.INVALID_INPUT
OUTSIDE_OPEN_DATES = ProblemType.OUTSIDE_OPEN_DATES
ANONYMISED = ProblemType.PARTICIPANT_ANONYMISED
MINOR_AGE = ProblemType.MINOR_AGE
OVERLAP = ProblemType.PLACEMENT_OVERLAP
OVER_CAPACITY = ProblemType.OVER_CAPACITY


@dataclass(frozen=True, slots=True)
class Problem:
    type: str
    field: str
    detail: str
    day: date | None = None
    placement_id: uuid.UUID | None = None


def dates(start: date, end: date | None, end_reason: EndReason | None) -> list[Problem]:
    """A stay's own dates: nights ``start <= d < end``; a stay that ends says why."""
    problems = []
    if end is not None and end <= start:
        problems.append(
            Problem(INVALID, "endDate", "Must be after startDate (it is the departure day).")
        )
    if end is None and end_reason is not None:
        problems.append(Problem(INVALID, "endReason", "Only a stay with an endDate has one."))
    if end is not None and end_reason is None:
        problems.append(Problem(INVALID, "endReason", "Required when endDate is set."))
    return problems


def open_dates(
    opened_on: date, closed_on: date | None, start: date, end: date | None
) -> list[Problem]:
    """Within the location's open dates: the first night on or after ``opened_on``; at a
    location that closes, the stay ends by then (the closing day is a departure day)."""
    if start < opened_on:
        return [
            Problem(
                OUTSIDE_OPEN_DATES,
                "startDate",
                f"The location opens on {opened_on}; the stay starts {start}.",
                day=start,
            )
        ]
    if closed_on is not None and (end is None or end > closed_on):
        return [
            Problem(
                OUTSIDE_OPEN_DATES,
                "endDate",
                f"The location closes on {closed_on} (its last night is the one before); "
                "the stay must end on or before that day.",
                day=closed_on,
            )
        ]
    return []


def person(
    *,
    group: Group | str | None,
    born: date | None,
    anonymised: bool,
    start: date,
    starts_anew: bool,
) -> list[Problem]:
    """An anonymised person's stays are frozen; an unaccompanied minor has a date of birth
    and is under 18 on the first night of a stay that starts (a stay whose start does not
    change is not checked again: turning 18 during a stay ends nothing)."""
    if anonymised:
        return [
            Problem(
                ANONYMISED,
                "participantId",
                "The participant has been anonymised; their stays can no longer change.",
            )
        ]
    if group != Group.unaccompanied_minor or not starts_anew:
        return []
    if born is None:
        return [
            Problem(
                MINOR_AGE,
                "participantId",
                "An unaccompanied minor needs a date of birth before a stay can start.",
            )
        ]
    if start >= eighteenth_birthday(born):
        return [
            Problem(
                MINOR_AGE,
                "startDate",
                "An unaccompanied minor must be under 18 on the stay's startDate.",
                day=start,
            )
        ]
    return []


@dataclass(frozen=True, slots=True)
class Other:
    """Another stay of the same person; ``named``: the writer may name it in an answer
    (a partner does not learn the id of a stay it cannot read)."""

    id: uuid.UUID
    start: date
    end: date | None
    named: bool = True


def overlap(start: date, end: date | None, others: Iterable[Other]) -> list[Problem]:
    """The first other stay sharing a night with ``start <= d < end``."""
    first: Other | None = None
    for other in others:
        shares = (other.end is None or other.end > start) and (end is None or other.start < end)
        if shares and (first is None or other.start < first.start):
            first = other
    if first is None:
        return []
    night = max(start, first.start)
    which = f"stay {first.id}" if first.named else "a stay elsewhere"
    return [
        Problem(
            OVERLAP,
            "startDate",
            f"The participant already has {which} on the night of {night}.",
            day=night,
            placement_id=first.id if first.named else None,
        )
    ]


def over_capacity(name: str, day: date, occupied: int, capacity: int) -> Problem:
    """The message of the capacity rule, checked in SQL by the occupancy sweep."""
    return Problem(
        OVER_CAPACITY,
        "startDate",  # the stay's nights: one of them is over
        f"Location '{name}' would hold {occupied} people on {day} with {capacity} places.",
        day=day,
    )
