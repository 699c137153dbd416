"""Parsing a batch's events against the published schema of an event. An event that
breaks it is malformed (``Outcome.malformed``), which ``refuse_malformed`` answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

from pydantic import ValidationError

from api.errors import BadRequest, FieldProblem, ProblemType, field_problem
from api.partner_events.schemas import BATCH, EVENT_MODELS, IntakeEvent, ParsedEvent, TransferEvent


@dataclass(slots=True)
class Outcome:
    index: int
    event_id: str | None
    event: ParsedEvent | None = None
    problems: list[FieldProblem] = field(default_factory=list)
    duplicate: bool = False
    # The event breaks the published schema (not an object, unknown type, a field of
    # the wrong shape), as opposed to a rule of the programme.
    malformed: bool = False

    def problem(self, name: str, detail: str, type_: str | None = None) -> None:
        self.problems.append(field_problem("body", f"events[{self.index}].{name}", detail, type_))


# The error types of our own validators (a value the schema's shape allows, refused by a
# rule): pydantic's for a plain ValueError or assert, and the PydanticCustomError types that
# give field problems their stable codes (api/errors.py, FieldProblem.code).
RULE_ERRORS = frozenset(
    {
        "value_error",
        "assertion_error",
        "bsn_checksum",
        "date_in_future",
        "one_of",
        "date_format",
        "datetime_format",
        "money_format",
        "money_negative",
        "amount_zero",
        "postcode_format",
        "listed_twice",
    }
)


def _parse(index: int, raw: Any) -> Outcome:
    if not isinstance(raw, dict):
        out = Outcome(index, None, malformed=True)
        out.problems.append(field_problem("body", f"events[{index}]", "Must be an object."))
        return out
    event_id = raw.get("eventId")
    out = Outcome(index, event_id.strip() if isinstance(event_id, str) else None)
    kind = raw.get("type")
    adapter = EVENT_MODELS.get(kind) if isinstance(kind, str) else None
    if adapter is None:
        out.problem(
            "type",
            "Required: one of intake, transfer, departure, update."
            if kind is None
            else f"Unknown event type {str(kind)[:40]!r}; one of intake, transfer, departure, "
            "update.",
        )
        if out.event_id is None:
            out.problem("eventId", "Required: a string of 1 to 100 characters.")
        out.malformed = True
        return out
    try:
        out.event = adapter.validate_python(raw)
    except ValidationError as exc:
        # A value the schema allows but a rule of ours refuses (a date of birth in the
        # future) is a rejection like any other; a wrong type or a missing field is not.
        out.malformed = any(err["type"] not in RULE_ERRORS for err in exc.errors())
        for err in exc.errors():
            name = ".".join(str(part) for part in err["loc"]) or "event"
            out.problem(name, str(err["msg"]))
    if kind in ("intake", "transfer") and (
        (raw.get("locationId") is None) == (raw.get("locationCode") is None)
    ):
        out.problem("locationId", "Send exactly one of locationId or locationCode.")
    if out.problems:
        out.event = None
    return out


def parse_all(events: list[Any]) -> list[Outcome]:
    """All events in one validation when they are all well-formed (the usual case);
    one at a time, to name each one's problems, when not."""
    try:
        parsed: list[ParsedEvent] = BATCH.validate_python(events)
    except ValidationError:
        return [_parse(i, raw) for i, raw in enumerate(events)]
    outcomes = []
    for i, event in enumerate(parsed):
        out = Outcome(i, event.event_id, event)
        if isinstance(event, IntakeEvent | TransferEvent) and (
            (event.location_id is None) == (event.location_code is None)
        ):
            out.problem("locationId", "Send exactly one of locationId or locationCode.")
            out.event = None
        outcomes.append(out)
    return outcomes


def refuse_malformed(outcomes: list[Outcome]) -> NoReturn:
    """``atomic=false`` applies the valid events of a batch that breaks the programme's
    rules, but not of a batch that breaks the published schema: that is a broken
    request (400), answered with the same per-event results (the problems found so
    far; the others ``not_applied``), nothing applied."""
    results = [
        {
            "eventId": out.event_id,
            "status": "rejected" if out.problems else "not_applied",
            "problems": [p.model_dump(by_alias=True, exclude_none=True) for p in out.problems],
        }
        for out in outcomes
    ]
    malformed = sum(1 for out in outcomes if out.malformed)
    raise BadRequest(
        f"{malformed} of {len(outcomes)} event(s) do not match the schema of an event; "
        "nothing was applied, also with atomic=false. The rules that need the "
        "programme's data are checked once every event is well-formed.",
        type_=ProblemType.PARTNER_EVENTS_MALFORMED,
        errors=[p for out in outcomes for p in out.problems],
        extra={"results": results},
    )
