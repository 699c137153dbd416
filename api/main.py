"""Application factory: the API (a FastAPI app mounted at ``/api/v1``) and the static
dashboard at ``/``."""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api import API_VERSION
from api.activities.router import router as activities_router
from api.audit.router import router as audit_router
from api.audit.service import install_audit_hook
from api.auth.router import router as auth_router
from api.budget_plan.router import router as budget_plan_router
from api.capacity_plan.realise import run_forever as realise_forever
from api.capacity_plan.router import router as capacity_plan_router
from api.changes.recorder import install_change_hooks
from api.changes.router import router as changes_router
from api.clients.router import router as clients_router
from api.common import visibility
from api.communications.router import router as communications_router
from api.config import Settings, get_settings
from api.council_report.router import router as council_router
from api.db import Database, build_engine
from api.db.engine import driver_args
from api.decisions.router import router as decisions_router
from api.draagvlak.router import router as draagvlak_router
from api.enrollments.router import router as enrollments_router
from api.error_handlers import install_error_handlers
from api.expenses.router import router as expenses_router
from api.exports.pseudonymised import router as pseudonymised_exports_router
from api.exports.router import router as exports_router
from api.forecast.routes import router as forecast_router
from api.goals.public import router as public_goals_router
from api.goals.router import router as goals_router
from api.health.router import router as health_router
from api.http import CorsMiddleware, Envelope
from api.idempotency import IdempotencyMiddleware
from api.imports.router import router as imports_router
from api.living_allowances.router import living_allowances_router
from api.locations.router import router as locations_router
from api.logs import configure_logging
from api.meetings.agreements_router import router as agreements_router
from api.meetings.router import router as meetings_router
from api.openapi import build_openapi, operation_id
from api.participants.router import router as participants_router
from api.partner_events.router import router as partner_events_router
from api.partners.router import router as partners_router
from api.pipeline.router import router as pipeline_router
from api.placements.router import router as placements_router
from api.public.locations import router as public_locations_router
from api.public.router import router as public_router
from api.reimbursements.claims.router import claims_router
from api.reimbursements.schemes.router import schemes_router
from api.reports.budget.router import router as budget_router
from api.reports.occupancy.router import router as occupancy_router
from api.reports.overview.router import router as overview_router
from api.reports.progress.router import router as progress_router
from api.request_guard import RequestGuard
from api.routing import RouteIndex
from api.signals.router import router as signals_router
from api.spreiding.public import router as public_spreiding_router
from api.spreiding.router import router as spreiding_router
from api.users.router import router as users_router
from api.webhooks.router import router as webhooks_router
from api.webhooks.worker import WebhookWorker

ROUTERS = (
    auth_router,
    health_router,
    users_router,
    clients_router,
    partners_router,
    locations_router,
    participants_router,
    living_allowances_router,
    placements_router,
    partner_events_router,
    imports_router,
    occupancy_router,
    progress_router,
    overview_router,
    activities_router,
    enrollments_router,
    signals_router,
    schemes_router,
    claims_router,
    expenses_router,
    budget_router,
    council_router,
    budget_plan_router,
    capacity_plan_router,
    forecast_router,
    pseudonymised_exports_router,  # before /exports/{report}
    exports_router,
    public_router,
    goals_router,
    draagvlak_router,
    public_goals_router,
    public_locations_router,
    pipeline_router,
    spreiding_router,
    public_spreiding_router,
    audit_router,
    changes_router,
    webhooks_router,
    decisions_router,
    meetings_router,
    agreements_router,
    communications_router,
)

DESCRIPTION = """\
The API of Heemstede's *Sociaal programma opvang vluchtelingen*: locations and their
capacity, participants and their stays, activities, signals, and the Rijk's
reimbursements. Errors are RFC 9457 problem details; every POST takes an
`Idempotency-Key`."""

API_ROOT = "/api/v1"
PLACEHOLDER_FRONTEND = Path(__file__).resolve().parent.parent / "frontend" / "public"


NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def telemetry(enabled: bool) -> TelemetryConfig | None:
    """FastAPI's OpenTelemetry settings: its defaults when asked for, else all off."""
    return None if enabled else NO_TELEMETRY


def create_api(settings: Settings, db: Database) -> FastAPI:
    api = FastAPI(
        title="opvang",
        summary="Sociaal programma opvang vluchtelingen, Heemstede",
        description=DESCRIPTION,
        version=API_VERSION,
        servers=[{"url": "/api/v1"}],
        root_path_in_servers=False,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        redirect_slashes=False,
        generate_unique_id_function=operation_id,
        telemetry=telemetry(settings.opentelemetry),
    )
    api.state.settings = settings
    api.state.db = db
    # The partner-visibility window is read inside SQL built once (``common.visibility``).
    visibility.configure(settings.partner_visibility_days)
    install_error_handlers(api)
    for router in ROUTERS:
        # The routes themselves, not include_router(): FastAPI 0.165 wraps an included
        # router in a layer that re-derives its route list on every request (about a
        # tenth of a simple read's time, measured with py-spy).
        api.router.routes.extend(router.routes)
    api.router.routes[:0] = method_guards(api.router.routes)
    # One route that finds the others by the path's first segment (``api.routing``).
    api.router.routes[:] = [RouteIndex(api.router.routes)]
    api.add_middleware(IdempotencyMiddleware)
    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]
    return api


