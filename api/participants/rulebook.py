"""The participant rules as pure functions over facts: one rulebook for every writer
(the participants API, the bulk import and partner events).

Registering a person needs, for an unaccompanied minor, a date of birth and a guardian
(``guardianship``); their age is a rule of the stay, not of the record: under 18 on the
first night of a stay (``placements.rulebook.person``), so the record of a young person
who arrived as a minor and has since turned 18 can be registered, in the API and in
imports of history.
"""

from __future__ import annotations

import uuid
from datetime import date

from api.errors import ProblemType
from api.models import Group, PartnerKind
from api.participants import guardianship

INVALID = ProblemType.INVALID_PARTICIPANT
DOB_REQUIRED = "An unaccompanied minor requires a date of birth."
# The stable code of each message, for the field problems of a 400 (clients translate it).
CODES = {
    DOB_REQUIRED: "minor_needs_birth_date",
    guardianship.GUARDIAN_REQUIRED: "minor_needs_guardian",
    guardianship.ONLY_FOR_MINORS: "guardian_only_for_minors",
    guardianship.NOT_A_GUARDIAN: "not_a_guardian",
}


def eighteenth_birthday(born: date) -> date:
    """The day a person born on ``born`` is 18 (born on 29 February: on 1 March)."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return date(born.year + 18, 3, 1)


def record_shape(
    *, group: Group | None, born: date | None, guardian_id: uuid.UUID | None, check_guardian: bool
) -> list[tuple[str, str]]:
    """The rules on the record's own fields, as ``(field, message)``: an unaccompanied
    minor has a date of birth, and (when the group or guardian is set) a guardian, and no
    one else has one. The bulk import runs this per row and the guardian's kind in SQL."""
    problems: list[tuple[str, str]] = []
    if check_guardian:
        problems += guardianship.shape_problems(group, guardian_id)
    if group is Group.unaccompanied_minor and born is None:
        problems.append(("dateOfBirth", DOB_REQUIRED))
    return problems


def registration(
    *,
    group: Group | None,
    born: date | None,
    guardian_id: uuid.UUID | None,
    guardian_kind: PartnerKind | str | None,
    check_guardian: bool,
) -> list[tuple[str, str]]:
    """``record_shape`` and the guardian's kind (``guardian_kind``: ``None`` when no partner
    has the id)."""
    problems = record_shape(
        group=group, born=born, guardian_id=guardian_id, check_guardian=check_guardian
    )
    if check_guardian and not any(m == guardianship.ONLY_FOR_MINORS for _, m in problems):
        problems += guardianship.kind_problems(guardian_id, guardian_kind)
    return problems
