from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.responses import JSONResponse

from api.auth.deps import SettingsDep
from api.auth.roles import PartnerOnly
from api.db import SessionDep
from api.errors import Forbidden
from api.openapi import api_router, responses
from api.partner_events import service
from api.partner_events.schemas import PartnerEventBatch, PartnerEventResults

router = api_router("partner-events", prefix="/partner-events")

# Partner systems (clients) and partner users only: staff have the normal endpoints.


@router.post(
    "",
    response_model=PartnerEventResults,
    responses=responses(409),
    summary="Apply a batch of partner events",
)
async def post_partner_events(
    session: SessionDep,
    principal: PartnerOnly,
    settings: SettingsDep,
    data: PartnerEventBatch,
    atomic: Annotated[
        bool,
        Query(description="`false`: apply the valid events and report the others."),
    ] = True,
) -> JSONResponse:
    """Intake, transfer, departure and update events from a partner's own system, in
    the order given, at most 1000 per batch. The partner's `externalRef`
    identifies the person. Each `eventId` is applied once, ever: a replay answers
    `duplicate`. By default the batch is atomic: if any event is rejected nothing is
    applied and the answer is a 409 whose `results` mark the valid events
    `not_applied`. With `atomic=false` the events that break a rule are rejected and
    the others applied; but a batch with an event that does not match the schema of an
    event (an unknown type, a missing field, a wrong type) is a malformed request: a
    400 with the same per-event results, nothing applied. The placement rules apply
    as to every writer, except capacity: an intake that overfills a location is applied
    and raises a high-severity `capacity` signal."""
    if principal.partner_id is None:
        raise Forbidden("Only a partner's system or user may post partner events.")
    results = await service.apply(
        session,
        events=data.events,
        actor=principal,
        atomic=atomic,
        queue_timeout=min(
            settings.partner_events_queue_seconds, settings.db_statement_timeout_ms / 1000
        ),
    )
    # The results are built as plain data in the documented shape: sent as they are.
    return JSONResponse({"results": results})
