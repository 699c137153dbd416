"""GET /public/locations and GET /public/candidate-locations: per location (and per
possible new location) what residents may know, for the public page /publiek.

Which: locations marked ``public`` that are open, not yet open (decided, opening soon), or
closed within the last twelve months (so residents can still see how the agreements
ended); candidates marked ``public``, in any stage.

What: name, kind, places in bands (``location_schemas.PlacesBand``), dates, the contact
line and note the municipality wrote for residents, the agreements with the
neighbourhood (a partner's name may show, a staff user's never), the meetings held
(residents present hidden below 5) and the last communications. Candidates: the dated
stage history without its notes or authors. The candidates' criteria scores and their
notes are not public: they are the municipality's own weighing before a council
decision, and the council proposal publishes them in its own words.

Caching: the API's ``Cache-Control: no-store`` is kept, like /public/summary.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from api.auth.deps import PUBLIC
from api.common.calendar import today
from api.db import SessionDep
from api.models import Location
from api.models.support import CandidateLocation, CandidateStageChange, Communication, Meeting
from api.openapi import api_router
from api.public import location_sql as sql
from api.public.location_schemas import (
    PublicCandidate,
    PublicCandidateList,
    PublicLocationInfo,
    PublicLocationList,
    PublicStageChange,
    places_band,
)

router = api_router("public", prefix="/public")


def year_ago(on: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return on.replace(year=on.year - 1)
    except ValueError:
        return on.replace(year=on.year - 1, day=28)


def places_day(on: date, opened: date, closed: date | None) -> date:
    """The day whose places are shown: today, the opening day of a location that is not
    open yet, or the last open day of a closed one."""
    if on < opened:
        return opened
    if closed is not None and closed < on:
        return closed
    return on


@router.get(
    "/locations",
    response_model=PublicLocationList,
    openapi_extra=PUBLIC,
    summary="Public information per reception location",
)
async def public_locations(session: SessionDep) -> PublicLocationList:
    """Anonymous. The locations the municipality has made public: open, opening, or
    closed within the last twelve months. Places in bands; agreements with the
    neighbourhood and their status; meetings held (residents present of 1 to 4:
    `{"count": null, "suppressed": true}`); the last five communications. No occupancy,
    no person."""
    on = today()
    rows = (
        await session.execute(
            select(
                Location.id,
                Location.name,
                Location.kind,
                Location.opened_on,
                Location.closed_on,
                Location.available_until,
                Location.public_contact,
                Location.public_note,
            )
            .where(
                Location.public.is_(True),
                or_(Location.closed_on.is_(None), Location.closed_on >= year_ago(on)),
            )
            .order_by(Location.name, Location.id)
        )
    ).all()
    ids = [row.id for row in rows]
    places = await sql.places_on(
        session, {row.id: places_day(on, row.opened_on, row.closed_on) for row in rows}
    )
    agreements = await sql.agreements(session, ids)
    meetings = await sql.meetings(session, Meeting.location_id, ids, on=on)
    sent = await sql.communications(session, Communication.location_id, ids, on=on)
    return PublicLocationList(
        on=on,
        items=[
            PublicLocationInfo(
                id=row.id,
                name=row.name,
                kind=row.kind,
                places_band=places_band(places.get(row.id)),
                opened_on=row.opened_on,
                closed_on=row.closed_on,
                available_until=row.available_until,
                contact=row.public_contact,
                note=row.public_note,
                agreements=agreements.get(row.id, []),
                meetings=meetings.get(row.id, []),
                communications=sent.get(row.id, []),
            )
            for row in rows
        ],
    )


@router.get(
    "/candidate-locations",
    response_model=PublicCandidateList,
    openapi_extra=PUBLIC,
    summary="Possible new locations the municipality has made public",
)
async def public_candidates(session: SessionDep) -> PublicCandidateList:
    """Anonymous. Each public candidate with its area, proposed kind, places in bands,
    planned duration in months, its stage and the dated stage history (no notes), the
    meetings held about it and its last five communications. Criteria scores are not
    public."""
    on = today()
    rows = (
        await session.execute(
            select(
                CandidateLocation.id,
                CandidateLocation.name,
                CandidateLocation.address,
                CandidateLocation.proposed_kind,
                CandidateLocation.proposed_places,
                CandidateLocation.planned_months,
                CandidateLocation.stage,
            )
            .where(CandidateLocation.public.is_(True))
            .order_by(CandidateLocation.name, CandidateLocation.id)
        )
    ).all()
    ids = [row.id for row in rows]
    history: dict[object, list[PublicStageChange]] = {}
    if ids:
        changes = await session.execute(
            select(
                CandidateStageChange.candidate_id,
                CandidateStageChange.stage,
                CandidateStageChange.changed_on,
            )
            .where(CandidateStageChange.candidate_id.in_(ids))
            .order_by(CandidateStageChange.changed_on, CandidateStageChange.id)
        )
        for candidate_id, stage, changed_on in changes:
            history.setdefault(candidate_id, []).append(
                PublicStageChange(stage=stage, changed_on=changed_on)
            )
    meetings = await sql.meetings(session, Meeting.candidate_id, ids, on=on)
    sent = await sql.communications(session, Communication.candidate_id, ids, on=on)
    return PublicCandidateList(
        on=on,
        items=[
            PublicCandidate(
                id=row.id,
                name=row.name,
                area=row.address,
                proposed_kind=row.proposed_kind,
                places_band=places_band(row.proposed_places),
                planned_months=row.planned_months,
                stage=row.stage,
                history=history.get(row.id, []),
                meetings=meetings.get(row.id, []),
                communications=sent.get(row.id, []),
            )
            for row in rows
        ],
    )
