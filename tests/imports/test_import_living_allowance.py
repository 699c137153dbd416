"""Partners cannot set the living-allowance status (issue 17), nor can an import: a
`livingAllowance` column is an unknown column and nothing is imported."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.db import Database
from api.models import LivingAllowance, Participant, Role
from tests.imports.test_imports import count, upload
from tests.support.builders import Builder, problem
from tests.support.import_files import csv_file


async def test_an_import_cannot_set_the_living_allowance(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "p.csv",
        ["reference", "group", "livingAllowance"],
        [["LA-1", "ukrainian_displaced", "2025-01-01"]],
    )
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    assert {e["column"] for e in problem(r)["errors"]} == {"livingAllowance"}
    assert await count(db, Participant) == 0
    assert await count(db, LivingAllowance) == 0