async def _method_not_allowed(request: Request) -> Response:
    raise HTTPException(405)  # the error handler names the methods in Allow


def method_guards(routes: list[BaseRoute]) -> list[Route]:
    """A fixed path that a path with a parameter also matches (``/participants/_search``
    and ``/participants/{id}``) would hand the other path's methods to it, where ``_search``
    fails the id's validation with a 400. A guard in front answers them 405 instead."""
    methods: dict[str, set[str]] = {}
    for route in routes:
        if isinstance(route, Route) and route.methods:
            methods.setdefault(route.path, set()).update(route.methods)
    guards: list[Route] = []
    for path, own in methods.items():
        if "{" in path:
            continue
        stolen: set[str] = set()
        for route in routes:
            if isinstance(route, Route) and route.path != path and route.path_regex.match(path):
                stolen |= (route.methods or set()) - own
        if stolen:
            guards.append(Route(path, _method_not_allowed, methods=sorted(stolen)))
    return guards


class DashboardFiles(StaticFiles):
    """The built dashboard. A page address it has no file for (``/publiek``,
    ``/locaties/<id>``) answers index.html, so the dashboard's history routing survives a
    reload or a bookmark; a missing asset (a name with a dot) or anything under ``api``
    stays a 404."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            name = path.rsplit("/", 1)[-1]
            if exc.status_code != 404 or "." in name or path.split("/", 1)[0] == "api":
                raise
            return await super().get_response("index.html", scope)


class Site:
    """The whole service: the API under ``/api/v1``, the dashboard everywhere else.

    A plain ASGI dispatcher rather than a Starlette app with mounts: an API request passes
    one stack of error handling and routing (FastAPI's), not two.
    """

    def __init__(self, settings: Settings, database: Database, api: FastAPI) -> None:
        self.state = State()
        self.state.settings = settings
        self.state.db = database
        self.state.api = api
        frontend = settings.frontend_dir
        if not frontend.is_dir():
            frontend = PLACEHOLDER_FRONTEND
        self.dashboard = Starlette(
            routes=[Mount("/", app=DashboardFiles(directory=frontend, html=True))]
        )
        self.dashboard.router.redirect_slashes = False
        install_error_handlers(self.dashboard)
        self.api = api
        # The request guard (body limits, anonymous bodies refused unread) comes before
        # anything that reads a body: the idempotency layer, FastAPI, the routes.
        guard = RequestGuard(self._dispatch, api=api, api_root=API_ROOT)
        self.app = Envelope(
            self._dispatch,
            with_body=guard,
            cross_origin=CorsMiddleware(guard, origins=settings.cors_origins),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        else:
            await self.app(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].startswith(API_ROOT + "/"):
            root = scope.get("root_path", "")
            # As a Starlette Mount would: the path stays whole, root_path says where the
            # API begins.
            api_scope = {**scope, "root_path": root + API_ROOT, "app_root_path": root}
            await self.api(api_scope, receive, send)
        else:
            await self.dashboard(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._start_webhooks()
                self._start_plan()
                # What is loaded by now (modules, models, routes: over a million objects)
                # lives as long as the process: out of the cyclic collector's sight, a
                # full collection no longer walks it, a pause of 100 ms and more under
                # load (the p99 of a simple read, issue 19).
                gc.collect()
                gc.freeze()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                gc.unfreeze()
                await self._stop_webhooks()
                await self._stop_plan()
                await self.state.db.dispose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _start_webhooks(self) -> None:
        """The webhook worker runs beside the API when ``OPVANG_WEBHOOKS_ENABLED`` (several
        server processes may each run one: deliveries are claimed, never sent twice)."""
        self._webhook_stop = asyncio.Event()
        self._webhook_task: asyncio.Task[None] | None = None
        if self.state.settings.webhooks_enabled:
            worker = WebhookWorker(self.state.db, self.state.settings)
            self._webhook_task = asyncio.create_task(worker.run_forever(self._webhook_stop))

    async def _stop_webhooks(self) -> None:
        task = getattr(self, "_webhook_task", None)
        if task is not None:
            self._webhook_stop.set()
            await task

    def _start_plan(self) -> None:
        """The capacity plan's planned changes become facts on their day: checked at start
        and hourly beside the API (``opvang plan realise`` does the same from cron). Not
        in the test environment, whose tests realise on purpose."""
        self._plan_stop = asyncio.Event()
        self._plan_task: asyncio.Task[None] | None = None
        if self.state.settings.environment != "test":
            self._plan_task = asyncio.create_task(realise_forever(self.state.db, self._plan_stop))

    async def _stop_plan(self) -> None:
        task = getattr(self, "_plan_task", None)
        if task is not None:
            self._plan_stop.set()
            await task


def create_app(settings: Settings | None = None, db: Database | None = None) -> Site:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    install_audit_hook()
    install_change_hooks()
    database = db or Database(build_engine(settings), driver_args=driver_args(settings))
    return Site(settings, database, create_api(settings, database))
