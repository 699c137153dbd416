"""Imports: every kind, bad input of every sort, all or nothing, on both engines."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from api.db import Database
from api.models import (
    Activity,
    AuditEvent,
    CapacityChange,
    Change,
    ChangeAudience,
    Enrollment,
    Expense,
    Location,
    Participant,
    ParticipantProgress,
    Partner,
    PartnerKind,
    Placement,
    ReimbursementRate,
    Role,
)
from tests.conftest import ROOT
from tests.support import records
from tests.support.builders import Builder, problem
from tests.support.import_files import (
    PARTICIPANT_HEADER,
    csv_file,
    participant_rows,
    xlsx_file,
    zip_bomb,
)

URL = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def upload(
    client: httpx.AsyncClient,
    kind: str,
    path: Path,
    headers: dict[str, str],
    *,
    dry_run: bool = False,
) -> httpx.Response:
    content_type = XLSX if path.suffix == ".xlsx" else "text/csv"
    with path.open("rb") as f:
        return await client.post(
            f"{URL}/{kind}",
            params={"dryRun": "true"} if dry_run else None,
            files={"file": (path.name, f, content_type)},
            headers=headers,
        )


async def _count(db: Database, model: Any, *where: Any) -> int:
    async with db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


_BASELINE: dict[Any, int] = {}
COUNTED = (Participant, Placement, Location, Activity, Enrollment, Expense, Change)


@pytest.fixture(autouse=True)
async def _baseline(db: Database) -> None:
    """Rows other tests left committed (the live-server and fault tests commit for real)
    are not this test's: ``count`` without a filter counts from here."""
    _BASELINE.clear()
    for model in COUNTED:
        _BASELINE[model] = await _count(db, model)


async def count(db: Database, model: Any, *where: Any) -> int:
    """Rows of ``model`` (matching ``where``) written since the test began."""
    if where:
        return await _count(db, model, *where)
    return await _count(db, model) - _BASELINE.get(model, 0)


async def participant(db: Database, reference: str) -> Participant | None:
    async with db.sessionmaker() as session:
        found: Participant | None = await session.scalar(
            select(Participant).where(Participant.reference == reference)
        )
        return found


# --- participants --------------------------------------------------------------------


async def test_participants_happy_path_rerun_and_change(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    headers = build.headers_for(Role.coordinator)
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(3))
    r = await upload(client, "participants", path, headers)
    assert r.status_code == 200, r.text
    assert r.json() == {
        "rowsTotal": 3,
        "rowsValid": 3,
        "errors": [],
        "errorsOmitted": 0,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    person = await participant(db, "IMP-000001")
    assert person is not None and person.languages == ["uk", "ru"] and person.version == 1
    assert person.family_name == "Achternaam1"
    assert (
        await count(db, ParticipantProgress, ParticipantProgress.participant_id == person.id) == 2
    )
    changes = await count(db, Change, Change.entity == "participants")
    assert changes >= 3
    async with db.sessionmaker() as session:
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "import"))
        ).all()
    assert len(audit) == 1 and audit[0].details is not None
    assert audit[0].details["created"] == 3 and audit[0].entity == "participants"

    # The same file again changes nothing: versions and the change feed stay.
    r = await upload(client, "participants", path, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 3)
    again = await participant(db, "IMP-000001")
    assert again is not None and again.version == 1
    assert await count(db, Change, Change.entity == "participants") == changes

    # One changed row: that one is updated (version 2), with its progress.
    rows = participant_rows(3)
    rows[1][2] = "Nieuwenaam"
    changed = csv_file(
        tmp_path / "p2.csv",
        [*PARTICIPANT_HEADER, "dutchLevel"],
        [[*row, "A2" if i == 1 else "none"] for i, row in enumerate(rows)],
    )
    r = await upload(client, "participants", changed, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 2)
    person = await participant(db, "IMP-000001")
    assert person is not None and person.version == 2 and person.family_name == "Nieuwenaam"
    assert person.dutch_level == "A2"
    assert await count(db, Change, Change.entity == "participants") == changes + 1


