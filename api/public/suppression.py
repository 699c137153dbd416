"""Small-count suppression for the public summary (pure functions, unit-tested).

Primary: a count of 1 to 4 is hidden. A 0 stays visible: it describes no one, and hiding
zeros would, through the secondary rule, hide most of every table with an empty cell.

Secondary: a table's total is (or may become) known — it is shown, or it can be found in
another table of the same population — so a single hidden cell would be the total minus
the visible cells. Whenever any cell is hidden, at least two cells with a positive count
are hidden: the smallest visible positive cells are added (ties broken by key) until
there are two. Then total minus visible is the sum of two or more positive hidden cells,
which is more than any one of them. If the table has no second positive cell to hide,
its total is hidden instead; a total of 1 to 4 is hidden as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True, slots=True)
class Suppressed:
    hidden: frozenset[str]
    total_hidden: bool


def suppress(counts: Mapping[str, int], *, threshold: int = THRESHOLD) -> Suppressed:
    """Which cells of one table (and whether its total) must be hidden."""
    hidden = {key for key, n in counts.items() if 0 < n < threshold}
    if hidden:
        candidates = sorted((n, key) for key, n in counts.items() if n > 0 and key not in hidden)
        while len(hidden) < 2 and candidates:
            hidden.add(candidates.pop(0)[1])
    total = sum(counts.values())
    total_hidden = 0 < total < threshold or len(hidden) == 1
    return Suppressed(hidden=frozenset(hidden), total_hidden=total_hidden)


def cell(value: int, hidden: bool) -> tuple[int | None, bool]:
    """``(count, suppressed)`` as the public summary shows a count."""
    return (None, True) if hidden else (value, False)
