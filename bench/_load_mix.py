"""The load benchmark's traffic: simulated users sending a realistic mix, and the figures
of one concurrency step.

Mix (by request): ~70% dashboard reads (overview, locations, a page of participants,
signals, the public summary), ~25% partner event batches of 20 events (intakes of new
people and transfers of earlier ones, a client-credentials token), ~5% small imports of
participants. Every POST carries a fresh Idempotency-Key.
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

READS = (
    "/reports/overview",
    "/locations?pageSize=50",
    "/participants?page={page}&pageSize=50",
    "/signals?pageSize=50",
    "/public/summary",
)
BATCH_SIZE = 20
IMPORT_ROWS = 50
INTAKE_DAY = date(2025, 3, 1)


@dataclass
class Scene:
    api_url: str
    staff: dict[str, str]
    partner: dict[str, str]
    codes: list[str]
    participant_pages: int


@dataclass
class Sample:
    kind: str
    started: float
    seconds: float
    outcome: str  # "200", "503", ... or "transport:ReadTimeout"


@dataclass
class StepResult:
    users: int
    seconds: float
    samples: list[Sample]
    throughput: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        done = sorted(s.seconds for s in self.samples)
        self.throughput = len(done) / self.seconds if self.seconds else 0.0
        self.p50_ms, self.p95_ms, self.p99_ms = (percentile(done, q) * 1000 for q in (50, 95, 99))
        self.errors = Counter(s.outcome for s in self.samples if not s.outcome.startswith("2"))
        self.kinds = Counter(s.kind for s in self.samples)

    def by_kind(self) -> str:
        """``kind n p50/p95 ms`` for each kind of request, slowest p95 first."""
        parts = []
        for kind in self.kinds:
            done = sorted(s.seconds for s in self.samples if s.kind == kind)
            parts.append(
                (
                    percentile(done, 95),
                    f"{kind} {len(done)}x "
                    f"{percentile(done, 50) * 1000:.0f}/{percentile(done, 95) * 1000:.0f} ms",
                )
            )
        return "; ".join(text for _, text in sorted(parts, reverse=True))

    def reads_and_writes(self) -> str:
        """p95 of all reads together and of all writes together."""
        parts = []
        for label, is_read in (("reads", True), ("writes", False)):
            done = sorted(s.seconds for s in self.samples if s.kind.startswith("read ") == is_read)
            parts.append(f"{label} {len(done)}x p95 {percentile(done, 95) * 1000:.0f} ms")
        return ", ".join(parts)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    rank = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


class User:
    """One simulated user; each has its own partner references, so batches never clash."""

    def __init__(self, scene: Scene, tag: str, rng: random.Random) -> None:
        self.scene = scene
        self.tag = tag
        self.rng = rng
        self.counter = 0
        self.placed: list[tuple[str, int]] = []  # (externalRef, index of its location code)

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def request(self) -> tuple[str, str, str, dict[str, Any]]:
        """(kind, method, path, httpx keyword arguments) of the next request."""
        roll = self.rng.random()
        if roll < 0.70:
            path = self.rng.choice(READS)
            if "{page}" in path:
                path = path.format(page=self.rng.randint(1, self.scene.participant_pages))
            return "read " + path.split("?")[0], "GET", path, {"headers": self.scene.staff}
        if roll < 0.95:
            return "partner-events", "POST", "/partner-events", self._batch()
        return "import", "POST", "/imports/participants", self._import()

    def _batch(self) -> dict[str, Any]:
        codes = self.scene.codes
        events: list[dict[str, Any]] = []
        # Half transfers of people this user took in earlier (each moved once), half intakes.
        movers = self.placed[: BATCH_SIZE // 2]
        del self.placed[: len(movers)]
        for ref, where in movers:
            n = self._next()
            events.append(
                {
                    "eventId": f"{self.tag}-t{n}",
                    "type": "transfer",
                    "occurredOn": (INTAKE_DAY + timedelta(days=30)).isoformat(),
                    "participant": {"externalRef": ref},
                    "locationCode": codes[(where + 1) % len(codes)],
                }
            )
        while len(events) < BATCH_SIZE:
            n = self._next()
            ref = f"L{self.tag}{n:06d}"
            where = self.rng.randrange(len(codes))
            events.append(
                {
                    "eventId": f"{self.tag}-i{n}",
                    "type": "intake",
                    "occurredOn": INTAKE_DAY.isoformat(),
                    "locationCode": codes[where],
                    "participant": {
                        "externalRef": ref,
                        "givenName": f"Given{n}",
                        "familyName": f"Family{self.tag}",
                        "group": "asylum_seeker",
                        "dateOfBirth": date(1970 + n % 40, 1 + n % 12, 1 + n % 28).isoformat(),
                        "nationality": "SYR",
                    },
                }
            )
            self.placed.append((ref, where))
        return {
            "json": {"events": events},
            "headers": {**self.scene.partner, "Idempotency-Key": str(uuid.uuid4())},
        }

    def _import(self) -> dict[str, Any]:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(["reference", "givenName", "familyName", "group", "languages"])
        for _ in range(IMPORT_ROWS):
            n = self._next()
            writer.writerow(
                [f"LI-{self.tag}-{n:06d}", "Olena", f"Import{n}", "ukrainian_displaced", "uk"]
            )
        return {
            "files": {"file": ("participants.csv", text.getvalue().encode(), "text/csv")},
            "headers": {**self.scene.staff, "Idempotency-Key": str(uuid.uuid4())},
        }


async def run_step(scene: Scene, users: int, seconds: float, step_tag: str) -> StepResult:
    """``users`` users, each sending its next request as soon as the last is answered,
    for ``seconds``; the answers of requests started within the window count."""
    samples: list[Sample] = []
    limits = httpx.Limits(max_connections=users + 4, max_keepalive_connections=users + 4)
    async with httpx.AsyncClient(
        base_url=scene.api_url, timeout=httpx.Timeout(30.0), limits=limits
    ) as client:
        start = time.perf_counter()
        end = start + seconds

        async def user(n: int) -> None:
            simulated = User(scene, f"{step_tag}u{n}", random.Random(f"{step_tag}-{n}"))
            while time.perf_counter() < end:
                kind, method, path, kwargs = simulated.request()
                began = time.perf_counter()
                try:
                    r = await client.request(method, path, **kwargs)
                    outcome = str(r.status_code)
                except httpx.TransportError as exc:
                    outcome = f"transport:{type(exc).__name__}"
                samples.append(Sample(kind, began, time.perf_counter() - began, outcome))

        await asyncio.gather(*(user(n) for n in range(users)))
        elapsed = time.perf_counter() - start
    return StepResult(users=users, seconds=elapsed, samples=samples)


def saturation(results: list[StepResult], *, p99_limit_ms: float, gain: float) -> int | None:
    """Index of the first step at which throughput stopped rising by more than ``gain``
    (a fraction) over the best before it, or p99 went over ``p99_limit_ms``; None if none."""
    best = 0.0
    for i, step in enumerate(results):
        if step.p99_ms > p99_limit_ms or (i > 0 and step.throughput < best * (1 + gain)):
            return i
        best = max(best, step.throughput)
    return None
