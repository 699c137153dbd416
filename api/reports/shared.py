"""What the reports share: a rate as a decimal string, and the check of a period."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from api.errors import BadRequest, ProblemType, field_problem


@lru_cache(maxsize=4096)  # a report repeats the same few pairs thousands of times
def rate(occupied: int, capacity: int) -> str | None:
    """occupied / capacity with four decimals, rounded half up, in integers so that both
    engines (and any platform) give the same string."""
    if capacity <= 0:
        return None
    scaled = (occupied * 20000 + capacity) // (2 * capacity)
    return f"{scaled // 10000}.{scaled % 10000:04d}"


def check_period(first: date, last: date) -> None:
    if last < first:
        raise BadRequest(
            "The report's period is invalid.",
            type_=ProblemType.INVALID_INPUT,
            errors=[field_problem("query", "to", "Must be on or after from.", code="before_start")],
        )