async def test_a_file_larger_than_a_staging_batch_stages_every_row_once(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    """1,234 rows: full multi-row batches and a shorter last one on SQLite, one COPY on
    PostgreSQL; every row arrives once, with its own values."""
    headers = build.headers_for(Role.coordinator)
    path = csv_file(tmp_path / "big.csv", PARTICIPANT_HEADER, participant_rows(1234, "BIG"))
    r = await upload(client, "participants", path, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["rowsValid"], r.json()["created"]) == (1234, 1234)
    assert await count(db, Participant, Participant.reference.like("BIG-%")) == 1234
    for i in (0, 499, 500, 1000, 1233):
        person = await participant(db, f"BIG-{i:06d}")
        assert person is not None and person.family_name == f"Achternaam{i}"


async def test_an_import_leaves_the_prepared_statements_of_other_connections(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    """An import creates temporary tables (its staging table, the change feed's batch
    tables). Run as SQLAlchemy DDL that told the asyncpg dialect the schema had changed:
    every connection of the process then prepared all its statements again. A
    connection's prepared statement survives an import on another connection, and a
    second import on the same connection finds its staging table's name free."""
    headers = build.headers_for(Role.coordinator)
    if db.engine.dialect.name != "postgresql":
        for n in (1, 2):  # the same connection (SQLite's pool hands the same one back)
            path = csv_file(
                tmp_path / f"s{n}.csv", PARTICIPANT_HEADER, participant_rows(2, f"S{n}")
            )
            r = await upload(client, "participants", path, headers)
            assert (r.status_code, r.json()["created"]) == (200, 2), r.text
        return
    probe = select(Partner.id).where(Partner.name == "prepared-probe")
    listed = text(
        "SELECT name FROM pg_prepared_statements WHERE statement LIKE 'SELECT partners.id%'"
    )
    async with db.engine.connect() as held:
        await held.execute(probe)
        before = set((await held.execute(listed)).scalars())
        assert len(before) == 1
        await held.commit()
        for n in (1, 2):
            path = csv_file(
                tmp_path / f"p{n}.csv", PARTICIPANT_HEADER, participant_rows(2, f"P{n}")
            )
            r = await upload(client, "participants", path, headers)
            assert (r.status_code, r.json()["created"]) == (200, 2), r.text
        await held.execute(probe)
        assert set((await held.execute(listed)).scalars()) == before


async def test_change_feed_of_a_bulk_import(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    """The set-based feed: one change per row, in the file's order at consecutive
    positions, named as the API names them, seen by the guardian of a guarded one; an
    update is seen by whoever may see the person then."""
    guardian = await build.partner(kind=PartnerKind.nidos)
    header = ["reference", "group", "guardianPartnerId", "dateOfBirth"]
    rows = [
        ["FEED-2", "ukrainian_displaced", "", ""],
        ["FEED-1", "unaccompanied_minor", str(guardian.id), "2014-05-01"],
    ]
    path = csv_file(tmp_path / "p.csv", header, rows)
    headers = build.headers_for(Role.coordinator)
    r = await upload(client, "participants", path, headers)
    assert r.status_code == 200, r.text
    first, second = await participant(db, "FEED-2"), await participant(db, "FEED-1")
    assert first is not None and second is not None

    async def feed(*ids: Any) -> list[tuple[int, str, str, int | None, list[str]]]:
        async with db.sessionmaker() as session:
            found = (
                await session.execute(
                    select(Change.position, Change.entity_id, Change.operation, Change.version)
                    .where(Change.entity == "participants", Change.entity_id.in_(map(str, ids)))
                    .order_by(Change.position)
                )
            ).all()
            return [
                (
                    position,
                    entity_id,
                    operation,
                    version,
                    [
                        str(p)
                        for p in await session.scalars(
                            select(ChangeAudience.partner_id).where(
                                ChangeAudience.position == position
                            )
                        )
                    ],
                )
                for position, entity_id, operation, version in found
            ]

    made = await feed(first.id, second.id)
    assert [row[1:] for row in made] == [
        (str(first.id), "create", 1, []),
        (str(second.id), "create", 1, [str(guardian.id)]),
    ]
    assert made[1][0] == made[0][0] + 1
    # An update: version 2, for the guardian (from the model's scope at COMMIT).
    rows[1][3] = "2014-05-02"
    r = await upload(client, "participants", csv_file(tmp_path / "p2.csv", header, rows), headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 1)
    assert [row[1:] for row in (await feed(second.id))[1:]] == [
        (str(second.id), "update", 2, [str(guardian.id)])
    ]
    # A dry run leaves nothing behind for the next transaction's feed.
    rows[0][1] = "asylum_seeker"
    path = csv_file(tmp_path / "p3.csv", header, rows)
    r = await upload(client, "participants", path, headers, dry_run=True)
    assert r.status_code == 200, r.text
    partner = await build.partner()
    async with db.sessionmaker() as session:
        latest = await session.scalar(select(func.max(Change.position)))
        entity = await session.scalar(select(Change.entity).where(Change.position == latest))
    assert entity == "partners" and len(await feed(first.id)) == 1
    assert partner is not None


async def test_dates_and_text_the_fast_path_cannot_judge(
    client: httpx.AsyncClient, build: Builder, tmp_path: Path
) -> None:
    """Rows whose dates are not dates yet, or whose text holds a NUL, are judged by the
    API's schema itself (the ISO date rule, the NUL rule), with the same messages."""
    header = ["reference", "group", "dateOfBirth"]
    rows = [
        ["FAST-1", "ukrainian_displaced", "1700000000"],
        ["FAST-2", "ukrainian_displaced", "1990-01-01"],
        ["FAST-3\x00", "ukrainian_displaced", ""],
    ]
    path = csv_file(tmp_path / "p.csv", header, rows)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    errors = {(e["row"], e["column"]): e["detail"] for e in problem(r)["errors"]}
    assert set(errors) == {(1, "dateOfBirth"), (3, "reference")}
    assert errors[(1, "dateOfBirth")] == "Input should be a valid date"  # as for a POST


async def test_dry_run_writes_nothing(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(4))
    people, changes = await count(db, Participant), await count(db, Change)
    assert (people, changes) == (0, 0)
    r = await upload(client, "participants", path, build.headers_for(Role.admin), dry_run=True)
    assert r.status_code == 200, r.text
    assert r.json()["rowsTotal"] == 4 and r.json()["rowsValid"] == 4 and r.json()["errors"] == []
    assert await count(db, Participant) == people
    assert await count(db, Change) == changes


async def test_one_bad_row_writes_nothing_and_reports_every_problem(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    rows = participant_rows(5)
    rows[2][3] = "martian"  # group
    rows[4][0] = ""  # reference missing
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, rows)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    body = problem(r)
    assert body["type"] == "urn:opvang:problem:import-rejected"
    assert body["rowsTotal"] == 5 and body["rowsValid"] == 3
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "group"),
        (5, "reference"),
    ]
    # Each says what is wrong as the house style's stable code, for a client to word itself.
    assert [e["code"] for e in body["errors"]] == ["enum", "missing"]
    assert await count(db, Participant) == 0
    # The dry run gives the same report as a 200.
    r = await upload(client, "participants", path, build.headers_for(Role.admin), dry_run=True)
    assert r.status_code == 200 and r.json()["errors"] == body["errors"]


async def test_dutch_file_semicolons_bom_dates_and_headers(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    nidos = await build.partner(kind=PartnerKind.nidos)
    header = ["Referentie", "Voornaam", "Achternaam", "Geboortedatum", "Groep", "Voogd", "Talen"]
    rows = [
        ["NL-1", "Ahmad", "Karimi", "31-12-2012", "unaccompanied_minor", str(nidos.id), "fa;en"],
        ["NL-2", "Olena", "Koval", "1-2-1990", "ukrainian_displaced", "", "uk"],
    ]
    path = csv_file(tmp_path / "nl.csv", header, rows, delimiter=";", bom=True)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 200, r.text
    minor = await participant(db, "NL-1")
    assert minor is not None and minor.date_of_birth == date(2012, 12, 31)
    assert minor.guardian_partner_id == nidos.id and minor.languages == ["fa", "en"]
    adult = await participant(db, "NL-2")
    assert adult is not None and adult.date_of_birth == date(1990, 2, 1)


async def test_windows_1252_file(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    rows = [["W-1", "Zoë", "Müller-Hé", "ukrainian_displaced", "uk"]]
    path = csv_file(tmp_path / "w.csv", PARTICIPANT_HEADER, rows, encoding="cp1252")
    assert "é".encode("cp1252") in path.read_bytes()
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 200, r.text
    person = await participant(db, "W-1")
    assert person is not None and person.given_name == "Zoë" and person.family_name == "Müller-Hé"


async def test_xlsx_with_dates_as_cells(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    header = ["reference", "givenName", "dateOfBirth", "group", "languages"]
    rows = [
        ["X-1", "Iryna", date(1985, 7, 4), "ukrainian_displaced", "uk"],
        [12345, "Petro", "04-07-1980", "ukrainian_displaced", None],
    ]
    path = xlsx_file(tmp_path / "p.xlsx", header, rows)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 200, r.text
    person = await participant(db, "X-1")
    assert person is not None and person.date_of_birth == date(1985, 7, 4)
    number = await participant(db, "12345")
    assert number is not None and number.date_of_birth == date(1980, 7, 4)
    assert number.languages == []


async def test_unknown_and_missing_columns(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    path = csv_file(
        tmp_path / "p.csv",
        ["reference", "religion", "Referentie"],
        [["A-1", "x", "A-1"], ["A-2", "y", "A-2"]],
    )
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    body = problem(r)
    assert body["rowsTotal"] == 2 and body["rowsValid"] == 0
    # Each file problem carries a code (and the params its sentence needs), so the
    # dashboard words it in Dutch without reading the English detail.
    found = {(e["row"], e["column"], e["code"]) for e in body["errors"]}
    assert found == {
        (0, "religion", "unknown_column"),
        (0, "Referentie", "duplicate_column"),
        (0, "group", "missing_column"),
    }
    by_code = {e["code"]: e for e in body["errors"]}
    assert "Unknown column" in by_code["unknown_column"]["detail"]
    assert "group" in by_code["unknown_column"]["params"]["columns"]
    assert by_code["duplicate_column"]["params"] == {"column": "reference"}
    assert await count(db, Participant) == 0
    path = csv_file(
        tmp_path / "w.csv",
        ["reference", "group"],
        [["A-1", "asylum_seeker"], ["A-2", "asylum_seeker", "", "extra"]],
    )
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    (wide,) = problem(r)["errors"]
    assert (wide["row"], wide["code"], wide["params"]) == (
        2, "row_too_wide", {"values": 4, "columns": 2},
    )  # fmt: skip


async def test_duplicate_keys_in_one_file(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    rows = participant_rows(3)
    rows[2][0] = rows[0][0]
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, rows)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    errors = problem(r)["errors"]
    assert errors == [
        {
            "row": 3,
            "column": "reference",
            "detail": "The same reference is on row 1 of this file.",
            "in": "file",
            "name": "rows[3].reference",
            "type": None,  # not a business rule's: a file's own problem
            "code": "duplicate_in_file",  # a client words it from the code and the row
            "params": {"row": 1},
        }
    ]
    assert await count(db, Participant) == 0


async def test_bsn_held_by_someone_else_and_minor_rules(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    await records.participant(db, reference="HELD", bsn="111222333")
    header = ["reference", "bsn", "group", "dateOfBirth"]
    rows = [
        ["B-1", "111222333", "ukrainian_displaced", ""],
        ["B-2", "123456789", "ukrainian_displaced", ""],  # fails the 11-test
        ["B-3", "", "unaccompanied_minor", "2000-01-01"],  # no guardian, adult
    ]
    path = csv_file(tmp_path / "p.csv", header, rows)
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    found = {(e["row"], e["column"], e["code"]) for e in problem(r)["errors"]}
    assert found == {
        (1, "bsn", "taken"),
        (2, "bsn", "bsn_checksum"),
        (3, "guardianPartnerId", "minor_needs_guardian"),
    }


async def test_malformed_files(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    headers = build.headers_for(Role.coordinator)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"reference,group\x00\n\x00\x01\x02")
    not_text = tmp_path / "junk.csv"
    not_text.write_bytes(b"reference,group\n\x81\x8d\x8f\x90\x9d,x\n")
    broken_zip = tmp_path / "broken.xlsx"
    broken_zip.write_bytes(b"PK\x03\x04 this is no zip")
    for path, kind in [
        (empty, "import-file-empty"),
        (binary, "import-file-unreadable"),
        (not_text, "import-file-encoding"),
        (broken_zip, "import-file-unreadable"),
    ]:
        r = await upload(client, "participants", path, headers)
        assert r.status_code == 400, (path, r.text)
        assert problem(r)["type"] == f"urn:opvang:problem:{kind}", path
    r = await client.post(f"{URL}/participants", content=b"x", headers=headers)
    assert r.status_code == 400 and problem(r)["type"].endswith("import-file-missing")
    r = await client.post(f"{URL}/participants", files={"other": ("a.csv", b"a")}, headers=headers)
    assert r.status_code == 400 and problem(r)["type"].endswith("import-file-missing")
    r = await client.post(f"{URL}/martians", files={"file": ("a.csv", b"a")}, headers=headers)
    assert r.status_code == 400, r.text
    assert await count(db, Participant) == 0


async def test_zip_bomb_is_refused(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1024 * 1024
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    body = problem(r)
    assert body["type"] == "urn:opvang:problem:import-file-too-large"
    assert "zip bomb" in body["detail"]


async def test_upload_over_the_limit_is_413(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path, app: Any
) -> None:
    app.state.api.state.settings = app.state.api.state.settings.model_copy(
        update={"import_max_bytes": 2048}
    )
    path = csv_file(tmp_path / "big.csv", PARTICIPANT_HEADER, participant_rows(2000))
    r = await upload(client, "participants", path, build.headers_for(Role.coordinator))
    assert r.status_code == 413, r.text
    assert problem(r)["type"] == "urn:opvang:problem:import-too-large"

    # Without a Content-Length the limit holds while reading.
    async def chunks() -> Any:
        boundary = b"--xyz\r\n"
        yield boundary
        yield b'Content-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for _ in range(200):
            yield b"A" * 1024
        yield b"\r\n--xyz--\r\n"

    r = await client.post(
        f"{URL}/participants",
        content=chunks(),
        headers={
            **build.headers_for(Role.coordinator),
            "content-type": "multipart/form-data; boundary=xyz",
        },
    )
    assert r.status_code == 413, r.text
    assert await count(db, Participant) == 0


async def test_roles(client: httpx.AsyncClient, build: Builder, tmp_path: Path) -> None:
    partner = await build.partner()
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(1))
    r = await client.post(f"{URL}/participants", files={"file": ("p.csv", b"x")})
    assert r.status_code == 401
    for role, who, expected in [
        (Role.partner, partner, 403),
        (Role.viewer, None, 403),
        (Role.finance, None, 403),
        (Role.coordinator, None, 200),
    ]:
        r = await upload(client, "participants", path, build.headers_for(role, who), dry_run=True)
        assert r.status_code == expected, (role, r.text)
        if expected == 403:
            problem(r)
    rates = csv_file(tmp_path / "r.csv", ["schemeCode", "validFrom", "amount"], [])
    r = await upload(client, "rates", rates, build.headers_for(Role.coordinator), dry_run=True)
    assert r.status_code == 403
    r = await upload(client, "rates", rates, build.headers_for(Role.finance), dry_run=True)
    assert r.status_code == 200, r.text


# --- placements ------------------------------------------------------------------------

PLACEMENT_HEADER = ["Referentie", "Locatie", "Begindatum", "Einddatum", "Vertrekreden"]


async def _people(db: Database, n: int) -> list[Participant]:
    return [await records.participant(db, reference=f"PL-{i}") for i in range(n)]


async def test_placements_happy_path_rerun_and_update(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, name="De Pauwhof", capacity=3)
    other = await records.location(db, op, name="Het Overbos", capacity=3)
    people = await _people(db, 3)
    headers = build.headers_for(Role.coordinator)
    before = await count(db, Change, Change.entity == "placements")
    rows = [
        ["PL-0", "De Pauwhof", "01-03-2024", "", ""],
        ["PL-1", "De Pauwhof", "2024-03-05", "01-04-2024", "housing"],
        ["PL-1", "Het Overbos", "01-04-2024", "", ""],
    ]
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows, delimiter=";")
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (3, 0, 0)
    assert await count(db, Placement, Placement.location_id == loc.id) == 2
    assert await count(db, Placement, Placement.location_id == other.id) == 1
    changes = await count(db, Change, Change.entity == "placements")
    assert changes == before + 3
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 3)
    assert await count(db, Change, Change.entity == "placements") == changes
    # Ending the open stay: one update.
    rows[0][3:] = ["15-03-2024", "left"]
    path = csv_file(tmp_path / "pl2.csv", PLACEMENT_HEADER, rows, delimiter=";")
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 2)
    async with db.sessionmaker() as session:
        stay = await session.scalar(
            select(Placement).where(Placement.participant_id == people[0].id)
        )
    assert stay is not None and stay.end_date == date(2024, 3, 15) and stay.version == 2


async def test_placement_rules_are_checked_setwise(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    op = await build.partner()
    await records.location(db, op, name="Klein", capacity=1, opened_on=date(2024, 1, 1))
    await records.location(
        db, op, name="Dicht", capacity=5, opened_on=date(2024, 1, 1), closed_on=date(2024, 6, 30)
    )
    await _people(db, 4)
    headers = build.headers_for(Role.coordinator)
    rows = [
        ["PL-0", "Klein", "2024-03-01", "", ""],
        ["PL-1", "Klein", "2024-03-10", "2024-03-20", "left"],  # over capacity
        ["PL-2", "Dicht", "2024-02-01", "", ""],  # open-ended at a closing location
        ["PL-3", "Klein", "2023-12-01", "2023-12-05", "left"],  # before opening
        ["PL-4", "Klein", "2024-03-01", "", ""],  # unknown person
        ["PL-2", "Nergens", "2024-08-01", "", ""],  # unknown location
        ["PL-1", "Dicht", "2024-03-01", "2024-02-01", "left"],  # end before start
    ]
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 400, r.text
    found = {(e["row"], e["column"]) for e in problem(r)["errors"]}
    # Reference problems come first; the rules that need the rows known after.
    assert found == {(5, "participantReference"), (6, "locationName"), (7, "endDate")}
    del rows[4:]
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 400, r.text
    errors = problem(r)["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(3, "endDate"), (4, "startDate")}
    del rows[2:]
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 400, r.text
    errors = problem(r)["errors"]
    assert errors == [
        {
            "row": 2,
            "column": "startDate",
            "detail": "Location 'Klein' would hold 2 people on 2024-03-10 with 1 places.",
            "in": "file",
            "name": "rows[2].startDate",
            "type": "urn:opvang:problem:over-capacity",  # the API's type for the rule
            "code": "invalid",  # the rule is named by its type
            "params": None,
        }
    ]
    assert await count(db, Placement) == 0
    # Overlap: one person twice, within the file and against the database.
    rows = [
        ["PL-0", "Klein", "2024-03-01", "2024-03-10", "transfer"],
        ["PL-0", "Dicht", "2024-03-05", "2024-03-20", "left"],
    ]
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 400, r.text
    errors = problem(r)["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(1, "startDate"), (2, "startDate")}
    assert "on the night of 2024-03-05" in errors[0]["detail"]
    assert await count(db, Placement) == 0
    # The dry run of a good file reports no problem and writes nothing.
    r = await upload(client, "placements", path, headers, dry_run=True)
    assert r.status_code == 200 and len(r.json()["errors"]) == 2
    rows[1][2] = "2024-03-10"
    path = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
    r = await upload(client, "placements", path, headers, dry_run=True)
    assert r.status_code == 200 and r.json()["errors"] == [], r.text
    assert await count(db, Placement) == 0
    r = await upload(client, "placements", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 2, r.text


async def test_placements_by_id_and_minor_age(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    from api.models import Group

    op, nidos = await build.partner(), await build.partner()
    loc = await records.location(db, op, capacity=5)
    minor = await records.participant(
        db, group=Group.unaccompanied_minor, date_of_birth=date(2006, 6, 1), guardian=nidos
    )
    header = ["participantId", "locationId", "startDate"]
    rows = [[str(minor.id), str(loc.id), "2024-05-31"], [str(minor.id), str(loc.id), "2024-06-01"]]
    path = csv_file(tmp_path / "pl.csv", header, rows)
    r = await upload(client, "placements", path, build.headers_for(Role.admin))
    assert r.status_code == 400, r.text
    errors = problem(r)["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(2, "startDate")}
    assert "under 18" in next(e for e in errors if e["row"] == 2)["detail"]
    path = csv_file(tmp_path / "pl.csv", header, rows[:1])
    r = await upload(client, "placements", path, build.headers_for(Role.admin))
    assert r.status_code == 200, r.text
    # The change feed names the stay for its location's operator and the guardian.
    async with db.sessionmaker() as session:
        stay = await session.scalar(
            select(Placement.id).where(Placement.participant_id == minor.id)
        )
        partners = (
            await session.scalars(
                select(ChangeAudience.partner_id)
                .join(Change, Change.position == ChangeAudience.position)
                .where(Change.entity == "placements", Change.entity_id == str(stay))
            )
        ).all()
    assert sorted(map(str, partners)) == sorted([str(op.id), str(nidos.id)])


# --- locations -------------------------------------------------------------------------


async def test_locations_import_upserts_on_name(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    op = await build.partner()
    header = ["Naam", "Adres", "Postcode", "Soort", "Exploitant", "Geopend op", "Capaciteit"]
    rows = [
        [
            "Raadhuisstraat 1",
            "Raadhuisstraat 1",
            "2101hd",
            "municipal_ukrainian",
            str(op.id),
            "01-03-2022",
            "16",
        ],
        [
            "Dreef 156",
            "Heemsteedse Dreef 156",
            "2101 KN",
            "amv_small_scale",
            str(op.id),
            "2024-01-15",
            "16",
        ],
    ]
    path = xlsx_file(tmp_path / "loc.xlsx", header, rows)
    headers = build.headers_for(Role.coordinator)
    r = await upload(client, "locations", path, headers)
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 2
    async with db.sessionmaker() as session:
        loc = await session.scalar(select(Location).where(Location.name == "Raadhuisstraat 1"))
        assert loc is not None and loc.postcode == "2101 HD" and loc.opened_on == date(2022, 3, 1)
        assert (
            await session.scalar(
                select(CapacityChange.capacity).where(CapacityChange.location_id == loc.id)
            )
            == 16
        )
    r = await upload(client, "locations", path, headers)
    assert r.status_code == 200 and r.json()["unchanged"] == 2, r.text
    rows[1][1] = "Heemsteedse Dreef 156A"
    rows[0][6] = "20"
    path = xlsx_file(tmp_path / "loc2.xlsx", header, rows)
    r = await upload(client, "locations", path, headers)
    assert r.status_code == 400, r.text
    assert [(e["row"], e["column"]) for e in problem(r)["errors"]] == [(1, "capacity")]
    rows[0][6] = "16"
    path = xlsx_file(tmp_path / "loc3.xlsx", header, rows)
    r = await upload(client, "locations", path, headers)
    assert r.status_code == 200 and r.json()["updated"] == 1, r.text
    # A bad postcode and an unknown operator: nothing written.
    bad = [["Nieuw", "Straat 1", "0123 AB", "emergency", str(op.id), "2024-01-01", "5"]]
    path = csv_file(tmp_path / "bad.csv", header, bad)
    r = await upload(client, "locations", path, headers)
    assert r.status_code == 400, r.text
    assert await count(db, Location) == 2


# --- activities, enrollments -----------------------------------------------------------


async def test_activities_and_enrollments(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    provider = await build.partner()
    headers = build.headers_for(Role.coordinator)
    header = ["Titel", "Soort", "Aanbieder", "Startdatum", "Capaciteit", "Doelgroepen"]
    rows = [
        [
            "NT2 beginners",
            "language",
            str(provider.id),
            "01-09-2024",
            "1",
            "ukrainian_displaced;asylum_seeker",
        ],
        ["Voetbal", "sport", str(provider.id), "2024-09-01", "", ""],
    ]
    path = csv_file(tmp_path / "a.csv", header, rows)
    r = await upload(client, "activities", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    r = await upload(client, "activities", path, headers)
    assert r.status_code == 200 and r.json()["unchanged"] == 2, r.text
    async with db.sessionmaker() as session:
        nt2 = await session.scalar(select(Activity).where(Activity.title == "NT2 beginners"))
    assert nt2 is not None and nt2.capacity == 1
    assert sorted(nt2.target_groups) == ["asylum_seeker", "ukrainian_displaced"]

    await _people(db, 2)
    header = ["activityId", "Referentie", "Inschrijfdatum"]
    rows = [[str(nt2.id), "PL-0", "02-09-2024"], [str(nt2.id), "PL-1", "03-09-2024"]]
    path = csv_file(tmp_path / "e.csv", header, rows)
    r = await upload(client, "enrollments", path, headers)
    assert r.status_code == 400, r.text  # the second is one above the capacity
    assert [e["row"] for e in problem(r)["errors"]] == [2]
    assert await count(db, Enrollment) == 0
    path = csv_file(tmp_path / "e.csv", header, rows[:1])
    r = await upload(client, "enrollments", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    r = await upload(client, "enrollments", path, headers)
    assert r.status_code == 200 and r.json()["unchanged"] == 1, r.text
    assert await count(db, Enrollment) == 1


# --- expenses, rates -------------------------------------------------------------------


async def test_expenses_with_decimal_commas(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    headers = build.headers_for(Role.finance)
    header = ["Datum", "Categorie", "Bedrag", "Omschrijving"]
    rows = [
        ["31-12-2025", "living_allowance", "1.234,56", "Leefgeld december"],
        ["15-12-2025", "activities", "-12,50", "Creditnota"],
    ]
    path = csv_file(tmp_path / "x.csv", header, rows, delimiter=";")
    r = await upload(client, "expenses", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    async with db.sessionmaker() as session:
        amounts = sorted((await session.scalars(select(Expense.amount))).all())
    assert [str(a) for a in amounts] == ["-12.50", "1234.56"]
    r = await upload(client, "expenses", path, headers)
    assert r.status_code == 200 and r.json()["unchanged"] == 2, r.text
    # In a comma-separated file the decimal mark is a point.
    path = csv_file(tmp_path / "y.csv", header, [["2025-12-30", "staff", "99.95", "Uren"]])
    r = await upload(client, "expenses", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 1, r.text
    bad = csv_file(tmp_path / "z.csv", header, [["2025-12-30", "staff", "0", "Niets"]])
    r = await upload(client, "expenses", bad, headers)
    assert r.status_code == 400 and problem(r)["errors"][0]["column"] == "Bedrag", r.text
    assert await count(db, Expense) == 3


async def test_rates(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    from tests.support.claims import scheme

    found = await scheme(db)
    headers = build.headers_for(Role.finance)
    header = ["Regeling", "Geldig vanaf", "Geldig tot", "Normbedrag", "Bron"]
    rows = [
        [found.code, "01-01-2024", "31-12-2024", "61,00", "NOS"],
        [found.code, "01-01-2025", "31-12-2025", "44,00", "Kamerbrief"],
    ]
    path = xlsx_file(tmp_path / "r.xlsx", header, rows)
    r = await upload(client, "rates", path, headers)
    assert r.status_code == 200 and r.json()["created"] == 2, r.text
    r = await upload(client, "rates", path, headers)
    assert r.status_code == 200 and r.json()["unchanged"] == 2, r.text
    overlapping = xlsx_file(
        tmp_path / "o.xlsx", header, [[found.code, "2024-06-01", "2024-06-30", 50, "x"]]
    )
    r = await upload(client, "rates", overlapping, headers)
    assert r.status_code == 400, r.text
    assert await count(db, ReimbursementRate, ReimbursementRate.scheme_id == found.id) == 2


# --- the command line --------------------------------------------------------------------


def _opvang(*args: str, env: dict[str, str] | None = None) -> Any:
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_cli_straight_into_the_database(tmp_path: Path) -> None:
    import sqlite3

    env = {"OPVANG_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    done = _opvang("migrate", env=env)
    assert done.returncode == 0, done.stderr
    path = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(7))
    done = _opvang("import", "participants", str(path), "--dry-run", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dry run; rows 7, valid 7" in done.stdout
    done = _opvang("import", "participants", str(path), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "imported; rows 7, valid 7, created 7" in done.stdout
    rows = participant_rows(2)
    rows[1][3] = "martian"
    bad = csv_file(tmp_path / "bad.csv", PARTICIPANT_HEADER, rows)
    done = _opvang("import", "participants", str(bad), env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "rejected" in done.stdout and "row 2, column group" in done.stdout
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        assert conn.execute("select count(*) from participants").fetchone() == (7,)
        actions = conn.execute("select action, actor_id from audit_events").fetchall()
    assert ("import", "cli") in actions
    done = _opvang("import", "martians", str(path), env=env)
    assert done.returncode == 2


def test_cli_over_http_and_the_client(tmp_path: Path) -> None:
    from opvang_client import OpvangClient
    from tests.support.live_server import live_server

    with live_server(suffix="_import") as server:
        server.create_user("admin@heemstede.example", "admin", "pw-0123456789abc")
        token = httpx.post(
            server.api_url + "/auth/token",
            data={
                "grant_type": "password",
                "username": "admin@heemstede.example",
                "password": "pw-0123456789abc",
            },
        ).json()["access_token"]
        people = csv_file(tmp_path / "p.csv", PARTICIPANT_HEADER, participant_rows(12))
        args = ["--api-url", server.url, "--token", token]
        done = _opvang("import", "participants", str(people), *args)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "created 12" in done.stdout
        done = _opvang("import", "participants", str(people), *args)
        assert done.returncode == 0 and "unchanged 12" in done.stdout, done.stdout

        with OpvangClient(server.url, token=token) as client:
            op = client.partners.create({"name": "COA", "kind": "coa"})
            client.locations.create(
                {
                    "name": "Dreef",
                    "address": "Heemsteedse Dreef 156",
                    "postcode": "2101 KN",
                    "kind": "amv_small_scale",
                    "operatorPartnerId": op["id"],
                    "openedOn": "2024-01-01",
                    "capacity": 10,
                }
            )
        rows = [[f"IMP-{i:06d}", "Dreef", "2024-02-01", "", ""] for i in range(12)]
        stays = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows)
        done = _opvang("import", "placements", str(stays), *args)
        assert done.returncode == 1, done.stdout + done.stderr
        assert "rows 12, valid 11, created 0" in done.stdout
        assert "row 12, column startDate: Location 'Dreef' would hold 12 people" in done.stdout
        stays = csv_file(tmp_path / "pl.csv", PLACEMENT_HEADER, rows[:10])
        done = _opvang("import", "placements", str(stays), *args)
        assert done.returncode == 0 and "created 10" in done.stdout, done.stdout
        with OpvangClient(server.url, token=token) as client:
            assert client.placements.list(pageSize=1)["total"] == 10
            changes = client.changes.list() if hasattr(client, "changes") else None
            del changes


async def test_placement_row_names_one_person_and_one_location(
    client: httpx.AsyncClient, build: Builder, db: Database, tmp_path: Path
) -> None:
    op = await build.partner()
    loc = await records.location(db, op, name="Eén", capacity=5)
    person = await records.participant(db, reference="ONE-1")
    header = ["participantId", "participantReference", "locationName", "startDate", "extra"]
    rows = [
        [str(person.id), "ONE-1", "Eén", "2024-03-01", ""],  # both
        ["", "", "Eén", "2024-03-01", ""],  # neither
        ["", "ONE-1", "Eén", "2024-03-01", "", "surplus"],  # a value beyond the header
    ]
    header[4] = "endDate"
    path = csv_file(tmp_path / "pl.csv", header, rows)
    r = await upload(client, "placements", path, build.headers_for(Role.coordinator))
    assert r.status_code == 400, r.text
    found = [(e["row"], e["column"]) for e in problem(r)["errors"]]
    assert found == [(1, "participantReference"), (2, "participantReference"), (3, None)]
    assert await count(db, Placement, Placement.location_id == loc.id) == 0
