"""The change feed (``GET /changes``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from api.auth.roles import AnyRoleButViewer
from api.changes import service
from api.changes.schemas import ChangePage, ChangeQuery
from api.db import SessionDep
from api.openapi import api_router, responses

router = api_router("changes", prefix="/changes")

FEED = """Every committed write of a resource (`create`, `update`, `delete`), in commit
order, without the resource's data: read the resource for that (a deleted one is gone).
Pass the answer's `nextCursor` as `after` to go on; omit `after` to start at the
beginning. Cursors are opaque; one this API did not hand out is a 400 naming `after`. No
change is ever skipped or repeated, however concurrent transactions interleave: positions
are handed out in commit order, just before COMMIT.

Who sees what:

* a partner (its users and its systems): the changes of the records that belong to it
  when they are written (the locations it operates and their capacity, the participants
  placed there or in its guardianship and their placements, its activities and their
  enrollments, the signals about its locations, its own partner record);
* `admin`: every change;
* `coordinator`: `partners`, `locations`, `capacity_changes`, `participants`,
  `placements`, `activities`, `enrollments`, `signals`;
* `finance`: `locations`, `capacity_changes`, `reimbursement_schemes`,
  `reimbursement_rates`, `reimbursement_claims`, `expenses`;
* `viewer`: nothing (403)."""


@router.get(
    "",
    response_model=ChangePage,
    responses=responses(403),
    summary="Read the change feed",
    description=FEED,
)
async def list_changes(
    session: SessionDep, principal: AnyRoleButViewer, query: Annotated[ChangeQuery, Query()]
) -> dict[str, Any]:
    return await service.read_feed(session, principal, query)
