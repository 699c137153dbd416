"""Which money figures may be published: no payment to one household may be derivable.

Rule (for a table of amounts per category, e.g. one quarter's expenses):

1. A category's cell is shown only when it stems from at least ``THRESHOLD`` (5)
   bookings, and never for ``living_allowance`` (paid per household: a cell of it is
   the closest any figure comes to one household's money).
2. The other cells are merged into one cell, "other, merged" (``MERGED``), that holds
   their sum. When the merged cell stems from 1 to 4 bookings, the smallest shown cell
   (fewest bookings, then by key) joins it, until it stems from 5 or more or nothing is
   shown any more.
3. When the table as a whole stems from 1 to 4 bookings, nothing of it is shown:
   no cell and no total (so no balance either).

The total is then the sum of the shown cells and the merged cell, each of 5 bookings or
more (or none at all): subtracting shown figures from it gives only sums of 5 or more
bookings. For a year beside its quarters (``over_quarters``), a category is shown for the
year only when it is shown in every quarter in which it has bookings, and the year's
total only when no quarter with bookings is hidden as a whole: so the year minus the
other quarters never gives a merged or hidden quarter's figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

THRESHOLD = 5
ALWAYS_MERGED = frozenset({"living_allowance"})
MERGED = "merged"


@dataclass(frozen=True, slots=True)
class Cell:
    bookings: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Disclosed:
    shown: dict[str, Decimal]  # category -> amount
    merged: Decimal | None  # the merged cell, None when nothing was merged
    merged_keys: frozenset[str]
    total: Decimal | None  # None when the table stems from fewer than THRESHOLD bookings


def disclose(
    cells: Mapping[str, Cell],
    *,
    threshold: int = THRESHOLD,
    always_merged: Iterable[str] = ALWAYS_MERGED,
    only: Iterable[str] | None = None,
) -> Disclosed:
    """Apply the rule to one table. ``only``: the categories that may be shown at all
    (for a year: those shown in every quarter)."""
    forced = set(always_merged)
    allowed = None if only is None else set(only)
    present = {k: c for k, c in cells.items() if c.bookings > 0}
    if not present:  # nothing booked: a zero describes no one
        return Disclosed(shown={}, merged=None, merged_keys=frozenset(), total=Decimal("0.00"))
    if sum(c.bookings for c in present.values()) < threshold:
        return Disclosed(shown={}, merged=None, merged_keys=frozenset(), total=None)
    merged = {
        k
        for k, c in present.items()
        if c.bookings < threshold or k in forced or (allowed is not None and k not in allowed)
    }

    def merged_bookings() -> int:
        return sum(present[k].bookings for k in merged)

    while merged and merged_bookings() < threshold:
        smallest = min((c.bookings, k) for k, c in present.items() if k not in merged)[1]
        merged.add(smallest)
    shown = {k: c.amount for k, c in present.items() if k not in merged}
    merged_amount = sum((present[k].amount for k in merged), Decimal("0.00"))
    total = sum((c.amount for c in present.values()), Decimal("0.00"))
    return Disclosed(
        shown=shown,
        merged=merged_amount if merged else None,
        merged_keys=frozenset(merged),
        total=total,
    )


def over_quarters(
    quarters: Iterable[tuple[Mapping[str, Cell], Disclosed]],
) -> tuple[set[str], bool]:
    """For a sum over quarters (a year, or the year to date) shown beside the quarters:
    the categories it may show (those shown in every quarter in which they have
    bookings), and whether its total may be shown (not when a quarter with bookings is
    hidden as a whole: the sum minus the other quarters would give that quarter)."""
    refused: set[str] = set()
    booked_any: set[str] = set()
    total_shown = True
    for cells, disclosed in quarters:
        booked = {k for k, c in cells.items() if c.bookings > 0}
        booked_any |= booked
        if booked and disclosed.total is None:
            total_shown = False
        refused |= booked - set(disclosed.shown)
    return booked_any - refused, total_shown
