"""Token generations: does the generation a token names still belong to its subject?

Every user and API client has a ``token_generation``, and a token names the one its
subject had when it was issued. Changing what a token of the subject may do (role,
partner, password) raises it; deleting the subject removes the row. Either way the
earlier tokens are refused from then on, not only when they expire.

The check runs on every authenticated request, so each worker keeps the generations it
read for ``token_generation_cache_seconds`` (1 s by default): at most one primary-key
read per subject per worker per period, and none on the hot path in between. A change
made through this worker forgets its subject at once and again when it commits; other
workers notice when their entry runs out. So, on any worker, a token stops working at
most that long after the change is committed (architecture habit 12: the truth is in the
database, the process only remembers it briefly).
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from sqlalchemy import bindparam, event, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.principal import Principal
from api.db import Database
from api.db.fast import DriverQuery, reading
from api.models import ApiClient, User

Kind = Literal["user", "client"]

GONE = -1
"""What the database says of a subject that no longer exists: matches no token."""

_LOOKUP: dict[str, DriverQuery] = {
    "user": DriverQuery(
        select(User.token_generation).where(User.id == bindparam("subject")), ["generation"]
    ),
    "client": DriverQuery(
        select(ApiClient.token_generation).where(ApiClient.id == bindparam("subject")),
        ["generation"],
    ),
}
# (kind, id) -> (generation, monotonic time the entry runs out)
_cache: dict[tuple[str, uuid.UUID], tuple[int, float]] = {}
_MAX_ENTRIES = 100_000


async def is_current(db: Database, principal: Principal, generation: int, *, ttl: float) -> bool:
    """Whether ``generation`` is the subject's current one (cached for ``ttl`` seconds)."""
    if principal.id is None or principal.kind not in _LOOKUP:
        return False  # no token names the system
    key = (principal.kind, principal.id)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and cached[1] > now:
        return cached[0] == generation
    current = await _read(db, principal.kind, principal.id)
    if ttl > 0:
        if len(_cache) >= _MAX_ENTRIES:
            _drop_expired(now)
        _cache[key] = (current, now + ttl)
    return current == generation


async def _read(db: Database, kind: str, subject: uuid.UUID) -> int:
    # One indexed read on a driver connection of its own (``api.db.fast``; autocommit on
    # PostgreSQL), before the request's own session has done anything.
    async with reading(db) as reader:
        value = await reader.scalar(_LOOKUP[kind], {"subject": subject})
    return GONE if value is None else int(value)


def _drop_expired(now: float) -> None:
    for key in [k for k, (_, until) in _cache.items() if until <= now]:
        del _cache[key]
    if len(_cache) >= _MAX_ENTRIES:  # all fresh: a flood of subjects; start over
        _cache.clear()


def forget(session: AsyncSession, kind: Kind, subject: uuid.UUID) -> None:
    """The subject's generation changes (or the subject goes) in ``session``'s
    transaction: this worker rereads it on the next request, and again after the commit
    (a request in between could have read the old value)."""
    _cache.pop((kind, subject), None)

    def after_commit(_session: Any) -> None:
        _cache.pop((kind, subject), None)

    event.listen(session.sync_session, "after_commit", after_commit, once=True)
