"""Webhook subscriptions (``/webhooks``): a partner system (an API client) manages its
own, an admin sees and removes any."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status

from api.auth.deps import SettingsDep
from api.auth.roles import AdminOrPartner
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.idempotency import redact_on_replay
from api.models import WebhookSubscription
from api.openapi import api_router, responses
from api.webhooks import service
from api.webhooks.schemas import (
    DeliveryQuery,
    DeliveryRead,
    Redelivered,
    WebhookCreate,
    WebhookCreated,
    WebhookQuery,
    WebhookRead,
)
from api.webhooks.signing import webhook_secret

router = api_router("webhooks", prefix="/webhooks")

WebhookId = Annotated[uuid.UUID, Path(alias="id", description="The subscription's id.")]


def _created(subscription: WebhookSubscription, secret: str) -> WebhookCreated:
    read = WebhookRead.model_validate(subscription).model_dump(by_alias=False)
    return WebhookCreated.model_validate({**read, "secret": secret})


@router.get("", response_model=Page[WebhookRead], responses=responses(403), summary="List webhooks")
async def list_webhooks(
    session: SessionDep,
    principal: AdminOrPartner,
    query: Annotated[WebhookQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """A partner system (API client) lists its own subscriptions, an admin everyone's."""
    return await paginate(
        session,
        service.subscriptions_statement(query, principal),
        params=query,
        request=request,
        response=response,
        sortable=service.SUBSCRIPTION_SORTABLE,
        default_order=service.SUBSCRIPTION_ORDER,
        read=WebhookRead,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    responses=responses(403, 409),
    summary="Subscribe a webhook; the signing secret is shown once",
)
async def create_webhook(
    session: SessionDep,
    principal: AdminOrPartner,
    settings: SettingsDep,
    data: WebhookCreate,
    request: Request,
    response: Response,
) -> WebhookCreated:
    """Only a partner system (an API client) subscribes. From the moment of subscribing on,
    every change its partner may see (see `GET /changes`), of the `entities` named if any,
    is POSTed to `url`, one change per request, with the body of a feed item:
    `{"cursor", "entity", "id", "operation", "version", "changedAt"}`. Earlier changes
    are in the feed.

    Signed as Standard Webhooks sign (see the README for a receiver's check):
    `webhook-id`, the delivery's id (the same on every retry: use it to drop
    duplicates); `webhook-timestamp`, when the attempt was sent (Unix seconds: refuse
    one too far from now, a replay); `webhook-signature: v1,<base64>`, the HMAC-SHA256
    of `{webhook-id}.{webhook-timestamp}.{raw body}` keyed with the `secret` of this
    answer (`whsec_` + the key in base64; compare in constant time); `webhook-attempt`,
    1 on the first try. Any 2xx answer acknowledges; anything else, or no answer within
    the timeout, is retried after 1, 2, 4, 8 ... seconds (capped at an hour) until the
    maximum number of attempts (`OPVANG_WEBHOOK_MAX_ATTEMPTS`, default 10), then the
    delivery is `failed`. Deliveries may arrive out of order (a retried one after a later
    change); order them by the feed (`cursor`) if it matters. Follow their state at
    `GET /webhooks/{id}/deliveries`.

    The receiver must be on the public internet: `url`'s host must resolve, and only to
    public addresses (not loopback, private, link-local, unique-local, multicast or
    reserved ones, also in IPv6 forms), unless its network is admitted by the operator
    (`OPVANG_WEBHOOK_ALLOWED_NETWORKS`); else 400 naming `url`. The worker checks the
    address again on every connection. A client has at most
    `OPVANG_WEBHOOK_MAX_SUBSCRIPTIONS_PER_CLIENT` (default 5) subscriptions: 409 beyond.

    The secret is derived from the server's key and the subscription's id, so it is not
    stored and cannot be shown again: store it now."""
    subscription = await service.create_subscription(
        session, data=data, principal=principal, settings=settings
    )
    redact_on_replay(request, "secret")
    set_etag(response, subscription.version)
    set_location(response, "webhooks", subscription.id)
    return _created(subscription, webhook_secret(settings, subscription.id))


@router.get("/{id}", response_model=WebhookRead, responses=responses(403), summary="Read a webhook")
async def read_webhook(
    request: Request, principal: AdminOrPartner, webhook_id: WebhookId
) -> Response:
    return await service.BY_ID.response(request, webhook_id, principal)


@router.delete(
    "/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(403, 412),
    summary="Remove a webhook",
)
async def delete_webhook(
    session: SessionDep,
    principal: AdminOrPartner,
    webhook_id: WebhookId,
    if_match: IfMatchHeader = None,
) -> None:
    """Nothing more is sent; its deliveries, also the pending ones, go with it."""
    await service.delete_subscription(
        session, subscription_id=webhook_id, principal=principal, if_match=if_match
    )


@router.get(
    "/{id}/deliveries",
    response_model=Page[DeliveryRead],
    responses=responses(403),
    summary="List a webhook's deliveries",
)
async def list_webhook_deliveries(
    session: SessionDep,
    principal: AdminOrPartner,
    webhook_id: WebhookId,
    query: Annotated[DeliveryQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    """Newest change first by default (`sort=cursor` for oldest first); `status` filters.
    `nextAttemptAt` is set while a delivery is `pending`."""
    await service.get_subscription(session, webhook_id, principal)
    return await paginate(
        session,
        service.deliveries_statement(webhook_id, query),
        params=query,
        request=request,
        response=response,
        sortable=service.DELIVERY_SORTABLE,
        default_order=service.DELIVERY_ORDER,
        read=DeliveryRead,
    )


@router.post(
    "/{id}/_redeliver",
    response_model=Redelivered,
    responses=responses(403),
    summary="Send a webhook's failed deliveries again",
)
async def redeliver_webhook(
    session: SessionDep, principal: AdminOrPartner, webhook_id: WebhookId
) -> Redelivered:
    """Once the receiver is fixed: every `failed` delivery of the subscription becomes
    `pending` again, due at once, with the full number of attempts and the same back-off.
    Delivered and pending ones are left as they are. Answers how many were put back."""
    requeued = await service.redeliver(session, subscription_id=webhook_id, principal=principal)
    return Redelivered(requeued=requeued)
