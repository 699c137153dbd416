"""Argon2id hashes for passwords and client secrets (argon2-cffi), and the password
policy (zxcvbn)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

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


# zxcvbn rates the first 72 characters (its own default): past that it slows down
# quadratically, and a password whose first 72 characters are weak is weak.
_RATED_LENGTH = 72
_HINT = (
    "Too easy to guess: it is a common password, close to one, or a simple pattern. "
    "A few unrelated words make a strong password that is easy to remember."
)


def password_problem(settings: Settings, password: str, *, email: str | None) -> str | None:
    """Why ``password`` is refused, in a sentence (never repeating it), or None when it
    may be used. zxcvbn estimates how many guesses it takes, against the 30,000 most
    common passwords of public breaches, English words, names, keyboard walks, repeats,
    sequences and dates, and against the account's own e-mail address."""
    hints = ["opvang", "heemstede"]
    if email:
        local, _, domain = email.partition("@")
        hints += [email, local, domain]
    rating = zxcvbn(password[:_RATED_LENGTH], user_inputs=hints)
    if int(rating["score"]) >= settings.password_min_score:
        return None
    warning = str(rating["feedback"].get("warning") or "").strip()
    return f"{_HINT} {warning}".strip() if warning else _HINT
