"""``GET /participants/{id}`` on the driver (``api.db.fast``): the participant in the
caller's shape and its progress history, straight to JSON, and the read audited.

All or nothing: both statements run on the request session's own driver connection
(``session_reader``), inside its transaction, after ``begin_audited_read``; the audit
event is added to that session, which writes it when the endpoint returns and before
the answer is sent. If it cannot be written the request fails and nothing is shown.

The statements are those of the list and search (``service``: the same columns per
audience, the same rule as ``_visible``: not anonymised, and a partner's scope), built
once per audience.
Staff get ``ParticipantDetail`` (with ``bsn``), a partner ``ParticipantPartnerDetail``
(no ``bsn`` member at all). Both read shapes are plain (``api.db.fast.plain_schema``),
and so is ``ProgressRead`` once its ``field`` is written as the schema's validator does;
``tests/participants/test_participant_detail.py`` compares the JSON with pydantic's.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from pydantic.alias_generators import to_camel
from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from api.audit.service import begin_audited_read, record_reads
from api.auth.principal import Principal
from api.common.etag import etag_for
from api.db.fast import DriverQuery, dumps, session_reader, wire_keys
from api.errors import NotFound
from api.models import Participant, ParticipantProgress, ProgressField
from api.participants import service
from api.participants.schemas import ParticipantPartnerRead, ParticipantRead, ProgressRead


def _participant(partner: bool) -> DriverQuery:
    schema = ParticipantPartnerRead if partner else ParticipantRead
    columns = service.PARTNER_COLUMNS if partner else service.STAFF_COLUMNS
    stmt = select(*columns).where(
        Participant.id == bindparam("participant_id"), Participant.anonymised_at.is_(None)
    )
    if partner:
        stmt = stmt.where(Participant.partner_scope(cast(uuid.UUID, bindparam("scope_partner"))))
    return DriverQuery(stmt, wire_keys(schema))


_STAFF, _PARTNER = _participant(partner=False), _participant(partner=True)
_PROGRESS = DriverQuery(
    select(ParticipantProgress.field, ParticipantProgress.value, ParticipantProgress.valid_from)
    .where(ParticipantProgress.participant_id == bindparam("participant_id"))
    .order_by(ParticipantProgress.valid_from, ParticipantProgress.id),
    wire_keys(ProgressRead),
)
# Stored as the column's name, answered as the resource's own (camelCase) field name.
_FIELD = {field: to_camel(field.value) for field in ProgressField}


async def response(
    session: AsyncSession, participant_id: uuid.UUID, principal: Principal
) -> Response:
    """The caller's shape of the participant with its progress, and its ETag; 404 when it
    is anonymised or outside the caller's scope (then nothing is audited)."""
    await begin_audited_read(session)
    params: dict[str, Any] = {"participant_id": participant_id}
    query = _STAFF
    if principal.is_partner:
        if principal.partner_id is None:  # refused at decode time; as ``scoped`` does
            raise NotFound("Not found.")
        query, params["scope_partner"] = _PARTNER, principal.partner_id
    reader = await session_reader(session)
    row = await reader.one(query, params)
    if row is None:
        raise NotFound(f"There is no participant with id {participant_id}.")
    progress = await reader.rows(_PROGRESS, {"participant_id": participant_id})
    for entry in progress:
        entry["field"] = _FIELD[entry["field"]]
    row["progress"] = progress
    record_reads(session, entity=service.ENTITY, ids=[participant_id])
    return Response(
        dumps(row), media_type="application/json", headers={"ETag": etag_for(row["version"])}
    )
