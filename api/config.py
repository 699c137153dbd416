"""One Settings object, read from environment variables prefixed ``OPVANG_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, IPvAnyNetwork, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret"})
DEFAULT_SECRET = "development-only-secret-not-for-production-use"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    """Every setting, from ``OPVANG_*`` environment variables (or a ``.env`` file)."""

    model_config = SettingsConfigDict(env_prefix="OPVANG_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # SQLite under ./data by default; PostgreSQL as postgresql+psycopg://user@host/db.
    database_url: str = "sqlite:///./data/opvang.db"
    secret_key: str = DEFAULT_SECRET
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=86_400)
    # A sign-in in the dashboard lasts this long at most (a working day): the refresh token
    # (an HttpOnly cookie) gets new access tokens until then, also after a reload or in a
    # new tab; its rotations keep the first one's expiry (api.auth.refresh).
    refresh_token_ttl_seconds: int = Field(default=43_200, ge=300, le=30 * 86_400)
    cors_origins: list[str] = Field(default_factory=list)
    # Database resilience: a request never hangs on a dead database.
    # Per worker; kept above the usual concurrency so connections are reused, not reopened.
    db_pool_size: int = Field(default=20, ge=1)
    # Connections a worker may open beyond the pool at a peak (closed again after).
    db_pool_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    db_statement_timeout_ms: int = Field(default=15_000, ge=100)
    # A partner's event batch waits this long behind the partner's earlier batches in
    # its worker (holding no connection, ``api.partner_events.queue``), then 503; never
    # longer than a statement may take (as a wait for the partner's row lock never was).
    partner_events_queue_seconds: float = Field(default=10.0, gt=0)
    # A statement waiting this long for a lock gives up (503) rather than queue behind a
    # long writer until the statement timeout; below it, so the cause is told apart.
    db_lock_timeout_ms: int = Field(default=10_000, ge=100)
    # A transaction left open and idle this long (a stuck or killed request) is ended by
    # the server, releasing its locks.
    db_idle_in_transaction_timeout_ms: int = Field(default=60_000, ge=1000)
    db_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    # SQLite: how long a writer waits for the one write lock before giving up (503).
    # Writers queue (``BEGIN IMMEDIATE``); the longest usual holder is an import.
    sqlite_busy_timeout_ms: int = Field(default=5_000, ge=0)
    # Login throttling: failures per account (and per address) within the window.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=50, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # How long a worker trusts the token generation it last read for a user or client
    # (api.auth.generations): a revoked token works on another worker at most this long.
    token_generation_cache_seconds: float = Field(default=1.0, ge=0, le=60)
    # How long a worker answers the anonymous public summary from the figures it last
    # computed (api.public.router): they are aggregates as of today, and computing them
    # (the year's money and the forecast) costs about a second of the worker's time.
    public_summary_cache_seconds: float = Field(default=60.0, ge=0, le=3600)
    # Passwords (API and CLI) must reach this zxcvbn score, 0-4: 3 means about 10^8
    # guesses or more, and no common (breached) password or simple pattern.
    password_min_score: int = Field(default=3, ge=0, le=4)
    idempotency_ttl_hours: int = Field(default=24, ge=24)
    # An in-flight idempotency claim older than this is taken to be abandoned.
    idempotency_lease_seconds: int = Field(default=120, ge=1)
    signal_overdue_days: int = Field(default=7, ge=1)
    # A signal's due date: reported_at plus these days by severity (issue 18).
    signal_due_days_high: int = Field(default=7, ge=1, le=365)
    signal_due_days_medium: int = Field(default=14, ge=1, le=365)
    signal_due_days_low: int = Field(default=28, ge=1, le=365)
    # Argon2 cost; lower it only for tests.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65_536, ge=64)
    # FastAPI's own OpenTelemetry (traces, metrics and logs through the process's global
    # providers): off unless asked, as opvang configures no provider and the check for
    # one costs ~7 % of a simple read's time (issue 19). On: configure the SDK yourself.
    opentelemetry: bool = False
    # Outbound webhooks: the delivery worker runs inside `opvang serve` when enabled (or
    # alone as `opvang webhooks run`); a failing delivery is retried after 1, 2, 4 ...
    # seconds (capped) and given up (`failed`) after the maximum number of attempts.
    webhooks_enabled: bool = True
    webhook_max_attempts: int = Field(default=10, ge=1, le=100)
    webhook_backoff_base_seconds: float = Field(default=1.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_batch_size: int = Field(default=50, ge=1, le=1000)
    # Webhook receivers must resolve to public addresses only, at subscription and again
    # at every delivery; addresses in these networks are admitted too, for receivers
    # inside the network (JSON, e.g. '["10.20.0.0/16", "fd12:3456::/48"]'). Empty: none.
    webhook_allowed_networks: list[IPvAnyNetwork] = Field(default_factory=list)
    # Subscriptions one API client may have: each one is a POST per change.
    webhook_max_subscriptions_per_client: int = Field(default=5, ge=1, le=100)
    # Retention (`opvang retention run`): a participant whose last stay ended more than
    # this many days ago (or, never placed, whose record was created that long ago) is
    # anonymised. Minors (group unaccompanied_minor, or under 18 on the day the last stay
    # ended) get the stricter period.
    retention_days: int = Field(default=730, ge=1)
    retention_days_minors: int = Field(default=365, ge=1)
    # A partner that operates a location keeps seeing a person this many days after their
    # stay there ended (``api.common.visibility``); a guardian sees its wards throughout.
    partner_visibility_days: int = Field(default=90, ge=0, le=3650)
    # Imports: the largest upload accepted (the whole multipart body), else 413.
    import_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    # Any other request body: above this many bytes it is refused with 413 before it is
    # read (from Content-Length, or counted as it streams). 2 MiB: a full batch of 1,000
    # partner events with long names written as \u escapes stays below it.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # Where the service is reached (e.g. https://opvang.heemstede.nl) for absolute links in
    # Link headers; unset, the links are relative. Never taken from the Host header.
    public_base_url: str | None = Field(default=None, pattern=r"^https?://[^/?#\s]+[^?#\s]*$")
    # Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (JSON list
    # of addresses or networks, e.g. '["10.0.0.5"]'). Empty: none, the peer is the client.
    forwarded_allow_ips: list[IPvAnyNetwork] = Field(default_factory=list)
    # Where `opvang serve` (and `make run`) listens unless --host / --port say otherwise:
    # a second checkout runs beside the first with OPVANG_PORT=8001.
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    frontend_dir: Path = Path(__file__).resolve().parent.parent / "frontend" / "dist"
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.environment != "development" and (
            self.secret_key in PLACEHOLDER_SECRETS | {DEFAULT_SECRET} or len(self.secret_key) < 32
        ):
            raise ValueError(
                "OPVANG_SECRET_KEY must be set to a random value of at least 32 characters "
                "outside development"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    @property
    def sync_url(self) -> URL:
        """URL for Alembic and the CLI (psycopg 3 on PostgreSQL, sqlite3 on SQLite)."""
        url = make_url(self.database_url)
        driver = "sqlite" if self.is_sqlite else "postgresql+psycopg"
        return url.set(drivername=driver)

    @property
    def async_url(self) -> URL:
        """URL for the request path (asyncpg on PostgreSQL, aiosqlite on SQLite)."""
        url = make_url(self.database_url)
        driver = "sqlite+aiosqlite" if self.is_sqlite else "postgresql+asyncpg"
        return url.set(drivername=driver)


@lru_cache
def get_settings() -> Settings:
    return Settings()
