"""Column-wise conversion and validation of a chunk of plain rows (the set-based imports).

The row path (``service.Importer._rows`` and ``_validate``) builds a dict per row and
validates the chunk as a list of them. Here a chunk is taken a column at a time instead:
each column's distinct texts are converted and validated once, with the type of the
schema's field (the same per-field types as ``Kind.fast``), and mapped back onto the
rows. A file repeats most of its values (groups, levels, dates, languages), so most of
the per-row work goes. Only a chunk that cannot go wrong in a way that must be named
takes this path: every row as wide as the header, no NUL character, every date
converted, each one-of pair given once, every required field given and every value
valid. Anything else answers ``None``, and the chunk goes the row path, which names each
problem exactly as before.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from pydantic import ValidationError

from api.imports.kinds import Kind, converter, to_date

Columns = dict[str, list[Any]]
"""Values by wire name, one list per column in row order; ``None`` where the cell is
empty (the field left out, as the row path leaves it out of the row's dict)."""


def columnwise(
    kind: Kind,
    columns: list[tuple[int, str, str]],
    width: int,
    decimal_comma: bool,
    chunk: list[tuple[int, list[str]]],
) -> Columns | None:
    """The chunk's validated values by column, or ``None`` when a row is not plain."""
    rows = [cells for _, cells in chunk]
    if set(map(len, rows)) != {width} or "\x00" in "".join(map("".join, rows)):
        return None
    required = set(kind.required)
    given: dict[str, list[bool]] = {}
    found: Columns = {}
    for index, alias, _ in columns:
        texts = list(map(str.strip, map(itemgetter(index), rows)))
        distinct = dict.fromkeys(texts)
        if "" in distinct:
            if alias in required:
                return None  # the row path names the missing value
            del distinct[""]
        convert = converter(kind, alias, decimal_comma)
        values = list(distinct) if convert is None else [convert(t) for t in distinct]
        if convert is to_date and any(v.__class__ is str for v in values):
            return None  # a date the schema must judge (and name)
        try:
            valid = kind.field_adapter(alias).validate_python(values)
        except ValidationError:
            return None
        by_text: dict[str, Any] = dict(zip(distinct, valid, strict=True))
        by_text[""] = None
        found[alias] = list(map(by_text.__getitem__, texts))
        if any(alias in pair for pair in kind.one_of):
            given[alias] = [bool(t) for t in texts]
    for left, right in kind.one_of:
        lefts, rights = given.get(left), given.get(right)
        if lefts is None or rights is None:
            if lefts is None and rights is None:
                return None  # neither column: every row lacks both
            if not all(lefts or rights or ()):
                return None
            continue
        if any(a == b for a, b in zip(lefts, rights, strict=True)):
            return None
    return found


def as_rows(numbers: list[int], found: Columns) -> list[tuple[int, dict[str, Any]]]:
    """The rows as the row path's fast adapter gives them: dicts of the fields given."""
    names = list(found)
    return [
        (number, {n: v for n, v in zip(names, values, strict=True) if v is not None})
        for number, values in zip(numbers, zip(*found.values(), strict=True), strict=True)
    ]
