"""Failed sign-ins, counted in the database so every worker shares the limit.

Two limits within the window:

- per account *and* address (``login_max_failures``): guessing at one account from one
  place is stopped, but an attacker elsewhere cannot lock the owner out: failures from
  address A do not block the right password from address B;
- per address (``login_max_failures_per_address``): one place guessing at many accounts
  is braked for all of them.

An IPv6 address counts as its /64 (a single host usually has a whole /64 to step
through). A failed sign-in is answered with a problem response rather than raised, so
the request's transaction commits the recorded failure."""

from __future__ import annotations

import hashlib
import ipaddress
import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.config import Settings
from api.errors import TooManyRequests
from api.models import LoginFailure, utcnow


def account_key(name: str) -> str:
    return hashlib.sha256(name.strip().lower().encode()).hexdigest()


def address_key(host: str) -> str:
    """What failures are counted against: the IPv4 address, or the IPv6 /64."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]  # not an address (a test client, a Unix socket): as it is
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


async def check(session: AsyncSession, settings: Settings, *, account: str, address: str) -> None:
    """Raise 429 when either limit is reached; ``Retry-After`` says when it lifts."""
    now = utcnow()
    since = now - timedelta(seconds=settings.login_window_seconds)
    pair = and_(LoginFailure.account_key == account, LoginFailure.address == address)
    by_address = LoginFailure.address == address
    limits = (
        (pair, settings.login_max_failures),
        (by_address, settings.login_max_failures_per_address),
    )
    # Both counts in one round trip; the account index and the address index serve them.
    counts = (
        await session.execute(
            select(
                *(
                    select(func.count()).where(where, LoginFailure.at >= since).scalar_subquery()
                    for where, _ in limits
                )
            )
        )
    ).one()
    waits = [
        await _until_below(session, where, since, count - limit, settings)
        for (where, limit), count in zip(limits, counts, strict=True)
        if count >= limit
    ]
    if waits:
        raise TooManyRequests(
            "Too many failed sign-in attempts; try again later.",
            headers={"Retry-After": str(max(1, math.ceil(max(waits))))},
            extra={"error": "invalid_request"},
        )


async def _until_below(
    session: AsyncSession,
    where: ColumnElement[bool],
    since: datetime,
    excess: int,
    settings: Settings,
) -> float:
    """Seconds until enough failures leave the window for the count to drop below the
    limit: the (excess + 1)-th oldest counted one must leave, not a whole window."""
    releasing: datetime | None = await session.scalar(
        select(LoginFailure.at)
        .where(where, LoginFailure.at >= since)
        .order_by(LoginFailure.at)
        .offset(excess)
        .limit(1)
    )
    if releasing is None:  # gone meanwhile: the limit lifts now
        return 0.0
    lifted = releasing + timedelta(seconds=settings.login_window_seconds)
    return (lifted - utcnow()).total_seconds()


async def record_failure(
    session: AsyncSession, settings: Settings, *, account: str, address: str
) -> None:
    cutoff = utcnow() - timedelta(seconds=settings.login_window_seconds)
    await session.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
    session.add(LoginFailure(account_key=account, address=address))


async def clear(session: AsyncSession, *, account: str, address: str) -> None:
    """A successful sign-in forgets that account's failures from that address only: the
    owner signing in elsewhere does not hand an attacker a fresh set of guesses."""
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.account_key == account, LoginFailure.address == address
        )
    )
