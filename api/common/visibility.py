"""How long an operator keeps seeing a person after their stay at its location ended.

A partner that runs a location sees the people placed there; once a stay has ended, that
sight lasts ``OPVANG_PARTNER_VISIBILITY_DAYS`` more days (default 90: time to finish the
paperwork), then ends on every read path (one, list, search, export, feed), because
each of them reads through the models' ``partner_scope``. A guardian keeps seeing its
wards while it is their guardian.

The first day still visible goes into the SQL as a bind parameter whose value is taken
at each execution, so statements built once and cached stay right across midnight.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam

from api.common.calendar import today

_days: int | None = None


def configure(days: int) -> None:
    """Set by the app from its settings (the CLI's direct writes read the environment)."""
    global _days
    _days = days


def window_days() -> int:
    if _days is not None:
        return _days
    from api.config import get_settings  # late: settings are read once they are needed

    return get_settings().partner_visibility_days


def visible_since() -> date:
    """A stay ending (exclusive end date) after this day still shows its person."""
    return today() - timedelta(days=window_days())


def visible_since_param() -> Any:
    return bindparam("partner_visible_since", callable_=visible_since, type_=Date, unique=True)
