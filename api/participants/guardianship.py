"""Who may be a person's guardian, and who may change it: one rulebook for every writer.

A guardian is a guardianship organisation (a partner of kind ``nidos``), and only an
unaccompanied minor has one. Guardianship gives a partner sight of its wards (it *reads*
them, see ``Participant.partner_scope``); it never lets a partner place, move or end a
stay: partner events do that only at locations the partner operates.

Staff (the participants API, imports) may set and change a guardian within these rules.
A partner event may name the guardian of a minor it takes in, once, at the intake that
creates the person; it cannot change a guardian, nor the person's group, afterwards:
both decide whose world the person is in.

The rules are pure functions over facts the writer has loaded (the group, the guardian's
kind, or ``None`` when no partner has the id). Each writer reports the problems in its
own envelope (a 400's ``errors``, an event's ``problems``, an import row's errors); the
bulk import runs the kind check as SQL with the same message.
"""

from __future__ import annotations

import uuid
from typing import Any

from api.models import Group, PartnerKind

GUARDIAN_KIND = PartnerKind.nidos

FIELD = "guardianPartnerId"
NOT_A_GUARDIAN = "The guardian must be a guardianship organisation (a partner of kind 'nidos')."
ONLY_FOR_MINORS = (
    "Only an unaccompanied minor has a guardian; leave guardianPartnerId empty for this group."
)
GUARDIAN_REQUIRED = "An unaccompanied minor requires a guardian."
NOT_BY_EVENT = (
    "A partner event cannot change a person's {field} after the intake; ask the "
    "municipality's coordinators."
)


def shape_problems(group: Group | None, guardian_id: uuid.UUID | None) -> list[tuple[str, str]]:
    """Problems with the pair (group, guardian), as ``(field, message)``."""
    if group is Group.unaccompanied_minor:
        return [] if guardian_id is not None else [(FIELD, GUARDIAN_REQUIRED)]
    if guardian_id is not None:
        return [(FIELD, ONLY_FOR_MINORS)]
    return []


def kind_problems(
    guardian_id: uuid.UUID | None, guardian_kind: PartnerKind | str | None
) -> list[tuple[str, str]]:
    """The guardian named must be a guardianship organisation. An id no partner has reads
    the same as another kind of partner, so the answer says nothing about which ids exist."""
    if guardian_id is None or guardian_kind == GUARDIAN_KIND:
        return []
    return [(FIELD, NOT_A_GUARDIAN)]


def guardian_problems(
    group: Group | None, guardian_id: uuid.UUID | None, guardian_kind: PartnerKind | str | None
) -> list[tuple[str, str]]:
    """Every guardian rule for a person's (group, guardian) as a staff writer sets them."""
    problems = shape_problems(group, guardian_id)
    if not any(message == ONLY_FOR_MINORS for _, message in problems):
        problems += kind_problems(guardian_id, guardian_kind)
    return problems


def frozen_for_events(before: dict[str, Any], sent: dict[str, Any]) -> list[tuple[str, str]]:
    """A partner event that changes the group or the guardian of a known person."""
    return [
        (field, NOT_BY_EVENT.format(field=field))
        for name, field in (("group", "group"), ("guardian_partner_id", FIELD))
        if name in sent and sent[name] != before.get(name)
    ]
