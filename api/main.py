"""Application factory: the API (a FastAPI app mounted at ``/api/v1``) and the static
dashboard at ``/``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from api import API_VERSION
from api.audit.router import router as audit_router
from api.audit.service import install_audit_hook
from api.auth.router import router as auth_router
from api.clients.router import router as clients_router
from api.config import Settings, get_settings
from api.db import Database, build_engine
from api.errors import install_error_handlers
from api.health.router import router as health_router
from api.http import CorsMiddleware, RequestContextMiddleware
from api.idempotency import IdempotencyMiddleware
from api.logs import configure_logging
from api.openapi import build_openapi, operation_id
from api.partners.router import router as partners_router
from api.users.router import router as users_router

ROUTERS = (
    auth_router,
    health_router,
    users_router,
    clients_router,
    partners_router,
    audit_router,
)

DESCRIPTION = """\
The API of Heemstede's *Sociaal programma opvang vluchtelingen*: locations and their
capacity, participants and their stays, activities, signals, and the Rijk's
reimbursements. Errors are RFC 9457 problem details; every POST takes an
`Idempotency-Key`."""

PLACEHOLDER_FRONTEND = Path(__file__).resolve().parent.parent / "frontend" / "public"


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
    )
    api.state.settings = settings
    api.state.db = db
    install_error_handlers(api)
    for router in ROUTERS:
        api.include_router(router)
    api.add_middleware(IdempotencyMiddleware)
    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]
    return api


def create_app(settings: Settings | None = None, db: Database | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    install_audit_hook()
    database = db or Database(build_engine(settings))
    api = create_api(settings, database)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await database.dispose()

    frontend = settings.frontend_dir if settings.frontend_dir.is_dir() else PLACEHOLDER_FRONTEND
    app = Starlette(
        routes=[
            Mount("/api/v1", app=api),
            Mount("/", app=StaticFiles(directory=frontend, html=True)),
        ],
        middleware=[
            Middleware(RequestContextMiddleware),
            Middleware(CorsMiddleware, origins=settings.cors_origins),
        ],
        lifespan=lifespan,
    )
    app.router.redirect_slashes = False
    install_error_handlers(app)
    app.state.settings = settings
    app.state.db = database
    app.state.api = api
    return app
