"""Failed sign-ins, counted in the database so every worker shares the limit.

A failed sign-in is answered with a problem response rather than raised, so the
request's transaction commits the recorded failure."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.config import Settings
from api.errors import TooManyRequests
from api.models import LoginFailure, utcnow


def account_key(name: str) -> str:
    return hashlib.sha256(name.strip().lower().encode()).hexdigest()


async def check(session: AsyncSession, settings: Settings, *, account: str, address: str) -> None:
    since = utcnow() - timedelta(seconds=settings.login_window_seconds)
    by_account = select(func.count()).where(
        LoginFailure.account_key == account, LoginFailure.at >= since
    )
    by_address = select(func.count()).where(
        LoginFailure.address == address, LoginFailure.at >= since
    )
    if (await session.scalar(by_account) or 0) >= settings.login_max_failures or (
        await session.scalar(by_address) or 0
    ) >= settings.login_max_failures_per_address:
        raise TooManyRequests(
            "Too many failed sign-in attempts; try again later.",
            headers={"Retry-After": str(settings.login_window_seconds)},
            extra={"error": "invalid_request"},
        )


async def record_failure(
    session: AsyncSession, settings: Settings, *, account: str, address: str
) -> None:
    cutoff = utcnow() - timedelta(seconds=settings.login_window_seconds)
    await session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    session.add(LoginFailure(account_key=account, address=address))


async def clear(session: AsyncSession, *, account: str) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.account_key == account))
