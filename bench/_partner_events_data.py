"""Data for the ``partner_events`` benchmark: a COA with locations and API client, and
batches of intakes, each as the event batch ours is sent and as the participant and
placement rows the hand-written reference writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import create_engine, insert

from api.models import ApiClient, CapacityChange, Location, LocationKind, utcnow
from bench._data import local_settings

LOCATIONS = 40
OPENED = date(2020, 1, 1)
INTAKE_DAY = date(2025, 3, 1)
NATIONALITIES = ("SYR", "AFG", "ERI", "TUR", "YEM")

PEOPLE_COLUMNS = (
    "id",
    "reference",
    "v_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "nationality",
    "group",
    "languages",
    "dutch_level",
    "employment_status",
    "version",
    "created_at",
    "updated_at",
)
STAY_COLUMNS = (
    "id",
    "participant_id",
    "location_id",
    "start_date",
    "version",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class Setup:
    client_id: uuid.UUID
    codes: list[str]
    location_ids: list[uuid.UUID]


def prepare(url: str, partner_id: uuid.UUID) -> Setup:
    """Locations the partner operates (room enough: no capacity signals) and a client."""
    settings = local_settings(url)
    now = utcnow()
    codes = [f"AZC-{n:03d}" for n in range(LOCATIONS)]
    ids = [uuid.uuid4() for _ in codes]
    client_id = uuid.uuid4()
    engine = create_engine(settings.sync_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(Location),
                [
                    {
                        "id": ids[n],
                        "name": f"Benchmark azc {n:03d}",
                        "address": f"Benchmarkstraat {n + 1}",
                        "postcode": "2101 AB",
                        "kind": LocationKind.asylum_center,
                        "operator_partner_id": partner_id,
                        "external_code": code,
                        "opened_on": OPENED,
                        "closed_on": None,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n, code in enumerate(codes)
                ],
            )
            conn.execute(
                insert(CapacityChange),
                [
                    {
                        "id": uuid.uuid4(),
                        "location_id": i,
                        "valid_from": OPENED,
                        "capacity": 100_000,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            conn.execute(
                insert(ApiClient).values(
                    id=client_id,
                    client_id=f"opv_bench_{client_id.hex[:8]}",
                    secret_hash="unused: the token is minted",
                    name="Benchmark COA system",
                    partner_id=partner_id,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        engine.dispose()
    return Setup(client_id=client_id, codes=codes, location_ids=ids)


def _person(tag: str, n: int) -> dict[str, Any]:
    return {
        "externalRef": f"V{tag}{n:05d}",
        "givenName": f"Given{n}",
        "familyName": f"Family{tag}",
        "group": "asylum_seeker",
        "dateOfBirth": date(1970 + n % 40, 1 + n % 12, 1 + n % 28).isoformat(),
        "nationality": NATIONALITIES[n % len(NATIONALITIES)],
        "languages": ["ar", "en"],
    }


def event_batch(setup: Setup, tag: str, size: int) -> dict[str, Any]:
    """``size`` intakes of new people, spread over the locations, as ours receives them."""
    return {
        "events": [
            {
                "eventId": f"{tag}-{n:05d}",
                "type": "intake",
                "occurredOn": INTAKE_DAY.isoformat(),
                "participant": _person(tag, n),
                "locationCode": setup.codes[n % len(setup.codes)],
            }
            for n in range(size)
        ]
    }


def reference_rows(
    setup: Setup, tag: str, size: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The same people and stays as rows in ``PEOPLE_COLUMNS`` and ``STAY_COLUMNS``."""
    now = utcnow()
    people: list[tuple[Any, ...]] = []
    stays: list[tuple[Any, ...]] = []
    for n in range(size):
        p = _person(tag, n)
        pid = uuid.uuid4()
        people.append(
            (
                pid,
                f"REF-{pid.hex}",
                None,
                p["givenName"],
                p["familyName"],
                date.fromisoformat(p["dateOfBirth"]),
                p["nationality"],
                p["group"],
                '["ar", "en"]',
                "none",
                "not_working",
                1,
                now,
                now,
            )
        )
        stays.append(
            (
                uuid.uuid4(),
                pid,
                setup.location_ids[n % len(setup.location_ids)],
                INTAKE_DAY,
                1,
                now,
                now,
            )
        )
    return people, stays
