"""The column-wise path of the set-based imports (``api.imports.columns``): plain chunks
are validated a column at a time; the first chunk that is not plain and every chunk
after it go the row path. The answer is the same either way: chunks of two rows here
(so a file has clean chunks before a bad one) against one chunk for the whole file
(where the row path judges every row)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.db import Database
from api.imports import service
from api.models import Participant, ParticipantProgress, PartnerKind, Role
from tests.support.builders import Builder, problem
from tests.support.import_files import csv_file

HEADER = [
    "Referentie",
    "BSN",
    "Voornaam",
    "Achternaam",
    "Geboortedatum",
    "Groep",
    "Talen",
    "Taalniveau",
    "Peildatum",
    "Huishouden",
]


async def _upload(client: httpx.AsyncClient, path: Path, headers: dict[str, str]) -> Any:
    with path.open("rb") as f:
        return await client.post(
            "/api/v1/imports/participants",
            files={"file": (path.name, f, "text/csv")},
            headers=headers,
        )


def _rows(prefix: str) -> list[list[str]]:
    rows = [
        ["1", "111222333", "Olena", "Koval", "31-12-1980", "ukrainian_displaced", "uk,ru", "A2"],
        ["2", "", "Ahmad", "Karimi", "1990-05-06", "asylum_seeker", "ar", ""],
        ["3", "", "  Iryna ", "Koval", "31-12-1980", "ukrainian_displaced", "uk,ru", "B1"],
        ["4", "", "", "", "", "asylum_seeker", "", ""],
        ["5", "", "Omar", "Haddad", "", "asylum_seeker", "ar", "none"],
    ]
    last = [["01-02-2024", "H1"], ["", ""], ["", "H1"], ["", ""], ["", ""]]
    return [[f"{prefix}-{r[0]}", *r[1:], *more] for r, more in zip(rows, last, strict=True)]


async def test_values_staged_from_the_columns(
    client: httpx.AsyncClient,
    build: Builder,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "CHUNK", 2)
    path = csv_file(tmp_path / "p.csv", HEADER, _rows("COL"), delimiter=";")
    r = await _upload(client, path, build.headers_for(Role.coordinator))
    assert r.status_code == 200, r.text
    assert (r.json()["rowsTotal"], r.json()["created"]) == (5, 5)
    async with db.sessionmaker() as session:
        people = {
            p.reference: p
            for p in await session.scalars(
                select(Participant).where(Participant.reference.like("COL-%"))
            )
        }
        first = people["COL-1"]
        progress = sorted(
            (row.field, row.value, row.valid_from)
            for row in await session.scalars(
                select(ParticipantProgress).where(ParticipantProgress.participant_id == first.id)
            )
        )
    assert (first.bsn, first.given_name, first.date_of_birth) == (
        "111222333",
        "Olena",
        date(1980, 12, 31),
    )
    assert (first.languages, first.dutch_level, first.household_ref) == (["uk", "ru"], "A2", "H1")
    assert progress == [
        ("dutch_level", "A2", date(2024, 2, 1)),
        ("employment_status", "not_working", date(2024, 2, 1)),
    ]
    second, third, fourth = people["COL-2"], people["COL-3"], people["COL-4"]
    assert (second.date_of_birth, second.dutch_level, second.bsn) == (
        date(1990, 5, 6),
        "none",
        None,
    )
    assert (third.given_name, third.languages) == ("Iryna", ["uk", "ru"])
    assert (fourth.given_name, fourth.languages, fourth.date_of_birth) == (None, [], None)
    assert fourth.employment_status == "not_working"


@pytest.mark.parametrize("chunk", [2, 5000])
async def test_a_bad_chunk_after_clean_ones_reports_as_the_row_path(
    client: httpx.AsyncClient,
    build: Builder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
) -> None:
    monkeypatch.setattr(service, "CHUNK", chunk)
    rows = _rows(f"BAD{chunk}")
    rows += [
        [f"BAD{chunk}-6", "", "", "", "31-02-1990", "asylum_seeker", "", "", "", ""],
        [f"BAD{chunk}-7", "", "", "", "", "martian", "", "", "", "", "extra"],
        [f"BAD{chunk}-8", "", "", "", "", "asylum_seeker", "x1", "", "", ""],
        [f"BAD{chunk}-1", "", "", "", "", "asylum_seeker", "", "", "", ""],
    ]
    path = csv_file(tmp_path / "p.csv", HEADER, rows, delimiter=";")
    r = await _upload(client, path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    body = problem(r)
    assert (body["rowsTotal"], body["rowsValid"]) == (9, 5)
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
        (6, "Geboortedatum", "date_type"),
        (7, None, "row_too_wide"),
        (8, "Talen", "string_pattern_mismatch"),
        (9, "reference", "duplicate_in_file"),  # found once the file is read
    ]


async def test_guardians_in_a_clean_chunk_are_checked_per_row(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    guardian = await build.partner(kind=PartnerKind.nidos)
    header = ["reference", "group", "guardianPartnerId", "dateOfBirth", "languages"]
    rows = [
        ["GRD-1", "unaccompanied_minor", str(guardian.id), "2014-05-01", "ar"],
        ["GRD-2", "ukrainian_displaced", "", "", "uk"],
        ["GRD-3", "unaccompanied_minor", "", "2014-05-01", ""],
        ["GRD-4", "asylum_seeker", str(uuid.uuid4()), "", ""],
    ]
    headers = build.headers_for(Role.coordinator)
    r = await _upload(client, csv_file(tmp_path / "p.csv", header, rows), headers)
    assert r.status_code == 400, r.text
    found = {(e["row"], e["column"]) for e in problem(r)["errors"]}
    assert found == {(3, "guardianPartnerId"), (4, "guardianPartnerId")}
    r = await _upload(client, csv_file(tmp_path / "q.csv", header, rows[:2]), headers)
    assert r.status_code == 200, r.text
    async with db.sessionmaker() as session:
        minor = await session.scalar(select(Participant).where(Participant.reference == "GRD-1"))
    assert minor is not None and minor.guardian_partner_id == guardian.id
    assert minor.languages == ["ar"]
