"""An atomic batch that applies nothing is taken back out of its group's state
(``api.partner_events.savepoint``): in memory, every field the rules may change."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date

from api.models import DutchLevel, EmploymentStatus
from api.partner_events import rules, savepoint
from api.partner_events.parsing import parse_all
from api.partner_events.state import DETAILS, Batch, Person, Place, Stay
from tests.support.partner_events import departure, intake, transfer, update


def _world() -> Batch:
    partner = uuid.uuid4()
    a = Place(uuid.uuid4(), "A", partner, "A", date(2024, 1, 1), None)
    b = Place(uuid.uuid4(), "B", partner, "B", date(2024, 1, 1), None)
    x = uuid.uuid4()
    details = dict.fromkeys(DETAILS) | {
        "group": "asylum_seeker",
        "languages": [],
        "dutch_level": DutchLevel.none,
        "employment_status": EmploymentStatus.not_working,
    }
    return Batch(
        partner_id=partner,
        refs={"X": x},
        persons={x: Person(x, details, False, 3)},
        stays={x: [Stay(uuid.uuid4(), a.id, date(2024, 2, 1), None, None, 2)]},
        places={a.id: a, b.id: b},
        by_code={"A": a, "B": b},
        v_numbers={},
        partners={},
        visible_since=date(2024, 1, 1),
    )


def test_undo_puts_back_everything_the_batch_changed() -> None:
    batch = _world()
    # An earlier batch of the group took someone in: the savepoint keeps that.
    earlier = parse_all([intake("e-0", "E", "2024-03-01", code="A", vNumber="1111111111")])
    rules.play(earlier[0], batch)
    before = asdict(batch)

    outcomes = parse_all(
        [
            transfer("e-1", "X", "2024-04-01", code="B"),
            update("e-2", "X", "2024-04-02", dutchLevel="A2", vNumber="2222222222"),
            intake("e-3", "Y", "2024-04-03", code="A", vNumber="3333333333"),
            departure("e-4", "Y", "2024-05-01"),
            departure("e-5", "E", "2024-05-02"),
        ]
    )
    point = savepoint.take(batch, [out.event for out in outcomes])  # type: ignore[misc]
    for out in outcomes:
        rules.play(out, batch)
    assert [out.problems for out in outcomes] == [[]] * 5
    assert asdict(batch) != before
    assert savepoint.tally(batch, point) == {
        "applied": 5,
        "participantsCreated": 1,
        "participantsUpdated": 1,
        "placementsCreated": 2,
        "placementsUpdated": 2,
    }

    savepoint.undo(batch, point)
    assert asdict(batch) == before
