"""``opvang seed-demo``: the synthetic Heemstede data set keeps every domain rule."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Occupancy only rises where a stay starts and capacity only falls where a change takes
# effect, so checking those event points checks every night.
OVER_CAPACITY = """
WITH points AS (
    SELECT location_id, start_date AS d FROM placements
    UNION SELECT location_id, valid_from FROM capacity_changes
)
SELECT * FROM (
    SELECT points.location_id, points.d,
        (SELECT count(*) FROM placements p WHERE p.location_id = points.location_id
            AND p.start_date <= points.d AND (p.end_date IS NULL OR p.end_date > points.d))
            AS occupied,
        (SELECT c.capacity FROM capacity_changes c WHERE c.location_id = points.location_id
            AND c.valid_from <= points.d ORDER BY c.valid_from DESC LIMIT 1) AS capacity
    FROM points
) WHERE occupied > coalesce(capacity, 0)
"""
OVERLAPS = """
SELECT a.id, b.id FROM placements a JOIN placements b
    ON a.participant_id = b.participant_id AND a.id < b.id
    AND a.start_date < coalesce(b.end_date, '9999-12-31')
    AND b.start_date < coalesce(a.end_date, '9999-12-31')
"""
OUTSIDE_OPEN_DATES = """
SELECT p.id FROM placements p JOIN locations l ON l.id = p.location_id
WHERE p.start_date < l.opened_on
   OR (l.closed_on IS NOT NULL AND (p.end_date IS NULL OR p.end_date > l.closed_on))
"""
MINORS_NOT_14_TO_17 = """
SELECT p.id FROM placements p JOIN participants r ON r.id = p.participant_id
WHERE r."group" = 'unaccompanied_minor'
  AND (r.date_of_birth <= date(p.start_date, '-18 years')
       OR r.date_of_birth > date(p.start_date, '-14 years'))
"""
TABLES = ("locations", "capacity_changes", "participants", "placements", "participant_progress")


def _seed(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "api", "seed-demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _elfproef(bsn: str) -> bool:
    digits = [int(c) for c in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return len(bsn) == 9 and total % 11 == 0


def _snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    # Every column, timestamps included: a second run must not add or change a row.
    return {
        table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in TABLES
    }


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], str]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")},
        "OPVANG_DATABASE_URL": f"sqlite:///{path}",
        "OPVANG_ARGON2_TIME_COST": "1",
        "OPVANG_ARGON2_MEMORY_KIB": "64",
    }
    migrated = subprocess.run(
        [sys.executable, "-m", "api", "migrate"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    return path, env, _seed(env)


def test_seed_counts(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, _, out = seeded
    assert "demo participants: 150 ukrainian_displaced, 20 unaccompanied_minor" in out
    with sqlite3.connect(path) as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM locations GROUP BY kind"))
        assert kinds["municipal_ukrainian"] == 4
        assert 10 <= kinds["private_hosting"] <= 15
        assert kinds["amv_small_scale"] == 1
        amv = conn.execute(
            "SELECT c.capacity FROM capacity_changes c JOIN locations l ON l.id = c.location_id"
            " WHERE l.external_code = 'COA-HSD156' ORDER BY c.valid_from"
        ).fetchall()
        assert [c for (c,) in amv] == [16, 20]
        hosts = conn.execute(
            "SELECT c.capacity FROM capacity_changes c JOIN locations l ON l.id = c.location_id"
            " WHERE l.kind = 'private_hosting'"
        ).fetchall()
        assert all(2 <= c <= 5 for (c,) in hosts)
        people = conn.execute(
            'SELECT "group", nationality, bsn, v_number, guardian_partner_id, household_ref'
            " FROM participants"
        ).fetchall()
        ukrainians = [p for p in people if p[0] == "ukrainian_displaced"]
        minors = [p for p in people if p[0] == "unaccompanied_minor"]
        assert len(ukrainians) == 150 and len(minors) == 20
        assert all(p[1] == "UKR" and p[2] and _elfproef(p[2]) and p[5] for p in ukrainians)
        assert all(p[3] and len(p[3]) == 10 and p[3].isdigit() and p[4] for p in minors)
        assert {p[1] for p in minors} == {"SYR", "ERI", "AFG"}
        reasons = dict(
            conn.execute("SELECT coalesce(end_reason, 'open'), count(*) FROM placements GROUP BY 1")
        )
        assert {"transfer", "housing", "open"} <= reasons.keys()
        # Every person has stays; some moved up a Dutch level and got work.
        assert conn.execute(
            "SELECT count(*) FROM participants r WHERE NOT EXISTS"
            " (SELECT 1 FROM placements p WHERE p.participant_id = r.id)"
        ).fetchone() == (0,)
        levels = conn.execute(
            "SELECT count(DISTINCT participant_id) FROM participant_progress"
            " WHERE field = 'dutch_level' AND value <> 'none'"
        ).fetchone()
        assert levels[0] > 20


def test_seed_keeps_the_rules(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, _, _ = seeded
    with sqlite3.connect(path) as conn:
        assert conn.execute(OVERLAPS).fetchall() == []
        assert conn.execute(OVER_CAPACITY).fetchall() == []
        # ...and the check can fail: some location is full on some night.
        full = OVER_CAPACITY.replace("occupied > coalesce", "occupied >= coalesce")
        assert conn.execute(full).fetchall() != []
        assert conn.execute(OUTSIDE_OPEN_DATES).fetchall() == []
        assert conn.execute(MINORS_NOT_14_TO_17).fetchall() == []
        # A transfer's next stay starts the day it ends.
        assert conn.execute(
            "SELECT count(*) FROM placements a WHERE a.end_reason = 'transfer' AND NOT EXISTS"
            " (SELECT 1 FROM placements b WHERE b.participant_id = a.participant_id"
            " AND b.start_date = a.end_date)"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM placements WHERE end_date > date('now')"
            " OR start_date > date('now')"
        ).fetchone() == (0,)


def test_seed_twice_changes_nothing(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, env, _ = seeded
    with sqlite3.connect(path) as conn:
        before = _snapshot(conn)
    out = _seed(env)
    assert "already present" in out
    with sqlite3.connect(path) as conn:
        assert _snapshot(conn) == before
