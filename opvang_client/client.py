"""``OpvangClient``: the API over ``httpx.Client``, with ``time.sleep`` between retries.

The request logic is in :mod:`opvang_client.core`; the resource classes here only build
calls and run them. :class:`~opvang_client.aio.AsyncOpvangClient` is the same over
``httpx.AsyncClient``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
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

__all__ = ["OpvangClient"]

# ------------------------------------------------------------------- sync resources


class Resource(Generic[T]):
    """A collection: ``list``, ``iter``, ``get``, ``create``, ``update``, ``delete``."""

    def __init__(self, client: OpvangClient, path: str) -> None:
        self._client = client
        self._calls = _Calls(path)

    def list(self, **params: Any) -> Page[T]:
        """One page: ``list(page=2, pageSize=100, sort="-createdAt", **filters)``."""
        return cast(Page[T], self._client._call(self._calls.list(params)).json())

    def iter(self, **params: Any) -> Iterator[T]:
        """Every item, page after page (``pageSize`` sets the page length)."""
        page = int(params.pop("page", 1))
        while True:
            response = self._client._call(self._calls.list({**params, "page": page}))
            yield from response.json()["items"]
            nxt = _next_page(response, page)
            if nxt is None:
                return
            page = nxt

    def get(self, id: Id) -> T:
        return cast(T, self._client._call(self._calls.get(id)).json())

    def create(self, body: Mapping[str, Any], *, idempotency_key: str | None = None) -> T:
        return cast(T, self._client._call(self._calls.create(body, idempotency_key)).json())

    def update(self, id: Id, changes: Mapping[str, Any], *, version: int | None = None) -> T:
        """PATCH; ``If-Match`` from ``version`` (or from the record passed as ``id``)."""
        return cast(T, self._client._call(self._calls.update(id, changes, version)).json())

    def delete(self, id: Id, *, version: int | None = None) -> None:
        self._client._call(self._calls.delete(id, version))


class Participants(Resource[Participant]):
    def search(self, *, bsn: str | None = None, v_number: str | None = None) -> Page[Participant]:
        """Find by BSN or V-number, sent in a POST body, never in the URL."""
        call = post("/participants/_search", _search_body(bsn, v_number))
        return cast(Page[Participant], self._client._call(call).json())

    def data_export(self, id: Id) -> JSON:
        return cast(
            JSON,
            self._client._call(Call("GET", f"/participants/{_segment(id)}/data-export")).json(),
        )


class CapacityChanges:
    def __init__(self, client: OpvangClient, location: Id) -> None:
        self._client = client
        self._path = f"/locations/{_segment(location)}/capacity-changes"

    def list(self) -> list[CapacityChange]:
        return cast(
            list[CapacityChange], self._client._call(Call("GET", self._path)).json()["items"]
        )

    def create(
        self, body: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> CapacityChange:
        return cast(
            CapacityChange, self._client._call(post(self._path, body, idempotency_key)).json()
        )

    def delete(self, change: Id) -> None:
        self._client._call(Call("DELETE", f"{self._path}/{_segment(change)}"))


class Locations(Resource[Location]):
    def capacity_changes(self, location: Id) -> CapacityChanges:
        return CapacityChanges(self._client, location)


class Activities(Resource[Activity]):
    def attendance(self, activity: Id, day: date | str) -> list[AttendanceEntry]:
        path = f"/activities/{_segment(activity)}/attendance/{_day(day)}"
        return cast(list[AttendanceEntry], self._client._call(Call("GET", path)).json())

    def set_attendance(
        self, activity: Id, day: date | str, entries: Sequence[Mapping[str, Any]]
    ) -> list[AttendanceEntry]:
        path = f"/activities/{_segment(activity)}/attendance/{_day(day)}"
        call = Call("PUT", path, body=_json_body(list(entries)))
        return cast(list[AttendanceEntry], self._client._call(call).json())


class Signals(Resource[Signal]):
    def add_action(
        self, signal: Id, note: str, *, idempotency_key: str | None = None
    ) -> SignalAction:
        call = post(f"/signals/{_segment(signal)}/actions", {"note": note}, idempotency_key)
        return cast(SignalAction, self._client._call(call).json())


class PartnerEvents:
    def __init__(self, client: OpvangClient) -> None:
        self._client = client

    def post(
        self,
        events: Sequence[Mapping[str, Any]],
        *,
        atomic: bool = True,
        idempotency_key: str | None = None,
    ) -> PartnerEventsResult:
        """Push a batch. Atomic (the default): a rejected event raises
        :class:`~opvang_client.errors.Conflict` whose ``problem["results"]`` tells
        which; ``atomic=False`` applies the valid events and reports the rest."""
        params = {} if atomic else {"atomic": False}
        call = post("/partner-events", {"events": list(events)}, idempotency_key, params)
        return cast(PartnerEventsResult, self._client._call(call).json())


class Changes:
    def __init__(self, client: OpvangClient) -> None:
        self._client = client

    def list(self, *, after: str | None = None, limit: int | None = None) -> ChangePage:
        call = Call("GET", "/changes", params=query({"after": after, "limit": limit}))
        return cast(ChangePage, self._client._call(call).json())

    def iter(self, *, after: str | None = None, limit: int | None = None) -> Iterator[Change]:
        """Every change after the cursor ``after``, up to the end of the feed now.
        Keep the last item's ``cursor`` to go on from there later."""
        while True:
            page = self.list(after=after, limit=limit)
            if not page["items"]:
                return
            yield from page["items"]
            after = page["nextCursor"]


