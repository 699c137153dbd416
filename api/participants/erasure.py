"""Erasing a person also reaches their free text and the answers stored for replays.

Free text on a person's records (a placement's capacity-override reason, typed by an
admin, may hold a name or a BSN) is overwritten when the person is anonymised; the fact
that an override was used stays visible. On SQLite, ``secure_delete`` (``api.db``) zeroes
the bytes of what is overwritten or deleted, and once the anonymisation has committed
the write-ahead log is checkpointed and truncated (``api.db.checkpoint_wal``), so the
old text lingers in neither file.

A stored answer (kept ``idempotency_ttl_hours``) may hold a person's data: the answer to
creating them, to a ``_search`` by BSN, to a partner's intake. When the person is
anonymised, every stored answer that names their id is replaced, in the same
transaction, by a 410 problem: a retry with that key gets the 410 and no personal data,
and the request is not run a second time (which could create the person again).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import or_, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes.recorder import record_changes
from api.db import CHECKPOINT_AFTER_COMMIT
from api.db.dialect import sql_of
from api.errors import PROBLEM_JSON, ProblemType
from api.models import IdempotencyKey, Placement, utcnow

CLEARED_REASON = "(cleared when the person was anonymised)"


async def clear_free_text(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> None:
    """Overwrite the free text held on the records of ``person_ids``."""
    if not person_ids:
        return
    rows = await session.execute(
        update(Placement)
        .where(
            Placement.participant_id.in_(list(person_ids)),
            Placement.capacity_override_reason.is_not(None),
        )
        .values(
            capacity_override_reason=CLEARED_REASON,
            version=Placement.version + 1,
            updated_at=utcnow(),
        )
        .returning(Placement.id, Placement.version)
        .execution_options(synchronize_session=False)
    )
    record_changes(
        session.sync_session, Placement, [(pid, "update", version) for pid, version in rows]
    )
    session.info[CHECKPOINT_AFTER_COMMIT] = True


ERASED_STATUS = 410
ERASED_BODY = json.dumps(
    {
        "type": ProblemType.ANSWER_ERASED,
        "title": "Gone",
        "status": ERASED_STATUS,
        "detail": "The first answer to this Idempotency-Key named a person whose data has "
        "since been erased, so it is not replayed; the request was carried out once.",
    },
    separators=(",", ":"),
).encode()


async def forget_stored_answers(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> None:
    """Replace every stored answer that names one of ``person_ids`` by the 410 problem.
    Stored answers live a day, so the scan is over a day's keys."""
    if not person_ids:
        return
    sql = sql_of(session)
    names = or_(
        *(
            text(sql.finds("idempotency_keys.response_body", f"p{n}")).bindparams(
                **{f"p{n}": str(pid).encode()}
            )
            for n, pid in enumerate(person_ids)
        )
    )
    await session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.state == "done", names)
        .values(
            response_status=ERASED_STATUS,
            response_headers=[["content-type", PROBLEM_JSON]],
            response_body=ERASED_BODY,
        )
        .execution_options(synchronize_session=False)
    )
