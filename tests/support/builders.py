"""Small builders for test data, written through the same sessions the app uses."""

from __future__ import annotations

import uuid
from typing import Any

from api.auth.passwords import hash_secret
from api.auth.principal import Principal
from api.auth.tokens import create_access_token
from api.config import Settings
from api.db import Database
from api.models import ApiClient, Partner, PartnerKind, Role, User
from tests.support import subjects


class Builder:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    async def partner(
        self, name: str | None = None, kind: PartnerKind = PartnerKind.coa
    ) -> Partner:
        async with self.db.sessionmaker() as session, session.begin():
            partner = Partner(name=name or f"Partner {uuid.uuid4().hex[:8]}", kind=kind)
            session.add(partner)
        return partner

    async def user(
        self,
        role: Role = Role.admin,
        *,
        partner: Partner | None = None,
        email: str | None = None,
        password: str = "correct horse battery",
    ) -> User:
        async with self.db.sessionmaker() as session, session.begin():
            user = User(
                email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@heemstede.example",
                password_hash=hash_secret(self.settings, password),
                role=role,
                partner_id=partner.id if partner else None,
            )
            session.add(user)
        return user

    async def api_client(self, partner: Partner, secret: str = "s3cret-client") -> ApiClient:
        async with self.db.sessionmaker() as session, session.begin():
            client = ApiClient(
                client_id=f"opv_{uuid.uuid4().hex[:12]}",
                secret_hash=hash_secret(self.settings, secret),
                name="Test client",
                partner_id=partner.id,
            )
            session.add(client)
        return client

    def token(self, principal: Principal) -> str:
        """A token for ``principal``; a made-up user becomes real on first use."""
        subjects.minted(principal)
        return create_access_token(self.settings, principal)[0]

    def headers_for(
        self, role: Role, partner: Partner | None = None, /, **extra: str
    ) -> dict[str, str]:
        return auth_headers(self.settings, role, partner, **extra)

    def client_headers(self, client: ApiClient, **extra: str) -> dict[str, str]:
        principal = Principal(
            kind="client", id=client.id, role=Role.partner, partner_id=client.partner_id
        )
        return {"Authorization": f"Bearer {self.token(principal)}", **extra}


def auth_headers(
    settings: Settings, role: Role, partner: Partner | None = None, /, **extra: str
) -> dict[str, str]:
    """A bearer token for a made-up user of ``role``; the test client writes that user
    into the database on first use (``tests.support.subjects``)."""
    principal = Principal(
        kind="user", id=uuid.uuid4(), role=role, partner_id=partner.id if partner else None
    )
    subjects.minted(principal)
    token = create_access_token(settings, principal)[0]
    return {"Authorization": f"Bearer {token}", **extra}


def problem(response: Any) -> dict[str, Any]:
    """Assert the response is problem+json and return its body."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    assert {"type", "title", "status", "detail"} <= body.keys()
    return body
