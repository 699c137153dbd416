"""Subject access (AVG art. 15): everything held on one person, as one JSON document."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.schemas import AuditEventRead
from api.audit.service import begin_audited_read, record_reads
from api.auth.principal import Principal
from api.common.pagination import read_columns
from api.common.schemas import ReadModel
from api.models import AuditEvent, EndReason, LivingAllowance, Location, Placement, utcnow
from api.participants.schemas import ParticipantRead, ProgressRead
from api.participants.service import ENTITY, load, progress_of


class ExportedPlacement(ReadModel):
    id: uuid.UUID
    location_id: uuid.UUID
    location_name: str
    start_date: date
    end_date: date | None = Field(description="Exclusive: the departure day.")
    end_reason: EndReason | None


class ExportedAllowance(ReadModel):
    starts_on: date
    ends_on: date | None = Field(description="Inclusive; `null`: ongoing.")


class ParticipantDataExport(ReadModel):
    """The person's record (BSN included), the dated progress history, the stays, and the
    audit trail of the record and its stays: who created, changed or read what, and when."""

    exported_at: datetime
    participant: ParticipantRead
    progress: list[ProgressRead]
    placements: list[ExportedPlacement]
    living_allowances: list[ExportedAllowance] = Field(
        description="When the person received the municipal living allowance, oldest first."
    )
    audit_events: list[AuditEventRead] = Field(
        description="Oldest first; this export itself is recorded as a read afterwards."
    )


async def data_export(
    session: AsyncSession, *, participant_id: uuid.UUID, principal: Principal
) -> ParticipantDataExport:
    await begin_audited_read(session)
    participant = await load(session, participant_id, principal)
    person = ParticipantRead.model_validate(participant)
    stays = (
        await session.execute(
            select(
                Placement.id,
                Placement.location_id,
                Location.name.label("location_name"),
                Placement.start_date,
                Placement.end_date,
                Placement.end_reason,
            )
            .join(Location, Location.id == Placement.location_id)
            .where(Placement.participant_id == participant_id)
            .order_by(Placement.start_date, Placement.id)
        )
    ).all()
    placements = [ExportedPlacement.model_validate(row) for row in stays]
    about = [
        (AuditEvent.entity == ENTITY) & (AuditEvent.entity_id == str(participant_id)),
    ]
    if placements:
        about.append(
            (AuditEvent.entity == "placements")
            & AuditEvent.entity_id.in_([str(p.id) for p in placements])
        )
    events = (
        await session.execute(
            select(*read_columns(AuditEvent, AuditEventRead))
            .where(or_(*about))
            .order_by(AuditEvent.id)
        )
    ).all()
    result = ParticipantDataExport(
        exported_at=utcnow(),
        participant=person,
        progress=await progress_of(session, participant_id),
        placements=placements,
        living_allowances=[
            ExportedAllowance.model_validate(row)
            for row in (
                await session.execute(
                    select(LivingAllowance.starts_on, LivingAllowance.ends_on)
                    .where(LivingAllowance.participant_id == participant_id)
                    .order_by(LivingAllowance.starts_on)
                )
            ).all()
        ],
        audit_events=[AuditEventRead.model_validate(row) for row in events],
    )
    record_reads(session, entity=ENTITY, ids=[participant_id])
    return result
