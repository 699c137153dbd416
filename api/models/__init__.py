"""ORM models only; importing this package registers every table for Alembic."""

from api.models.auth import ApiClient, LoginFailure, Role, User
from api.models.base import Base, Entity, utcnow
from api.models.partner import Partner, PartnerKind
from api.models.system import AuditEvent, IdempotencyKey

__all__ = [
    "ApiClient",
    "AuditEvent",
    "Base",
    "Entity",
    "IdempotencyKey",
    "LoginFailure",
    "Partner",
    "PartnerKind",
    "Role",
    "User",
    "utcnow",
]
