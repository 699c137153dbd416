"""The import's answer (a 400 carries the same members beside the problem's)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.common.schemas import ApiModel
from api.errors import CODE_DOC, INVALID_CODE


class ImportProblem(ApiModel):
    row: int = Field(
        description="The data row, counted from 1 (the header not included); 0: the header "
        "or the file as a whole."
    )
    column: str | None = Field(description="The column as the file names it, if one.")
    detail: str
    in_: Literal["file"] = Field(
        alias="in", description="Always `file` (the house style's problem shape, too)."
    )
    name: str = Field(description="`rows[N].column`, or `header.column` for the header.")
    type: str | None = Field(
        default=None,
        description="Where a business rule refused the row: the rule's problem type, as the "
        "API names it for the same rule.",
    )
    code: str = Field(default=INVALID_CODE, description=CODE_DOC)
    params: dict[str, int | float | str] | None = Field(
        default=None,
        description="The numbers or dates a message for `code` needs (e.g. `max_length`); "
        "left out when there are none.",
    )


class ImportReport(ApiModel):
    rows_total: int = Field(description="Data rows in the file (blank rows not counted).")
    rows_valid: int = Field(description="Rows without any problem.")
    errors: list[ImportProblem] = Field(
        description="The first 1,000 problems, by row (see `errorsOmitted`)."
    )
    errors_omitted: int = Field(description="Problems beyond those listed.")
    created: int = Field(description="Records created (0 on a dry run).")
    updated: int = Field(description="Existing records changed (found by natural key).")
    unchanged: int = Field(description="Rows that matched a record as it is.")
