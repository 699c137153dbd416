"""Webhook subscriptions of partner systems: subscribing (the URL and its receiver
vetted), listing, reading, removing, and putting failed deliveries back in the queue.
Delivering them is the worker's (``api.webhooks.worker``)."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit.service import record
from api.auth.principal import Principal
from api.auth.scoping import FastRead
from api.changes.service import ENTITIES
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
    ChangeCounter,
    DeliveryStatus,
    Role,
    WebhookDelivery,
    WebhookSubscription,
    utcnow,
)
from api.webhooks.receivers import address_problems
from api.webhooks.schemas import DeliveryQuery, WebhookCreate, WebhookQuery, WebhookRead

LOOPBACK_NAMES = frozenset({"localhost"})


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


def _whose(principal: Principal) -> tuple[bool, Any]:
    """As ``get_subscription``: admins read every subscription, a client its own."""
    if principal.role is Role.admin:
        return False, None
    return True, _require_client(principal)


# Answers ``WebhookRead``: the secret is not a column (derived, shown on creation only).
BY_ID = FastRead(
    WebhookSubscription,
    WebhookRead,
    "webhook subscription",
    scope=lambda client_id: WebhookSubscription.client_id == client_id,
    scope_of=_whose,
)


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
