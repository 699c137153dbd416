"""``AsyncOpvangClient``: the API over ``httpx.AsyncClient``, with ``asyncio.sleep``
between retries; the same calls as :mod:`opvang_client.client`, awaited."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Generator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Generic, cast

import httpx

from opvang_client.auth import TokenCache
from opvang_client.core import (
    USER_AGENT,
    Call,
    Id,
    T,
    _Calls,
    _Core,
    _day,
    _generic_call,
    _import_call,
    _json_body,
    _next_page,
    _search_body,
    _segment,
    _Sleep,
    post,
    query,
)
from opvang_client.models import (
    JSON,
    Activity,
    AttendanceEntry,
    CapacityChange,
    Change,
    ChangePage,
    Client,
    Enrollment,
    ImportReport,
    Location,
    Page,
    Participant,
    Partner,
    PartnerEventsResult,
    Placement,
    Signal,
    SignalAction,
    User,
)
from opvang_client.retry import RetryPolicy

__all__ = ["AsyncOpvangClient"]

# ------------------------------------------------------------------ async resources


class AsyncResource(Generic[T]):
    """As :class:`Resource`, awaited; ``iter`` is an async iterator."""

    def __init__(self, client: AsyncOpvangClient, path: str) -> None:
        self._client = client
        self._calls = _Calls(path)

    async def list(self, **params: Any) -> Page[T]:
        return cast(Page[T], (await self._client._call(self._calls.list(params))).json())

    async def iter(self, **params: Any) -> AsyncIterator[T]:
        page = int(params.pop("page", 1))
        while True:
            response = await self._client._call(self._calls.list({**params, "page": page}))
            for item in response.json()["items"]:
                yield item
            nxt = _next_page(response, page)
            if nxt is None:
                return
            page = nxt

    async def get(self, id: Id) -> T:
        return cast(T, (await self._client._call(self._calls.get(id))).json())

    async def create(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> T:
        call = self._calls.create(body, idempotency_key)
        return cast(T, (await self._client._call(call)).json())

    async def update(self, id: Id, changes: Mapping[str, Any], *, version: int | None = None) -> T:
        call = self._calls.update(id, changes, version)
        return cast(T, (await self._client._call(call)).json())

    async def delete(self, id: Id, *, version: int | None = None) -> None:
        await self._client._call(self._calls.delete(id, version))


class AsyncParticipants(AsyncResource[Participant]):
    async def search(
        self, *, bsn: str | None = None, v_number: str | None = None
    ) -> Page[Participant]:
        call = post("/participants/_search", _search_body(bsn, v_number))
        return cast(Page[Participant], (await self._client._call(call)).json())

    async def data_export(self, id: Id) -> JSON:
        call = Call("GET", f"/participants/{_segment(id)}/data-export")
        return cast(JSON, (await self._client._call(call)).json())


class AsyncCapacityChanges:
    def __init__(self, client: AsyncOpvangClient, location: Id) -> None:
        self._client = client
        self._path = f"/locations/{_segment(location)}/capacity-changes"

    async def list(self) -> list[CapacityChange]:
        response = await self._client._call(Call("GET", self._path))
        return cast(list[CapacityChange], response.json()["items"])

    async def create(
        self, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> CapacityChange:
        response = await self._client._call(post(self._path, body, idempotency_key))
        return cast(CapacityChange, response.json())

    async def delete(self, change: Id) -> None:
        await self._client._call(Call("DELETE", f"{self._path}/{_segment(change)}"))


class AsyncLocations(AsyncResource[Location]):
    def capacity_changes(self, location: Id) -> AsyncCapacityChanges:
        return AsyncCapacityChanges(self._client, location)


class AsyncActivities(AsyncResource[Activity]):
    async def attendance(self, activity: Id, day: date | str) -> list[AttendanceEntry]:
        path = f"/activities/{_segment(activity)}/attendance/{_day(day)}"
        return cast(list[AttendanceEntry], (await self._client._call(Call("GET", path))).json())

    async def set_attendance(
        self, activity: Id, day: date | str, entries: Sequence[Mapping[str, Any]]
    ) -> list[AttendanceEntry]:
        path = f"/activities/{_segment(activity)}/attendance/{_day(day)}"
        call = Call("PUT", path, body=_json_body(list(entries)))
        return cast(list[AttendanceEntry], (await self._client._call(call)).json())


class AsyncSignals(AsyncResource[Signal]):
    async def add_action(
        self, signal: Id, note: str, *, idempotency_key: str | None = None
    ) -> SignalAction:
        call = post(f"/signals/{_segment(signal)}/actions", {"note": note}, idempotency_key)
        return cast(SignalAction, (await self._client._call(call)).json())


class AsyncPartnerEvents:
    def __init__(self, client: AsyncOpvangClient) -> None:
        self._client = client

    async def post(
        self,
        events: Sequence[Mapping[str, Any]],
        *,
        atomic: bool = True,
        idempotency_key: str | None = None,
    ) -> PartnerEventsResult:
        params = {} if atomic else {"atomic": False}
        call = post("/partner-events", {"events": list(events)}, idempotency_key, params)
        return cast(PartnerEventsResult, (await self._client._call(call)).json())


class AsyncChanges:
    def __init__(self, client: AsyncOpvangClient) -> None:
        self._client = client

    async def list(self, *, after: str | None = None, limit: int | None = None) -> ChangePage:
        call = Call("GET", "/changes", params=query({"after": after, "limit": limit}))
        return cast(ChangePage, (await self._client._call(call)).json())

    async def iter(
        self, *, after: str | None = None, limit: int | None = None
    ) -> AsyncIterator[Change]:
        while True:
            page = await self.list(after=after, limit=limit)
            if not page["items"]:
                return
            for item in page["items"]:
                yield item
            after = page["nextCursor"]


class AsyncImports:
    def __init__(self, client: AsyncOpvangClient) -> None:
        self._client = client

    async def upload(
        self,
        kind: str,
        path: str | Path,
        *,
        dry_run: bool = False,
        idempotency_key: str | None = None,
    ) -> ImportReport:
        call = _import_call(kind, path, dry_run, idempotency_key)
        return cast(ImportReport, (await self._client._call(call)).json())


class AsyncOpvangClient:
    """As :class:`OpvangClient`, on ``httpx.AsyncClient``: ``await`` every method,
    ``async for`` over ``iter``; use ``async with``."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        refresh_margin: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._core = _Core(
            base_url,
            username=username,
            password=password,
            client_id=client_id,
            client_secret=client_secret,
            token=token,
            retry=retry,
            refresh_margin=refresh_margin,
            clock=clock,
        )
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            timeout=timeout, transport=transport, headers={"User-Agent": USER_AGENT}
        )
        self.partners = AsyncResource[Partner](self, "/partners")
        self.locations = AsyncLocations(self, "/locations")
        self.participants = AsyncParticipants(self, "/participants")
        self.placements = AsyncResource[Placement](self, "/placements")
        self.activities = AsyncActivities(self, "/activities")
        self.enrollments = AsyncResource[Enrollment](self, "/enrollments")
        self.signals = AsyncSignals(self, "/signals")
        self.users = AsyncResource[User](self, "/users")
        self.clients = AsyncResource[Client](self, "/clients")
        self.partner_events = AsyncPartnerEvents(self)
        self.changes = AsyncChanges(self)
        self.imports = AsyncImports(self)

    @property
    def tokens(self) -> TokenCache | None:
        return self._core.tokens

    async def authenticate(self) -> str:
        return await self._run(self._core.fetch_token(self._http.build_request))

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        version: int | None = None,
    ) -> httpx.Response:
        call = _generic_call(method, path, params, json, headers, idempotency_key, version)
        return await self._call(call)

    async def _call(self, call: Call) -> httpx.Response:
        return await self._run(self._core.flow(call, self._http.build_request))

    async def _run(self, flow: Generator[Any, Any, T]) -> T:
        try:
            action = next(flow)
            while True:
                if isinstance(action, _Sleep):
                    await self._sleep(action.seconds)
                    action = flow.send(None)
                    continue
                try:
                    response = await self._http.send(action.request)
                except httpx.TransportError as exc:
                    action = flow.send(exc)
                else:
                    action = flow.send(response)
        except StopIteration as stop:
            return cast(T, stop.value)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncOpvangClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()
