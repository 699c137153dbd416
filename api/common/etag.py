"""``version`` as a strong ETag; ``If-Match`` on PATCH, PUT and DELETE (optional, never 428)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from api.errors import PreconditionFailed, ProblemType

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description="The ETag last read; the write is refused with 412 when it is stale.",
    ),
]


def etag_for(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def check_if_match(if_match: str | None, version: int) -> None:
    """RFC 9110 strong comparison: weak tags never match; ``*`` matches any current record."""
    if if_match is None:
        return
    tags = [t.strip() for t in if_match.split(",")]
    if "*" in tags or etag_for(version) in tags:
        return
    raise PreconditionFailed(
        f"The record is at version {version}; the If-Match header names another. "
        "Read it again and retry.",
        type_=ProblemType.STALE_VERSION,
    )
