"""The import's answer: counts and a bounded list of problems (row, column, detail)."""

from __future__ import annotations

from typing import Any

from api.errors import INVALID_CODE

MAX_ERRORS = 1000


class Report:
    """Keeps the first ``MAX_ERRORS`` problems and counts the rest, so a file full of
    errors takes no more memory than a good one (bad rows are one byte each)."""

    def __init__(self) -> None:
        self.total = 0
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self._bad = bytearray()
        self.bad_rows = 0
        self.created = 0
        self.updated = 0
        self.unchanged = 0

    def add(
        self,
        row: int,
        column: str | None,
        detail: str,
        type_: str | None = None,
        *,
        code: str = INVALID_CODE,
        params: dict[str, int | float | str] | None = None,
    ) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            # ``in`` and ``name`` too: each problem is also a FieldProblem of the house
            # style (``rows[3].group``), for clients that read any 400 that way.
            where = f"rows[{row}]" if row > 0 else "header"
            self.errors.append(
                {
                    "row": row,
                    "column": column,
                    "detail": detail,
                    "in": "file",
                    "name": f"{where}.{column}" if column else where,
                    # A business rule's problem type, as the API names it (else null).
                    "type": type_,
                    # What is wrong as the stable machine code of the house style's field
                    # problems (``missing``, ``enum``, ...; ``invalid`` when unnamed), with
                    # the numbers or dates a sentence needs: a client words it itself.
                    "code": code,
                    "params": params,
                }
            )
        if row <= 0:
            return
        if row >= len(self._bad):
            self._bad.extend(bytes(row + 1 - len(self._bad) + 4096))
        if not self._bad[row]:
            self._bad[row] = 1
            self.bad_rows += 1

    def is_bad(self, row: int) -> bool:
        return row < len(self._bad) and bool(self._bad[row])

    def answer(self) -> dict[str, Any]:
        self.errors.sort(key=lambda e: (e["row"], e["column"] or ""))
        return {
            "rowsTotal": self.total,
            "rowsValid": max(self.total - self.bad_rows, 0),
            "errors": self.errors,
            "errorsOmitted": self.error_count - len(self.errors),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
