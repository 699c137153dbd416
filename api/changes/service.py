"""Reading the change feed, and the webhook subscriptions of partner systems.

Who sees which change: a partner (its people and its systems) the changes with an
audience row for it (``change_audiences``, written with the change from each model's
``partner_scope``); staff by kind of resource (``STAFF_ENTITIES``); viewers nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.changes.receivers import address_problems
from api.changes.recorder import entity_name
from api.changes.schemas import (
    ChangeQuery,
    ChangeRead,
    DeliveryQuery,
    WebhookCreate,
    WebhookQuery,
    decode_cursor,
    encode_cursor,
)
from api.common.etag import check_if_match
from api.config import Settings
from api.errors import (
    BadRequest,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ProblemType,
    field_problem,
)
from api.models import (
    ApiClient,
    Base,
    Change,
    ChangeAudience,
    ChangeCounter,
    DeliveryStatus,
    Entity,
    Role,
    WebhookDelivery,
    WebhookSubscription,
    utcnow,
)

# Every kind of resource the feed can carry (each ``Entity`` model's table).
ENTITIES: frozenset[str] = frozenset(
    entity_name(mapper.class_)
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Entity)
)
# Staff see the feed by kind of resource, following the roles table; a kind not listed
# (including one added later) is shown to admins only. Admins see every change.
STAFF_ENTITIES: dict[Role, frozenset[str]] = {
    Role.coordinator: frozenset(
        {
            "partners",
            "locations",
            "capacity_changes",
            "participants",
            "placements",
            "activities",
            "enrollments",
            "signals",
        }
    ),
    Role.finance: frozenset(
        {
            "locations",
            "capacity_changes",
            "reimbursement_schemes",
            "reimbursement_rates",
            "reimbursement_claims",
            "expenses",
        }
    ),
}
_CHANGE_COLUMNS = (
    Change.position,
    Change.entity,
    Change.entity_id,
    Change.operation,
    Change.version,
    Change.changed_at,
)


def start_position(after: str | None) -> int:
    if after is None:
        return 0
    position = decode_cursor(after)
    if position is None:
        raise BadRequest(
            "The cursor is not one this API handed out.",
            type_=ProblemType.INVALID_INPUT,
            errors=[
                field_problem(
                    "query", "after", "Not a valid cursor: pass a nextCursor or an item's cursor."
                )
            ],
        )
    return position


def feed_statement(principal: Principal, after: int, limit: int) -> Any:
    """The next ``limit`` changes after ``after`` the caller may see, in position order."""
    if principal.is_partner:
        if principal.partner_id is None:
            raise Forbidden("The token names no partner.")
        # Walks the (partner_id, position) index.
        return (
            select(*_CHANGE_COLUMNS)
            .select_from(ChangeAudience)
            .join(Change, Change.position == ChangeAudience.position)
            .where(ChangeAudience.partner_id == principal.partner_id)
            .where(ChangeAudience.position > after)
            .order_by(ChangeAudience.position)
            .limit(limit)
        )
    stmt = select(*_CHANGE_COLUMNS).where(Change.position > after)
    if principal.role is not Role.admin:
        kinds = STAFF_ENTITIES.get(principal.role)
        if kinds is None:
            raise Forbidden(f"The role '{principal.role.value}' may not read the change feed.")
        stmt = stmt.where(Change.entity.in_(sorted(kinds)))
    return stmt.order_by(Change.position).limit(limit)


def change_read(row: Any) -> ChangeRead:
    return ChangeRead(
        cursor=encode_cursor(row.position),
        entity=row.entity,
        id=row.entity_id,
        operation=row.operation,
        version=row.version,
        changed_at=row.changed_at,
    )


async def read_feed(
    session: AsyncSession, principal: Principal, query: ChangeQuery
) -> dict[str, Any]:
    after = start_position(query.after)
    rows = (await session.execute(feed_statement(principal, after, query.limit))).all()
    items = [change_read(row) for row in rows]
    return {
        "items": items,
        "next_cursor": items[-1].cursor if items else encode_cursor(after),
    }


# --- webhook subscriptions ------------------------------------------------------------

LOOPBACK_NAMES = frozenset({"localhost"})


def webhook_secret(settings: Settings, subscription_id: uuid.UUID) -> str:
    """The signing secret of a subscription in Standard Webhooks' form, ``whsec_`` +
    base64 of the key. The key is the 64 characters of HMAC-SHA256(server key,
    "webhook:" + id) in hex: the secret shown before signatures followed the standard,
    so a receiver that stored that one keeps the same key. Derived, never stored; it
    changes only when ``OPVANG_SECRET_KEY`` does."""
    message = f"webhook:{subscription_id}".encode()
    key = hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()
    return "whsec_" + base64.b64encode(key.encode()).decode()


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problems(url: str, settings: Settings) -> list[FieldProblem]:
    def bad(detail: str) -> list[FieldProblem]:
        return [field_problem("body", "url", detail)]

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return bad("Not a valid URL.")
    if parts.scheme not in {"http", "https"} or not host:
        return bad("Must be an absolute https URL.")
    if parts.username is not None or parts.password is not None:
        return bad("Must not carry credentials.")
    if parts.fragment:
        return bad("Must not have a fragment.")
    if parts.scheme == "http" and (settings.environment == "production" or not _is_loopback(host)):
        return bad("Must use https (plain http only to localhost, outside production).")
    return []


def _require_client(principal: Principal) -> uuid.UUID:
    if principal.kind != "client" or principal.id is None:
        raise Forbidden("Webhooks are subscribed by partner systems (API clients) only.")
    return principal.id


async def create_subscription(
    session: AsyncSession, *, data: WebhookCreate, principal: Principal, settings: Settings
) -> WebhookSubscription:
    client_id = _require_client(principal)
    # The client's row, locked: two subscriptions at once do not both pass the cap.
    if await session.get(ApiClient, client_id, with_for_update=True) is None:
        raise Forbidden("The API client has been revoked.")  # its token still runs
    problems = url_problems(data.url, settings)
    if not problems:  # resolving a malformed URL would say nothing more
        problems = await address_problems(data.url, settings)
    if data.entities is not None:
        problems += [
            field_problem("body", f"entities[{i}]", f"Unknown kind of resource '{name}'.")
            for i, name in enumerate(data.entities)
            if name not in ENTITIES
        ]
    if problems:
        raise BadRequest(
            f"The subscription has {len(problems)} invalid value(s); see errors.",
            type_=ProblemType.INVALID_INPUT,
            errors=problems,
        )
    await _check_subscription_cap(session, client_id, settings)
    # From the feed's current end on: what is committed now is not sent, what commits
    # later is (a writer still in flight gets a position above this one).
    end = (
        await session.execute(select(ChangeCounter.last_position).where(ChangeCounter.id == 1))
    ).scalar_one()
    subscription = WebhookSubscription(
        client_id=client_id,
        url=data.url,
        entities=sorted(set(data.entities)) if data.entities is not None else None,
        active=True,
        last_position=end,
    )
    session.add(subscription)
    await session.flush()
    return subscription


async def _check_subscription_cap(
    session: AsyncSession, client_id: uuid.UUID, settings: Settings
) -> None:
    """Each subscription is a POST per change: a client has a few at most."""
    cap = settings.webhook_max_subscriptions_per_client
    count = await session.scalar(
        select(func.count())
        .select_from(WebhookSubscription)
        .where(WebhookSubscription.client_id == client_id)
    )
    if (count or 0) >= cap:
        raise Conflict(
            f"This API client has {count} webhook subscriptions, the most it may have "
            f"({cap}): remove one first, or subscribe one URL to several kinds of resource.",
            type_=ProblemType.WEBHOOK_LIMIT,
            extra={"limit": cap},
        )


def subscriptions_statement(query: WebhookQuery, principal: Principal) -> Any:
    stmt = select(
        WebhookSubscription.id,
        WebhookSubscription.version,
        WebhookSubscription.created_at,
        WebhookSubscription.updated_at,
        WebhookSubscription.client_id,
        WebhookSubscription.url,
        WebhookSubscription.entities,
        WebhookSubscription.active,
    )
    if principal.role is Role.admin:
        if query.client_id is not None:
            stmt = stmt.where(WebhookSubscription.client_id == query.client_id)
        return stmt
    client_id = _require_client(principal)
    if query.client_id is not None and query.client_id != client_id:
        raise BadRequest(
            "A client lists only its own subscriptions.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("query", "clientId", "Only admins may name a client.")],
        )
    return stmt.where(WebhookSubscription.client_id == client_id)


async def get_subscription(
    session: AsyncSession, subscription_id: uuid.UUID, principal: Principal
) -> WebhookSubscription:
    """Admins reach every subscription, a client its own; anything else is not found."""
    stmt = select(WebhookSubscription).where(WebhookSubscription.id == subscription_id)
    if principal.role is not Role.admin:
        stmt = stmt.where(WebhookSubscription.client_id == _require_client(principal))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"There is no webhook subscription with id {subscription_id}.")
    return found


async def delete_subscription(
    session: AsyncSession,
    *,
    subscription_id: uuid.UUID,
    principal: Principal,
    if_match: str | None,
) -> None:
    """Its pending deliveries go with it (nothing more is sent)."""
    subscription = await get_subscription(session, subscription_id, principal)
    check_if_match(if_match, subscription.version)
    await session.delete(subscription)
    await session.flush()


async def redeliver(
    session: AsyncSession, *, subscription_id: uuid.UUID, principal: Principal
) -> int:
    """Put the subscription's ``failed`` deliveries back in the queue: ``pending``, due
    now, with a fresh count of attempts (their last error stays until the next attempt).
    Answers how many; the move is audited."""
    subscription = await get_subscription(session, subscription_id, principal)
    result: CursorResult[Any] = await session.execute(  # type: ignore[assignment]
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.status == DeliveryStatus.failed,
        )
        .values(status=DeliveryStatus.pending, attempts=0, next_attempt_at=utcnow())
    )
    requeued = int(result.rowcount or 0)
    record(
        session,
        action="webhook_redeliver",
        entity="webhook_subscriptions",
        entity_id=subscription.id,
        details={"requeued": requeued},
    )
    return requeued


def deliveries_statement(subscription_id: uuid.UUID, query: DeliveryQuery) -> Any:
    stmt = select(
        WebhookDelivery.id,
        WebhookDelivery.position,
        WebhookDelivery.status,
        WebhookDelivery.attempts,
        WebhookDelivery.last_attempt_at,
        WebhookDelivery.last_status_code,
        WebhookDelivery.last_error,
        WebhookDelivery.next_attempt_at,
        WebhookDelivery.delivered_at,
        WebhookDelivery.created_at,
    ).where(WebhookDelivery.subscription_id == subscription_id)
    if query.status is not None:
        stmt = stmt.where(WebhookDelivery.status == query.status)
    return stmt


DELIVERY_SORTABLE = {
    "cursor": WebhookDelivery.position,
    "createdAt": WebhookDelivery.created_at,
    "nextAttemptAt": WebhookDelivery.next_attempt_at,
}
DELIVERY_ORDER = [WebhookDelivery.position.desc()]
SUBSCRIPTION_SORTABLE = {
    "createdAt": WebhookSubscription.created_at,
    "url": WebhookSubscription.url,
}
SUBSCRIPTION_ORDER = [WebhookSubscription.created_at, WebhookSubscription.id]
