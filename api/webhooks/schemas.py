"""Webhook subscriptions and their deliveries on the wire."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, model_validator

from api.changes.schemas import encode_cursor
from api.common.pagination import PageParams
from api.common.schemas import ApiModel, ReadModel, ResourceRead
from api.models import DeliveryStatus


class WebhookCreate(ApiModel):
    url: str = Field(
        min_length=1,
        max_length=2000,
        description="Where the changes are POSTed: an `https` URL (plain `http` only to "
        "`localhost`/`127.0.0.1`/`::1`, and not in production) whose host resolves to "
        "public addresses only, or to a network the operator admits.",
    )
    entities: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Only changes of these kinds of resource (see `GET /changes`); omit "
        "it for every kind the partner may see.",
    )


class WebhookRead(ResourceRead):
    """A client's subscription. The signing secret is shown only on creation."""

    client_id: uuid.UUID = Field(description="The API client that owns the subscription.")
    url: str
    entities: list[str] | None = Field(description="null: every kind the partner may see.")
    active: bool


class WebhookCreated(WebhookRead):
    secret: str | None = Field(
        description="The key of the `webhook-signature` HMAC as Standard Webhooks write "
        "it (`whsec_` + the key in base64), shown only in this answer (null when an "
        "Idempotency-Key replays it). It is derived from the server's key and the "
        "subscription's id, never stored: it changes only if the server's key does."
    )


class WebhookQuery(PageParams):
    client_id: uuid.UUID | None = Field(default=None, description="Admin only: one client's.")


class Redelivered(ReadModel):
    """What ``_redeliver`` put back in the queue."""

    requeued: int = Field(description="How many `failed` deliveries are `pending` again.")


class DeliveryRead(ReadModel):
    """One change sent (or to be sent) to a subscription."""

    id: int = Field(description="The delivery's id, also sent as the `webhook-id` header.")
    cursor: str = Field(description="The change's cursor, as in the feed and the body.")
    status: DeliveryStatus = Field(
        description="`pending` (waiting for its next attempt), `delivered` (answered 2xx) "
        "or `failed` (gave up after the maximum number of attempts)."
    )
    attempts: int
    last_attempt_at: datetime | None
    last_status_code: int | None = Field(description="The receiver's last HTTP status.")
    last_error: str | None = Field(
        description="Why the last attempt failed, if it did: `connection failed`, "
        "`TLS failed`, `HTTP 3xx`/`4xx`/`5xx`, or that the worker stopped during it."
    )
    next_attempt_at: datetime | None = Field(description="Set while `pending`.")
    delivered_at: datetime | None
    created_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value
        pending = value.status is DeliveryStatus.pending
        return {
            "id": value.id,
            "cursor": encode_cursor(value.position),
            "status": value.status,
            "attempts": value.attempts,
            "last_attempt_at": value.last_attempt_at,
            "last_status_code": value.last_status_code,
            "last_error": value.last_error,
            "next_attempt_at": value.next_attempt_at if pending else None,
            "delivered_at": value.delivered_at,
            "created_at": value.created_at,
        }


class DeliveryQuery(PageParams):
    status: DeliveryStatus | None = None
