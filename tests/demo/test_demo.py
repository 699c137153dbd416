"""``opvang seed-demo``: the synthetic Heemstede data set keeps every domain rule."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from api.common.calendar import today
from tests.conftest import ROOT

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
# The programme: every enrollment keeps the rules the API enforces.


def connect(path: Path) -> sqlite3.Connection:
    """The demo database, with ``local_today()``: the programme's day (Europe/Amsterdam),
    which the demo is built around; SQLite's ``date('now')`` is UTC's day, one or two
    hours behind it around midnight."""
    conn = sqlite3.connect(path)
    conn.create_function("local_today", 0, lambda: today().isoformat(), deterministic=False)
    return conn


ENROLLMENT_RULES = {
    "outside the target groups": """
        SELECT e.id FROM enrollments e JOIN activities a ON a.id = e.activity_id
        JOIN participants p ON p.id = e.participant_id
        WHERE json_array_length(a.target_groups) > 0 AND NOT EXISTS
            (SELECT 1 FROM json_each(a.target_groups) g WHERE g.value = p."group")""",
    "outside the activity's dates": """
        SELECT e.id FROM enrollments e JOIN activities a ON a.id = e.activity_id
        WHERE e.enrolled_on < a.starts_on OR e.enrolled_on > coalesce(a.ends_on, local_today())
           OR e.ended_on > a.ends_on
           OR (a.ends_on < local_today() AND e.status IN ('enrolled', 'active'))""",
    "ended before enrolled, or ended without closing": """
        SELECT id FROM enrollments WHERE ended_on < enrolled_on
           OR (status IN ('enrolled', 'active')) <> (ended_on IS NULL)""",
    "not placed in Heemstede when enrolled": """
        SELECT e.id FROM enrollments e WHERE NOT EXISTS (SELECT 1 FROM placements p
            WHERE p.participant_id = e.participant_id AND p.start_date <= e.enrolled_on
              AND (p.end_date IS NULL OR p.end_date >= e.enrolled_on))""",
    "two open enrollments in one activity": """
        SELECT activity_id, participant_id FROM enrollments
        WHERE status IN ('enrolled', 'active') GROUP BY 1, 2 HAVING count(*) > 1""",
    "more open enrollments than places": """
        SELECT a.id FROM activities a WHERE a.capacity IS NOT NULL AND a.capacity <
            (SELECT count(*) FROM enrollments e WHERE e.activity_id = a.id
              AND e.status IN ('enrolled', 'active'))""",
    "attendance without an enrollment open that day": """
        SELECT t.id FROM attendance t JOIN enrollments e ON e.id = t.enrollment_id
        WHERE t.activity_id <> e.activity_id OR t.participant_id <> e.participant_id
           OR t.session_date < e.enrolled_on
           OR t.session_date > coalesce(e.ended_on, local_today())""",
    "attendance outside the activity's dates": """
        SELECT t.id FROM attendance t JOIN activities a ON a.id = t.activity_id
        WHERE t.session_date < a.starts_on OR t.session_date > coalesce(a.ends_on, local_today())
           OR t.session_date > local_today()""",
}
OVERDUE = """
SELECT count(*) FROM signals WHERE severity = 'high' AND status <> 'resolved'
    AND reported_at < datetime('now', '-7 days')
