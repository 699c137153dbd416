"""The change feed on the wire."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from pydantic import Field

from api.common.schemas import QueryModel, ReadModel

_CURSOR_BODY = re.compile(r"c1\.(0|[1-9][0-9]{0,17})")


def encode_cursor(position: int) -> str:
    """A feed position as an opaque, versioned cursor (base64url of ``c1.<position>``)."""
    return base64.urlsafe_b64encode(f"c1.{position}".encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> int | None:
    """The position in a cursor of ours, or None when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    match = _CURSOR_BODY.fullmatch(raw)
    if match is None or encode_cursor(int(match[1])) != cursor:
        return None
    return int(match[1])


CURSOR = "An opaque cursor: pass it back as `after` to continue after this change."
ENTITY = (
    "The kind of resource, as its collection is named in the database "
    "(`locations`, `participants`, `placements`, `reimbursement_claims`, ...)."
)


class ChangeRead(ReadModel):
    """One committed write of one resource. Read the resource itself for its data."""

    cursor: str = Field(description=CURSOR)
    entity: str = Field(description=ENTITY)
    id: str = Field(description="The resource's id.")
    operation: str = Field(description="`create`, `update` or `delete`.")
    version: int | None = Field(description="The resource's version after the write.")
    changed_at: datetime


class ChangePage(ReadModel):
    items: list[ChangeRead] = Field(description="In commit order.")
    next_cursor: str = Field(
        description="Pass as `after` to continue after the last item; when there are no "
        "items, the cursor that was passed (or the start of the feed): poll it again later."
    )


class ChangeQuery(QueryModel):
    after: str | None = Field(
        default=None,
        max_length=200,
        description="A `nextCursor` or an item's `cursor` from an earlier answer; omit it "
        "to start at the beginning of the feed.",
    )
    limit: int = Field(default=100, ge=1, le=1000, description="At most this many items.")
