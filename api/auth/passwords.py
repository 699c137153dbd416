"""Argon2id hashes for passwords and client secrets (argon2-cffi)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from api.config import Settings


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hasher(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


def hash_secret(settings: Settings, secret: str) -> str:
    return hasher(settings).hash(secret)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    return _hasher(time_cost, memory_kib).hash("no-such-account")


def verify_secret(settings: Settings, stored_hash: str | None, secret: str) -> bool:
    """Constant work whether or not the account exists, so timing does not reveal it."""
    ph = hasher(settings)
    target = stored_hash or _dummy_hash(settings.argon2_time_cost, settings.argon2_memory_kib)
    try:
        ok = ph.verify(target, secret)
    except (VerificationError, InvalidHashError):
        return False
    return ok and stored_hash is not None
