"""How a money figure was made, in the three words the budget report and the forecast share:
``known`` (published rates only), ``provisional`` (an announced rate took part) and
``assumed`` (an assumed rate took part). A sum is as sure as its least sure part."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from api.models import RateCertainty


class FigureCertainty(enum.StrEnum):
    known = "known"
    provisional = "provisional"
    assumed = "assumed"


_OF_RATE = {
    RateCertainty.published: FigureCertainty.known,
    RateCertainty.announced: FigureCertainty.provisional,
    RateCertainty.assumed: FigureCertainty.assumed,
}
_ORDER = (FigureCertainty.known, FigureCertainty.provisional, FigureCertainty.assumed)


def of_rate(certainty: RateCertainty) -> FigureCertainty:
    return _OF_RATE[certainty]


def least_sure(values: Iterable[FigureCertainty | None]) -> FigureCertainty | None:
    """``None`` (unknown: a figure is missing) when any is ``None``; else the least sure."""
    out = FigureCertainty.known
    for value in values:
        if value is None:
            return None
        out = max(out, value, key=_ORDER.index)
    return out
