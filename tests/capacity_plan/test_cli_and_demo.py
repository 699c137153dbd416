"""The demo's steering data, and `opvang plan realise` (the cron command) on it: a due
change becomes a fact, a refused one is printed and the command exits 1."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from api.common.calendar import today
from api.config import Settings
from api.db import Database, build_engine
from api.models import Location, PlannedCapacityChange, PlannedChangeKind

ROOT = Path(__file__).resolve().parents[2]


def _opvang(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=180, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("plan-demo") / "demo.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")},
        "OPVANG_DATABASE_URL": f"sqlite:///{path}",
        "OPVANG_ARGON2_TIME_COST": "1",
        "OPVANG_ARGON2_MEMORY_KIB": "64",
    }
    for command in ("migrate", "seed-demo"):
        done = _opvang(env, command)
        assert done.returncode == 0, done.stderr
    return path, env


def test_the_demo_holds_a_begroting_a_reserve_and_a_plan(demo: tuple[Path, dict[str, str]]) -> None:
    path, _env = demo
    with sqlite3.connect(path) as conn:
        versions = conn.execute(
            "SELECT year, number, decision_reference FROM budget_versions ORDER BY year, number"
        ).fetchall()
        assert [(y, n) for y, n, _ in versions] == [(2025, 0), (2026, 0), (2026, 1)]
        assert all(ref for *_, ref in versions)  # each with its council decision
        # 9 categories in each primitive, 3 schemes in 2025 and 2 in 2026, 3 changes in the
        # wijziging.
        assert conn.execute("SELECT count(*) FROM budget_lines").fetchone() == (26,)
        assert conn.execute("SELECT count(*) FROM reserve_mutations").fetchone() == (1,)
        # plan.py's changes of the GOO locations; the Spreidingswet demo (spreiding.py) adds
        # the AMV location's growth to 25 places, three weeks from today.
        plan = conn.execute(
            "SELECT p.kind, p.takes_effect_on, l.kind FROM planned_capacity_changes p "
            "JOIN locations l ON l.id = p.location_id ORDER BY p.takes_effect_on"
        ).fetchall()
        goo = [(k, d) for k, d, lk in plan if lk == "municipal_ukrainian"]
        assert goo == [("capacity", "2027-03-01"), ("closing", "2027-10-01")]
        assert [(k, lk) for k, _d, lk in plan if lk != "municipal_ukrainian"] == [
            ("capacity", "amv_small_scale")
        ]
        # The AMV's (plan.py); one per location.
        assumed = conn.execute("SELECT rate_bp FROM occupancy_assumptions").fetchall()
        assert assumed == [(9500,)]


async def test_plan_realise_from_the_command_line(demo: tuple[Path, dict[str, str]]) -> None:
    """Two changes of GOO Kerklaan whose day has come (written as if planned earlier):
    60 places from the day before yesterday (realised), 0 places from yesterday (people
    stay there: refused, printed, exit code 1)."""
    path, env = demo
    db = Database(build_engine(Settings(database_url=f"sqlite:///{path}")))
    day = today()
    try:
        async with db.sessionmaker() as session, session.begin():
            kerklaan = await session.scalar(
                select(Location.id).where(Location.name == "GOO Kerklaan")
            )
            assert kerklaan is not None
            session.add_all(
                PlannedCapacityChange(
                    location_id=kerklaan, kind=PlannedChangeKind.capacity,
                    takes_effect_on=day - timedelta(days=n), capacity=places,
                )
                for n, places in ((2, 60), (1, 0))
            )  # fmt: skip
    finally:
        await db.dispose()
    done = _opvang(env, "plan", "realise")
    assert done.returncode == 1, done.stderr
    assert "1 of 2 due change(s) realised." in done.stdout
    assert "NOT realised" in done.stdout and "the capacity would be 0" in done.stdout
    with sqlite3.connect(path) as conn:
        realised = conn.execute(
            "SELECT capacity, realised_at IS NOT NULL FROM planned_capacity_changes "
            "WHERE takes_effect_on < ? ORDER BY takes_effect_on",
            (day.isoformat(),),
        ).fetchall()
        assert realised == [(60, 1), (0, 0)]
        made = conn.execute(
            "SELECT capacity FROM capacity_changes WHERE valid_from = ?",
            ((day - timedelta(days=2)).isoformat(),),
        ).fetchall()
        assert made == [(60,)]