"""
TABLES = (
    "locations",
    "capacity_changes",
    "participants",
    "placements",
    "participant_progress",
    "activities",
    "enrollments",
    "attendance",
    "signals",
    "signal_actions",
    "reimbursement_claims",
    "reimbursement_claim_lines",
    "expenses",
    "meetings",
    "meeting_partners",
    "agreements",
    "agreement_notes",
    "communications",
)


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
    # 150 Ukrainians and 20 minors arrive in the two-year window; the GOO and AMV
    # locations are then topped up to near full from their opening on (issue 17: the
    # history starts at each location's opening), which adds people.
    counts = re.search(
        r"demo participants: (\d+) ukrainian_displaced, (\d+) unaccompanied_minor", out
    )
    assert counts is not None
    assert int(counts[1]) > 150 and int(counts[2]) > 20
    with connect(path) as conn:
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
        assert len(ukrainians) == int(counts[1]) and len(minors) == int(counts[2])
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
    with connect(path) as conn:
        assert conn.execute(OVERLAPS).fetchall() == []
        assert conn.execute(OVER_CAPACITY).fetchall() == []
        # ...and the check can fail: some location is full on some night.
        full = OVER_CAPACITY.replace("occupied > coalesce", "occupied >= coalesce")
        assert conn.execute(full).fetchall() != []
        assert conn.execute(OUTSIDE_OPEN_DATES).fetchall() == []
        assert conn.execute(MINORS_NOT_14_TO_17).fetchall() == []
        # GOO and AMV near full: on a night in 2025 at most a few places are free.
        free = conn.execute(
            "SELECT sum(c.capacity) - (SELECT count(*) FROM placements p JOIN locations q"
            " ON q.id = p.location_id WHERE q.kind IN ('municipal_ukrainian', 'amv_small_scale')"
            " AND p.start_date <= '2025-06-30'"
            " AND (p.end_date IS NULL OR p.end_date > '2025-06-30'))"
            " FROM capacity_changes c JOIN locations l ON l.id = c.location_id"
            " WHERE l.kind IN ('municipal_ukrainian', 'amv_small_scale')"
            " AND c.valid_from = (SELECT max(valid_from) FROM capacity_changes d"
            " WHERE d.location_id = c.location_id AND d.valid_from <= '2025-06-30')"
        ).fetchone()[0]
        assert 0 <= free <= 6
        # A transfer's next stay starts the day it ends.
        assert conn.execute(
            "SELECT count(*) FROM placements a WHERE a.end_reason = 'transfer' AND NOT EXISTS"
            " (SELECT 1 FROM placements b WHERE b.participant_id = a.participant_id"
            " AND b.start_date = a.end_date)"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM placements WHERE end_date > local_today()"
            " OR start_date > local_today()"
        ).fetchone() == (0,)


def test_seed_twice_changes_nothing(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, env, _ = seeded
    with connect(path) as conn:
        before = _snapshot(conn)
    out = _seed(env)
    assert "already present" in out
    with connect(path) as conn:
        assert _snapshot(conn) == before


def test_seed_programme(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, _, out = seeded
    assert "demo signals: 30 " in out
    with connect(path) as conn:
        offers = conn.execute(
            "SELECT a.title, a.kind, p.name, l.name FROM activities a"
            " JOIN partners p ON p.id = a.provider_partner_id"
            " LEFT JOIN locations l ON l.id = a.location_id"
        ).fetchall()
        by_provider = {(kind, provider) for _, kind, provider, _ in offers}
        assert {
            ("language", "Bibliotheek Heemstede"),
            ("sport", "Sportclub Heemstede"),
            ("volunteering", "Welzijn Heemstede"),
        } <= by_provider
        at_amv = {kind for _, kind, _, venue in offers if venue == "AMV Heemsteedse Dreef 156"}
        assert "community" in at_amv
        assert len(offers) >= 8
        statuses = dict(conn.execute("SELECT status, count(*) FROM enrollments GROUP BY 1"))
        assert statuses.keys() == {"enrolled", "active", "completed", "dropped_out"}
        assert statuses["active"] >= 50
        # Someone in every target group takes part; an activity is full.
        groups = {
            g
            for (g,) in conn.execute(
                'SELECT DISTINCT p."group" FROM enrollments e'
                " JOIN participants p ON p.id = e.participant_id"
            )
        }
        assert groups == {"ukrainian_displaced", "unaccompanied_minor"}
        # Weekly attendance for the last ~12 weeks, mostly present.
        marks = dict(conn.execute("SELECT status, count(*) FROM attendance GROUP BY 1"))
        assert marks.keys() == {"present", "absent", "excused"}
        assert marks["present"] > 3 * (marks["absent"] + marks["excused"])
        first, weeks = conn.execute(
            "SELECT min(session_date), count(DISTINCT strftime('%W-%Y', session_date))"
            " FROM attendance WHERE session_date >= date('now', '-84 days')"
        ).fetchone()
        assert weeks >= 11 and first <= conn.execute("SELECT date('now', '-77 days')").fetchone()[0]
        # Signals over two years, most resolved, two high ones overdue, with follow-up.
        signals = dict(conn.execute("SELECT category, count(*) FROM signals GROUP BY 1"))
        assert sum(signals.values()) == 30
        assert {"nuisance", "social_tension", "need", "question", "compliment"} <= signals.keys()
        assert conn.execute(OVERDUE).fetchone() == (2,)
        span = conn.execute(
            "SELECT julianday('now') - julianday(min(reported_at)) FROM signals"
        ).fetchone()[0]
        assert 365 < span <= 731
        assert conn.execute(
            "SELECT count(*) FROM signals WHERE (status = 'resolved') <> (resolved_at IS NOT NULL)"
            " OR resolved_at < reported_at OR reported_at > datetime('now')"
        ).fetchone() == (0,)
        assert conn.execute(
            "SELECT count(*) FROM signal_actions a JOIN signals s ON s.id = a.signal_id"
            " WHERE a.created_at < s.reported_at OR a.created_at > datetime('now')"
            " OR a.author_id IS NULL"
        ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM signal_actions").fetchone()[0] >= 20
        # Signals in progress or resolved were picked up by the coordinator; open ones by nobody.
        assert conn.execute(
            "SELECT count(*) FROM signals s LEFT JOIN users u ON u.id = s.owner_user_id"
            " WHERE (s.status = 'open') <> (u.id IS NULL)"
            " OR (u.id IS NOT NULL AND u.email <> 'coordinator@heemstede.example')"
        ).fetchone() == (0,)
        # Attendance falls on the activity's weekdays (ISO), where it has any.
        for weekdays, day in conn.execute(
            "SELECT a.weekdays, t.session_date FROM attendance t"
            " JOIN activities a ON a.id = t.activity_id"
        ):
            iso = date.fromisoformat(day).isoweekday()
            assert json.loads(weekdays) in ([], [iso]), (weekdays, day)
        # Residents' names are never stored with signals.
        assert conn.execute(
            "SELECT count(*) FROM signals s JOIN participants p"
            " ON instr(s.summary, p.given_name) > 0 OR instr(s.summary, p.family_name) > 0"
        ).fetchone() == (0,)


def test_seed_programme_keeps_the_rules(seeded: tuple[Path, dict[str, str], str]) -> None:
    path, _, _ = seeded
    with connect(path) as conn:
        for rule, sql in ENROLLMENT_RULES.items():
            assert conn.execute(sql).fetchall() == [], rule
        # ...and the capacity check can fail: some activity is full.
        full = ENROLLMENT_RULES["more open enrollments than places"].replace(
            "capacity <", "capacity <="
        )
        assert conn.execute(full).fetchall() != []


def test_seed_finance(seeded: tuple[Path, dict[str, str], str]) -> None:
    """Claims for each quarter of the last year the published rates cover, further along
    the flow the older they are, frozen with their lines; expenses up to today."""
    path, _, out = seeded
    assert "demo claims: 8 for 2025 (BOO-GOO, BOO-POO)" in out
    with connect(path) as conn:
        claims = conn.execute(
            "SELECT s.code, c.period_start, c.period_end, c.status, c.total_amount,"
            " c.received_amount, c.frozen_at IS NOT NULL, c.inputs_hash IS NOT NULL,"
            " (SELECT coalesce(sum(amount), 0) FROM reimbursement_claim_lines l"
            "  WHERE l.claim_id = c.id),"
            " (SELECT count(*) FROM reimbursement_claim_status_changes h"
            "  WHERE h.claim_id = c.id)"
            " FROM reimbursement_claims c JOIN reimbursement_schemes s ON s.id = c.scheme_id"
            " ORDER BY s.code, c.period_start"
        ).fetchall()
        assert [(c[0], c[1], c[3]) for c in claims] == [
            (code, start, status)
            for code in ("BOO-GOO", "BOO-POO")
            for start, status in (
                ("2025-01-01", "paid"),
                ("2025-04-01", "approved"),
                ("2025-07-01", "submitted"),
                ("2025-10-01", "submitted"),
            )
        ]
        for _code, _start, _end, status, total, received, frozen, hashed, lines, moves in claims:
            assert total > 0 and total == lines  # cents: the total is the sum of the lines
            assert frozen and hashed
            assert received == (total if status == "paid" else None)
            assert moves == {"paid": 4, "approved": 3, "submitted": 2}[status]
        first, last, count = conn.execute(
            "SELECT min(spent_on), max(spent_on), count(DISTINCT category) FROM expenses"
        ).fetchone()
        assert first == "2025-01-01" and last <= today().isoformat() and count == 9


def test_seed_meetings(seeded: tuple[Path, dict[str, str], str]) -> None:
    """Residents are never participants: the neighbours' evening is a meeting with a count,
    its agreements (one overdue), a sounding board per quarter, and the communication log."""
    path, _, out = seeded
    assert "demo meetings: " in out
    with connect(path) as conn:
        named = conn.execute(
            "SELECT count(*) FROM activities WHERE lower(title) LIKE '%buurtavond%'"
            " OR kind = 'information_meeting'"
        ).fetchone()
        assert named == (0,)
        kinds = dict(
            conn.execute(
                "SELECT m.kind, count(*) FROM meetings m JOIN locations l ON l.id = m.location_id"
                " WHERE l.name = 'AMV Heemsteedse Dreef 156' GROUP BY 1"
            )
        )
        assert kinds.keys() == {"information_evening", "neighbourhood_meeting", "sounding_board"}
        assert kinds["sounding_board"] >= 4
        (evening, residents) = conn.execute(
            "SELECT id, residents_present FROM meetings WHERE kind = 'neighbourhood_meeting'"
        ).fetchone()
        assert residents > 0
        present = {
            n
            for (n,) in conn.execute(
                "SELECT p.name FROM meeting_partners mp JOIN partners p ON p.id = mp.partner_id"
                " WHERE mp.meeting_id = ?",
                (evening,),
            )
        }
        assert {"Nidos", "Welzijn Heemstede"} <= present
        statuses = dict(
            conn.execute(
                "SELECT status, count(*) FROM agreements WHERE meeting_id = ? GROUP BY 1",
                (evening,),
            )
        )
        assert {"done", "in_progress", "open"} <= statuses.keys()
        overdue = conn.execute(
            "SELECT count(*) FROM agreements WHERE status IN ('open', 'in_progress')"
            " AND due_on < local_today()"
        ).fetchone()
        assert overdue[0] >= 1
        channels = {c for (c,) in conn.execute("SELECT DISTINCT channel FROM communications")}
        assert {"letter", "newsletter", "website"} <= channels
        general = conn.execute(
            "SELECT count(*) FROM communications WHERE location_id IS NULL AND candidate_id IS NULL"
        ).fetchone()
        assert general[0] >= 1
