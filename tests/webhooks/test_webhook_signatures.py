"""Webhook deliveries are signed as Standard Webhooks sign them (`webhook-id`,
`webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
a `whsec_` secret), so a receiver can refuse replays. The README's verification example
is run here, as printed, on real deliveries to a real receiver; so is the
`standardwebhooks` library's verifier."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from api.config import Settings
from api.db import Database
from api.models import utcnow
from api.webhooks.signing import webhook_secret
from api.webhooks.worker import WebhookWorker
from tests.conftest import ROOT
from tests.support import records
from tests.support.builders import Builder
from tests.support.webhooks import Clock, Received, receiver

README = ROOT / "README.md"
Verifier = Callable[[str, Any, bytes], bool]


def readme_verifier() -> Verifier:
    """The README's `verify_webhook`, executed as printed."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    [code] = [b for b in blocks if "def verify_webhook(" in b]
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    return cast(Verifier, namespace["verify_webhook"])


async def delivered(
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> tuple[str, Received]:
    """One real delivery of a new location's change, sent at the clock's time."""
    ours = await build.partner()
    h = build.client_headers(await build.api_client(ours))
    with receiver() as hook:
        r = await client.post(
            "/api/v1/webhooks", json={"url": hook.url, "entities": ["locations"]}, headers=h
        )
        assert r.status_code == 201, r.text
        await records.location(db, ours)
        s = settings.model_copy(update={"webhooks_enabled": False})
        async with WebhookWorker(db, s, clock=clock) as worker:
            assert await worker.run_once() == 1
    [request] = hook.received
    secret: str = r.json()["secret"]
    assert secret == webhook_secret(settings, uuid.UUID(r.json()["id"]))
    return secret, request


async def test_a_delivery_verifies_with_the_readme_code(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    verify = readme_verifier()
    clock = Clock()
    secret, request = await delivered(client, build, db, settings, clock)
    headers = request.headers
    assert secret.startswith("whsec_")
    assert headers["webhook-id"].isdigit()
    assert headers["webhook-timestamp"] == str(int(clock.now.timestamp()))
    assert re.fullmatch(r"v1,[A-Za-z0-9+/]{43}=", headers["webhook-signature"])
    assert "sha256=" not in headers["webhook-signature"]  # the old body-only signature
    assert verify(secret, headers, request.body)
    # The specification's own library agrees (the secret in its `whsec_` form).
    assert Webhook(secret).verify(request.body, headers) == request.json
    # Tampered: the body, the id (another delivery's), the timestamp (made fresh), the key.
    assert not verify(secret, headers, request.body.replace(b"locations", b"expenses"))
    other_id = str(int(headers["webhook-id"]) + 1)
    assert not verify(secret, {**headers, "webhook-id": other_id}, request.body)
    later = str(int(headers["webhook-timestamp"]) + 60)
    assert not verify(secret, {**headers, "webhook-timestamp": later}, request.body)
    another = webhook_secret(settings, uuid.uuid4())
    assert not verify(another, headers, request.body)
    assert not verify(secret, {}, request.body)
    assert not verify(secret, {**headers, "webhook-timestamp": "soon"}, request.body)


async def test_a_replayed_delivery_is_refused(
    client: httpx.AsyncClient, build: Builder, db: Database, settings: Settings
) -> None:
    """A request captured ten minutes ago and sent again: correctly signed, but stale."""
    verify = readme_verifier()
    secret, request = await delivered(
        client, build, db, settings, Clock(utcnow() - timedelta(minutes=10))
    )
    assert not verify(secret, request.headers, request.body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(request.body, request.headers)


def test_the_secret_is_the_former_key_in_whsec_form(settings: Settings) -> None:
    """A receiver that stored a subscription's secret before the change (hex) keeps the
    same key: `whsec_` + base64 of those characters."""
    import base64
    import hashlib
    import hmac

    sub = uuid.uuid4()
    former = hmac.new(
        settings.secret_key.encode(), f"webhook:{sub}".encode(), hashlib.sha256
    ).hexdigest()
    assert webhook_secret(settings, sub) == "whsec_" + base64.b64encode(former.encode()).decode()
