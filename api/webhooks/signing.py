"""Signing deliveries as the Standard Webhooks specification signs them.

``webhook-id`` (the delivery's id, the same on every retry), ``webhook-timestamp`` (the
attempt's, in seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256 of
"{id}.{timestamp}.{body}">``, so a receiver can refuse a replayed request. The signing
is the specification's own library (``standardwebhooks``); the key is derived per
subscription from the server's key, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import datetime

from standardwebhooks import Webhook

from api.config import Settings

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
ATTEMPT_HEADER = "webhook-attempt"  # ours, not the standard's: 1 on the first try


def webhook_secret(settings: Settings, subscription_id: uuid.UUID) -> str:
    """The signing secret of a subscription in Standard Webhooks' form, ``whsec_`` +
    base64 of the key. The key is the 64 characters of HMAC-SHA256(server key,
    "webhook:" + id) in hex: the secret shown before signatures followed the standard,
    so a receiver that stored that one keeps the same key. Derived, never stored; it
    changes only when ``OPVANG_SECRET_KEY`` does."""
    message = f"webhook:{subscription_id}".encode()
    key = hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()
    return "whsec_" + base64.b64encode(key.encode()).decode()


def signed_headers(secret: str, delivery_id: int, sent_at: datetime, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt (its timestamp in whole seconds)."""
    message_id = str(delivery_id)
    signature = Webhook(secret).sign(message_id, sent_at, body.decode())
    return {
        ID_HEADER: message_id,
        TIMESTAMP_HEADER: str(int(sent_at.timestamp())),
        SIGNATURE_HEADER: signature,
    }
