"""How ``opvang serve`` runs uvicorn: which proxies are believed about the client's
address, and a refusal to expose a development server whose tokens anyone could forge."""

from __future__ import annotations

import ipaddress
from typing import Any

from api.config import DEFAULT_SECRET, PLACEHOLDER_SECRETS, Settings

MIN_SECRET_LENGTH = 32  # as the settings demand outside development


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 (also written ``[::1]`` or IPv4-mapped) and ``localhost``."""
    name = host.strip().removeprefix("[").removesuffix("]").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def uses_placeholder_secret(settings: Settings) -> bool:
    key = settings.secret_key
    return key in PLACEHOLDER_SECRETS or key == DEFAULT_SECRET or len(key) < MIN_SECRET_LENGTH


def exposure_refusal(settings: Settings, host: str) -> str | None:
    """Why serving on ``host`` is refused, or None. Development allows the placeholder
    secret (outside development the settings refuse it), and with it anyone can sign an
    admin token: such a server answers on the loopback interface only."""
    if is_loopback(host) or not uses_placeholder_secret(settings):
        return None
    return (
        f"Refusing to serve on {host}: OPVANG_SECRET_KEY is a development placeholder, so "
        "anyone who can reach this address could forge an admin token. Set "
        f"OPVANG_SECRET_KEY to a random value of at least {MIN_SECRET_LENGTH} characters, "
        "or serve on 127.0.0.1."
    )


def proxy_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy options: ``X-Forwarded-For`` and ``-Proto`` are believed only from
    OPVANG_FORWARDED_ALLOW_IPS, and with none listed not at all (uvicorn's own default
    believes any process on 127.0.0.1). uvicorn rewrites the ASGI ``client`` and
    ``scheme``, so ``request.client.host`` (the login throttle's address) is the one
    believed."""
    trusted = [str(network) for network in settings.forwarded_allow_ips]
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}
