"""Where webhooks may go: receivers on public addresses only (and in the networks an
operator admits with ``OPVANG_WEBHOOK_ALLOWED_NETWORKS``), checked when subscribing and
again on every connection the worker opens.

A subscription's host is resolved and refused when any of its addresses is not public:
loopback, private, shared (CGNAT), link-local, unique- and site-local, multicast,
reserved, unspecified, documentation ranges, and IPv6 forms that carry such an IPv4
address (IPv4-mapped, NAT64, 6to4, Teredo). A name that does not resolve gets the same
answer as one that resolves inside, so subscribing tells nothing about the network.

Delivery resolves again, inside httpcore's connect (``VettingBackend``), and connects to
the very address it vetted, so a name that resolves to the inside between the check and
the connection (DNS rebinding) gets nowhere. The URL keeps its host name: the Host
header, TLS SNI and the certificate check are the name's, and pooled connections are
per name. Failures are told apart only coarsely (``outcome_error``), so a receiver's
``lastError`` is no port scanner.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

import httpcore
import httpx

from api.config import Settings
from api.errors import FieldProblem, field_problem

IPAddress = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
# host, port -> the addresses to connect to (tests pass their own, as they pass a clock).
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]

NOT_PUBLIC = (
    "Must be a receiver on the public internet: its host must resolve, and only to public "
    "addresses."
)
CONNECTION_FAILED = "connection failed"
TLS_FAILED = "TLS failed"
# Names and addresses tried per connection: a name with dozens of records is no reason
# to spend dozens of connect timeouts.
MAX_ADDRESSES = 4

_NAT64 = ip_network("64:ff9b::/96")  # the well-known prefix: an IPv4 address in IPv6


class Refused(Exception):
    """The host does not resolve, or not to public (or admitted) addresses only."""


async def system_resolve(host: str, port: int) -> list[IPAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ip_address(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def _normalised(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address (``::ffff:127.0.0.1``) is the IPv4 address it maps."""
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _public(address: IPAddress) -> bool:
    # ``is_global`` alone lets multicast and IPv6 site-local through (Python 3.11).
    if not address.is_global or address.is_multicast or address.is_reserved:
        return False
    if address.is_private or address.is_loopback or address.is_link_local:
        return False
    return not (isinstance(address, IPv6Address) and address.is_site_local)


def permitted(address: IPAddress, allowed: Iterable[Network]) -> bool:
    """Whether a webhook may connect to ``address``."""
    address = _normalised(address)
    # ``in`` does not compare versions in Python 3.11: an IPv4 address can "be" in ::/96.
    if any(address.version == net.version and address in net for net in allowed):
        return True
    if isinstance(address, IPv6Address):
        if address in _NAT64:  # judged by the IPv4 address the gateway connects to
            return _public(IPv4Address(int(address) & 0xFFFFFFFF))
        embedded = address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is not None and not _public(embedded):
            return False
    return _public(address)


async def vetted(
    host: str, port: int, *, allowed: Sequence[Network], resolve: Resolver, within: float
) -> list[IPAddress]:
    """The addresses of ``host`` to connect to, all permitted, resolved ``within``
    seconds; else ``Refused``."""
    try:
        async with asyncio.timeout(within):
            addresses = await resolve(host, port)
    except (OSError, UnicodeError, ValueError, TimeoutError) as exc:
        raise Refused(host) from exc
    # One address inside is enough to refuse the name: a resolver's order is not ours.
    if not addresses or not all(permitted(a, allowed) for a in addresses):
        raise Refused(host)
    return [_normalised(a) for a in addresses[:MAX_ADDRESSES]]


def _host_port(url: str) -> tuple[str, int]:
    """The host and port httpx will connect to (IDNA-encoded, as on the wire)."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed.raw_host.decode("ascii"), port


async def address_problems(
    url: str, settings: Settings, resolve: Resolver = system_resolve
) -> list[FieldProblem]:
    """The subscription-time check of a syntactically valid URL: the same one problem
    whether the host does not resolve or resolves inside."""
    try:
        host, port = _host_port(url)
        await vetted(
            host,
            port,
            allowed=settings.webhook_allowed_networks,
            resolve=resolve,
            within=settings.webhook_timeout_seconds,
        )
    except (Refused, httpx.InvalidURL, UnicodeError, ValueError):
        return [field_problem("body", "url", NOT_PUBLIC)]
    return []


class VettingBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend that resolves and vets the host itself and connects
    to the vetted address (in the resolver's order, the next one if one fails)."""

    def __init__(self, *, allowed: Sequence[Network], resolve: Resolver, timeout: float):
        self._allowed = list(allowed)
        self._resolve = resolve
        self._timeout = timeout
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(  # httpcore's signature
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await vetted(
                host,
                port,
                allowed=self._allowed,
                resolve=self._resolve,
                within=timeout or self._timeout,
            )
        except Refused as exc:
            raise httpcore.ConnectError("not a permitted address") from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # vetted() answers at least one address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks connect over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def delivery_transport(
    settings: Settings, *, resolve: Resolver, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncHTTPTransport:
    """httpx's transport over a ``VettingBackend``; environment proxies are not used (a
    proxy would resolve the name itself)."""
    ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, trust_env=False, retries=0)
    # httpx 0.28 takes no network backend: its pool is replaced by one with ours (a test
    # delivers to a name only our resolver knows, so a change here does not go unseen).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl_context,
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=VettingBackend(
            allowed=settings.webhook_allowed_networks,
            resolve=resolve,
            timeout=settings.webhook_timeout_seconds,
        ),
    )
    return transport


def outcome_error(exc: BaseException) -> str:
    """What ``lastError`` says of a failed request: refused, closed, silent and timed
    out are all "connection failed"; a failed handshake or certificate "TLS failed"."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, ssl.SSLError):
            return TLS_FAILED
        seen = seen.__cause__ or seen.__context__
    return CONNECTION_FAILED


def status_error(status_code: int) -> str:
    """``HTTP 4xx`` / ``HTTP 5xx`` (a redirect, not followed, is ``HTTP 3xx``)."""
    return f"HTTP {status_code // 100}xx"
