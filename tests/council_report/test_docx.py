"""The council report's DOCX from the demo data, written by ``opvang report council``
and read back with python-docx: the headings and a table's cells."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from docx import Document

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


def test_council_docx_from_the_demo(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OPVANG_")},
        "OPVANG_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "OPVANG_ARGON2_TIME_COST": "1",
        "OPVANG_ARGON2_MEMORY_KIB": "64",
    }
    for args in (("migrate",), ("seed-demo",)):
        done = _run(env, *args)
        assert done.returncode == 0, done.stderr
    output = tmp_path / "brief.docx"
    done = _run(env, "report", "council", "--quarter", "2026Q3", "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {output}")

    document = Document(str(output))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == [
        "Raadsinformatiebrief: voortgang opvang vluchtelingen, 3e kwartaal 2026",
        "Bezetting en capaciteit",
        "Deelnemers",
        "Aankomst en vertrek",
        "Doelen van het programma",
        "Signalen",
        "Activiteiten",
        "Geld: inkomsten en uitgaven",
        "Begroting en reserve",
        "Prognose tot het eind van het jaar",
    ]
    # Each chart is an inline PNG, followed by its table.
    assert len(document.inline_shapes) >= 4
    occupancy = document.tables[0]
    assert [c.text for c in occupancy.rows[0].cells] == [
        "Soort opvang", "Locaties", "Plaatsen op peildatum", "Bezet op peildatum",
        "Plaatsen gemiddeld", "Bezet gemiddeld", "Bezettingsgraad",
    ]  # fmt: skip
    assert occupancy.rows[-1].cells[0].text == "Totaal"
    participants = document.tables[1]
    assert [c.text for c in participants.rows[0].cells] == ["Groep", "Personen"]
    # The demo's 170 people: every group has 5 or more, so none is hidden.
    assert all(row.cells[1].text.isdigit() for row in participants.rows[1:])

    # A quarter that has not begun: a message, exit 2, no file.
    done = _run(env, "report", "council", "--quarter", "2099Q1", "--output", str(tmp_path / "x"))
    assert done.returncode == 2 and "not begun" in done.stderr
    assert not (tmp_path / "x").exists()
