"""The programme's calendar: "today" is Heemstede's day, not the server's.

A server (or container) usually runs in UTC, where the day changes one or two hours after
it does in the Netherlands; every rule about "today" (a date of birth not in the future,
who is placed now, what is overdue) uses this one.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

# The day and the moment (epoch seconds) it ends: validating 100,000 imported dates of
# birth asks for today 100,000 times, and a time-zone conversion each time was a third
# of the validation.
_cached: tuple[float, float, date] = (0.0, 0.0, date.min)  # start, end, day (one object)
_clock = time.time


def today() -> date:
    """The programme's calendar day (Europe/Amsterdam)."""
    global _cached
    stamp = _clock()
    start, end, day = _cached
    if start <= stamp < end:
        return day
    day = datetime.fromtimestamp(stamp, LOCAL_TZ).date()
    start = datetime.combine(day, datetime.min.time(), LOCAL_TZ).timestamp()
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), LOCAL_TZ).timestamp()
    _cached = (start, end, day)
    return day
