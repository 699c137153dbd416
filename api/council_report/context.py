"""What every section function gets: the session, the quarter, its reference date and
the language, and helpers to word a count that may be hidden."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from api.council_report.wording import Lang, number, say
from api.public.suppression import suppress


@dataclass(frozen=True)
class Ctx:
    session: AsyncSession
    year: int
    number: int  # 1..4
    first: date
    last: date
    as_of: date  # the quarter's last day, or today while it runs
    lang: Lang
    today: date  # the day the report is made: the forecast starts from it, not from as_of

    @property
    def days(self) -> int:
        """Days of the quarter counted: ``first..as_of``."""
        return (self.as_of - self.first).days + 1


@dataclass(frozen=True)
class Counts:
    """One table of counts of people, suppressed as on the public page (the same
    function), with the words and chart values of each cell."""

    values: dict[str, int]
    hidden: frozenset[str]
    total_hidden: bool

    @classmethod
    def of(cls, keys: Iterable[str], counts: Mapping[str, int]) -> Counts:
        values = {k: counts.get(k, 0) for k in keys}
        result = suppress(values)
        return cls(values, result.hidden, result.total_hidden)

    @property
    def total(self) -> int:
        return sum(self.values.values())

    def text(self, lang: Lang, key: str) -> str:
        return say(lang, "hidden") if key in self.hidden else number(lang, self.values[key])

    def total_text(self, lang: Lang) -> str:
        return say(lang, "hidden") if self.total_hidden else number(lang, self.total)

    def chart(self, key: str) -> float | None:
        return None if key in self.hidden else float(self.values[key])

    def nonzero(self) -> list[str]:
        return [k for k, v in self.values.items() if v]


def share(part: int, whole: int) -> str | None:
    """part / whole as the reports' rate string, four places."""
    from api.reports.shared import rate

    return rate(part, whole)


def average(total: int, days: int) -> Decimal:
    return (Decimal(total) / Decimal(days)).quantize(Decimal("0.1")) if days else Decimal(0)
