"""The programme's day is Heemstede's, and it turns at Heemstede's midnight."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from api.common import calendar


def test_today_is_heemstedes_day_and_turns_at_its_midnight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(calendar, "_cached", (0.0, 0.0, date.min))
    # 22:59:59 UTC on 31 March 2026 is 00:59:59 on 1 April in Heemstede (summer time).
    stamp = datetime.fromisoformat("2026-03-31T22:59:59+00:00").timestamp()
    clock = [stamp]
    monkeypatch.setattr(calendar, "_clock", lambda: clock[0])
    assert calendar.today() == date(2026, 4, 1)
    clock[0] = datetime.fromisoformat("2026-04-01T21:59:59+00:00").timestamp()
    assert calendar.today() == date(2026, 4, 1)  # 23:59:59 local: still the first
    clock[0] += 1.0
    assert calendar.today() == date(2026, 4, 2)  # local midnight
    # Winter time: midnight is 23:00 UTC.
    clock[0] = datetime.fromisoformat("2026-12-31T22:59:59+00:00").timestamp()
    assert calendar.today() == date(2026, 12, 31)
    clock[0] += 1.0
    assert calendar.today() == date(2027, 1, 1)
    # A clock set back (corrected by NTP, say) is honoured too.
    clock[0] = datetime.fromisoformat("2026-06-15T12:00:00+00:00").timestamp()
    assert calendar.today() == date(2026, 6, 15)
