"""The occupancy benchmark's own parts: its data keeps the rules, and its hand-written
reference query gives the figures counted independently in Python."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from bench import _data, _occupancy_data
from bench.occupancy_report import Reference, totals

YEAR = 2025


def test_generated_stays_keep_the_rules() -> None:
    data = _occupancy_data.generate(YEAR, locations=12, placements=3000)
    assert len(data.placements) == 3000
    assert len({p[0] for p in data.placements}) == 3000  # one person per stay
    opened = {loc["id"]: (loc["opened_on"], loc["closed_on"]) for loc in data.locations}
    for _, loc_id, start, end in data.placements:
        assert end is None or end > start
        first, closed = opened[loc_id]
        assert start >= first
        assert closed is None or (end is not None and end <= closed)
    # No night above capacity, over the two years.
    for loc in data.locations:
        changes = sorted(
            (c["valid_from"], c["capacity"]) for c in data.changes if c["location_id"] == loc["id"]
        )
        stays = [p for p in data.placements if p[1] == loc["id"]]
        day = date(YEAR - 1, 7, 1)
        while day < date(YEAR + 1, 7, 1):
            capacity = max((c for d, c in changes if d <= day), default=0)
            here = sum(1 for _, _, s, e in stays if s <= day and (e is None or e > day))
            assert here <= capacity, (loc["name"], day)
            day += timedelta(days=1)


def test_reference_matches_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench_occ.db'}"
    _data.prepare(url, partners=2)
    data = _occupancy_data.generate(YEAR, locations=12, placements=3000)
    _occupancy_data.load(url, data)
    reference = Reference(url)
    try:
        rows = reference.rows(date(YEAR, 1, 1), date(YEAR, 12, 31))
    finally:
        reference.close()
    assert totals(rows) == data.expected_totals()
    assert all(str(YEAR) == r[1][:4] for r in rows)
    assert all(r[4] == r[2] - r[3] >= 0 for r in rows)
    with sqlite3.connect(tmp_path / "bench_occ.db") as conn:
        assert conn.execute("SELECT count(*) FROM placements").fetchone() == (3000,)
