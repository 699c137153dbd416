"""/exports/participants: a pseudonymised file of the participants and their stays, for
one named recipient (a researcher, the CBS, an evaluation).

- ``pseudonym`` is HMAC-SHA256 under a key derived from ``OPVANG_SECRET_KEY`` over the
  recipient and the participant's id, 16 hex digits: the same person has the same
  pseudonym in every file for one recipient (so files can be linked over time) and a
  different one for every other recipient (so recipients cannot link their files). The
  recipient's name is compared trimmed and case-insensitively. Rotating the secret key
  changes every pseudonym.
- No BSN, V-number, name, reference, household or exact date of birth: the year of birth
  only. A stay at a private host family is named by a pseudonym of its location (its
  name is the family's address); other locations by name.
- Anonymised participants are left out: after anonymisation nobody may still link them.
- admin and coordinator only; each export is audited (who, for which recipient, how many
  people), never with the file's contents.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import uuid
from collections import defaultdict
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Response
from pydantic import Field, field_validator
from sqlalchemy import select

from api.audit.service import record
from api.auth.deps import SettingsDep
from api.auth.roles import AdminOrCoordinator
from api.common.schemas import QueryModel
from api.db import SessionDep
from api.models import Location, LocationKind, Participant, Placement
from api.openapi import api_router

router = api_router("exports", prefix="/exports")

CSV = "text/csv; charset=utf-8"
COLUMNS = (
    "pseudonym",
    "group",
    "nationality",
    "birth_year",
    "languages",
    "dutch_level",
    "employment_status",
    "location",
    "location_kind",
    "stay_start",
    "stay_end",
    "end_reason",
)
_PURPOSE = b"opvang:participant-export:v1"


class PseudonymisedQuery(QueryModel):
    recipient: str = Field(
        min_length=1,
        max_length=100,
        description="Who receives the file (e.g. `CBS`, `Universiteit Leiden`): the "
        "pseudonyms are stable for one recipient and differ between recipients.",
    )

    @field_validator("recipient")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("The recipient must be named.")
        return value


def export_key(secret_key: str) -> bytes:
    """A key for pseudonyms only, derived from the secret key (never the token key)."""
    return hmac.new(secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def pseudonym(key: bytes, recipient: str, subject: uuid.UUID, kind: str = "participant") -> str:
    message = "\x00".join((kind, recipient.strip().casefold(), str(subject))).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    # A spreadsheet must not take a cell for a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


async def pseudonymised_csv(session: Any, *, secret_key: str, recipient: str) -> tuple[str, int]:
    """The file and the number of people in it."""
    key = export_key(secret_key)
    people = (
        await session.execute(
            select(
                Participant.id,
                Participant.group,
                Participant.nationality,
                Participant.date_of_birth,
                Participant.languages,
                Participant.dutch_level,
                Participant.employment_status,
            ).where(Participant.anonymised_at.is_(None))
        )
    ).all()
    stays = (
        await session.execute(
            select(
                Placement.participant_id,
                Placement.location_id,
                Location.name,
                Location.kind,
                Placement.start_date,
                Placement.end_date,
                Placement.end_reason,
            )
            .join(Location, Location.id == Placement.location_id)
            .join(Participant, Participant.id == Placement.participant_id)
            .where(Participant.anonymised_at.is_(None))
            .order_by(Placement.start_date, Placement.id)
        )
    ).all()
    by_person: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for stay in stays:
        by_person[stay.participant_id].append(stay)

    rows: list[tuple[str, list[str]]] = []
    for person in people:
        alias = pseudonym(key, recipient, person.id)
        common = [
            alias,
            str(person.group),
            person.nationality,
            person.date_of_birth.year if person.date_of_birth else None,
            " ".join(person.languages or []),
            str(person.dutch_level),
            str(person.employment_status),
        ]
        for stay in by_person.get(person.id) or [None]:
            if stay is None:
                place: list[object] = [None] * 5
            else:
                kind = LocationKind(stay.kind)
                name = (
                    "host-" + pseudonym(key, recipient, stay.location_id, "location")[:8]
                    if kind is LocationKind.private_hosting
                    else stay.name
                )
                place = [name, kind.value, stay.start_date, stay.end_date, stay.end_reason]
            rows.append((alias, [_cell(v) for v in [*common, *place]]))
    # By pseudonym, so the order says nothing about when or in which order people came.
    rows.sort(key=lambda row: (row[0], row[1][COLUMNS.index("stay_start")]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(cells for _, cells in rows)
    return out.getvalue(), len(people)


FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "CSV, one row per stay (a person without stays: one row with the stay "
        "columns empty): " + ", ".join(f"`{c}`" for c in COLUMNS) + ".",
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "headers": {
            "Content-Disposition": {
                "description": '`attachment; filename="opvang-participants-pseudonymised.csv"`',
                "schema": {"type": "string"},
            }
        },
    }
}


@router.get(
    "/participants",
    response_class=Response,
    responses=FILE,
    summary="Download a pseudonymised participants file for a recipient",
)
async def export_participants_pseudonymised(
    session: SessionDep,
    principal: AdminOrCoordinator,
    settings: SettingsDep,
    query: Annotated[PseudonymisedQuery, Query()],
) -> Response:
    """Participants and their stays without anything that names them: a `pseudonym` per
    person that is stable for one `recipient` and different for every other, the year of
    birth instead of the date, no BSN, V-number, name or reference; stays at a private
    host family under a pseudonym of the location. Anonymised participants are left out.
    The export is audited with the recipient and the number of people (admin,
    coordinator)."""
    body, people = await pseudonymised_csv(
        session, secret_key=settings.secret_key, recipient=query.recipient
    )
    record(
        session,
        action="export",
        entity="participants",
        details={"kind": "pseudonymised", "recipient": query.recipient.strip(), "people": people},
    )
    headers = {
        "Content-Disposition": 'attachment; filename="opvang-participants-pseudonymised.csv"'
    }
    return Response(body.encode(), media_type=CSV, headers=headers)