class Imports:
    def __init__(self, client: OpvangClient) -> None:
        self._client = client

    def upload(
        self,
        kind: str,
        path: str | Path,
        *,
        dry_run: bool = False,
        idempotency_key: str | None = None,
    ) -> ImportReport:
        """Upload a CSV or XLSX file (form field ``file``). A file with bad rows raises
        :class:`~opvang_client.errors.BadRequest`, its report in ``problem``."""
        call = _import_call(kind, path, dry_run, idempotency_key)
        return cast(ImportReport, self._client._call(call).json())


class OpvangClient:
    """The API of opvang over HTTP.

    ``OpvangClient("https://opvang.heemstede.example", username=..., password=...)``
    for a person, ``client_id=..., client_secret=...`` for a partner system, or
    ``token=...``. The base URL is the server's; the client adds ``/api/v1``.
    """

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
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
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
        self._http = httpx.Client(
            timeout=timeout, transport=transport, headers={"User-Agent": USER_AGENT}
        )
        self.partners = Resource[Partner](self, "/partners")
        self.locations = Locations(self, "/locations")
        self.participants = Participants(self, "/participants")
        self.placements = Resource[Placement](self, "/placements")
        self.activities = Activities(self, "/activities")
        self.enrollments = Resource[Enrollment](self, "/enrollments")
        self.signals = Signals(self, "/signals")
        self.users = Resource[User](self, "/users")
        self.clients = Resource[Client](self, "/clients")
        self.partner_events = PartnerEvents(self)
        self.changes = Changes(self)
        self.imports = Imports(self)

    @property
    def tokens(self) -> TokenCache | None:
        return self._core.tokens

    def authenticate(self) -> str:
        """Fetch a token now (otherwise the first request does)."""
        return self._run(self._core.fetch_token(self._http.build_request))

    def request(
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
        """Any call, with the same token, retries and errors: ``path`` is below
        ``/api/v1``. A POST gets an ``Idempotency-Key`` (``idempotency_key`` or a
        fresh one); ``version`` sends ``If-Match``."""
        call = _generic_call(method, path, params, json, headers, idempotency_key, version)
        return self._call(call)

    def _call(self, call: Call) -> httpx.Response:
        return self._run(self._core.flow(call, self._http.build_request))

    def _run(self, flow: Generator[Any, Any, T]) -> T:
        try:
            action = next(flow)
            while True:
                if isinstance(action, _Sleep):
                    self._sleep(action.seconds)
                    action = flow.send(None)
                    continue
                try:
                    response = self._http.send(action.request)
                except httpx.TransportError as exc:
                    action = flow.send(exc)
                else:
                    action = flow.send(response)
        except StopIteration as stop:
            return cast(T, stop.value)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OpvangClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
