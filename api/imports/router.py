"""``POST /imports/{kind}``: a CSV or XLSX file as multipart form field ``file``.

Roles: admin and coordinator import participants, placements, locations, activities
and enrollments; finance (and admin) import expenses and rates. Partners and viewers
get 403: a partner's system sends partner events instead.

The body is read as it arrives and counted, so an upload beyond
``OPVANG_IMPORT_MAX_BYTES`` is refused with 413 as soon as it passes the limit (a
``Content-Length`` above it is refused before reading); the file is spooled to disk,
never held in memory.
"""

from __future__ import annotations

import enum
import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query, Request
from starlette.datastructures import UploadFile
from starlette.requests import Request as StarletteRequest
from starlette.types import Message

from api.auth.roles import AdminCoordinatorOrFinance
from api.config import Settings
from api.db import SessionDep
from api.errors import AppError, BadRequest, Forbidden, ProblemType
from api.imports.kinds import KINDS
from api.imports.schemas import ImportReport
from api.imports.service import run_import
from api.openapi import api_router, responses

router = api_router("imports", prefix="/imports")


class ImportKind(enum.StrEnum):
    participants = "participants"
    placements = "placements"
    locations = "locations"
    activities = "activities"
    enrollments = "enrollments"
    expenses = "expenses"
    rates = "rates"


class ContentTooLarge(AppError):
    status = 413
    title = "Content Too Large"


# Multipart framing around the file: headers, boundaries, the dryRun field.
SLACK = 64 * 1024


def _too_large(limit: int) -> ContentTooLarge:
    return ContentTooLarge(
        f"The upload is larger than the limit of {limit} bytes (OPVANG_IMPORT_MAX_BYTES).",
        type_=ProblemType.IMPORT_TOO_LARGE,
    )


async def receive_upload(request: Request, limit: int) -> Path:
    """The uploaded file, on disk; 413 beyond ``limit``, 400 without a ``file`` part."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit + SLACK:
        raise _too_large(limit)
    received = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit + SLACK:
                raise _too_large(limit)
        return message

    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise BadRequest(
            "Send the file as multipart/form-data in the form field 'file'.",
            type_=ProblemType.IMPORT_FILE_MISSING,
        )
    limited = StarletteRequest(request.scope, counted)
    try:
        form = await limited.form(max_files=1, max_fields=5)
    except AppError:
        raise
    except Exception as exc:  # a malformed multipart body
        raise BadRequest(
            "The multipart body cannot be read.", type_=ProblemType.IMPORT_FILE_MISSING
        ) from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest(
                "Send the file in the form field 'file'.", type_=ProblemType.IMPORT_FILE_MISSING
            )
        if upload.size is not None and upload.size > limit:
            raise _too_large(limit)
        fd, name = tempfile.mkstemp(prefix="opvang-import-")
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        return Path(name)
    finally:
        await form.close()


@router.post(
    "/{kind}",
    response_model=ImportReport,
    summary="Import a CSV or XLSX file",
    responses=responses(413),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": "CSV (comma or semicolon; UTF-8 or "
                                "Windows-1252) or XLSX; the first line holds the column names.",
                            }
                        },
                    }
                }
            },
        }
    },
)
async def import_file(
    session: SessionDep,
    principal: AdminCoordinatorOrFinance,
    request: Request,
    kind: Annotated[ImportKind, PathParam(description="What the file holds.")],
    dry_run: Annotated[
        bool, Query(alias="dryRun", description="Validate only: report, write nothing.")
    ] = False,
) -> dict[str, Any]:
    """Columns are the API's field names (or their Dutch names); dates may be written
    `31-12-2025` and, in a semicolon-separated file or a workbook, amounts `1.234,56`.
    Rows are upserted on their natural key (a participant's `reference`, a location's
    `name`, a placement's participant and `startDate`), so a re-run changes nothing.
    All or nothing: a real run with any bad row is a 400 whose problem carries the
    report (`rowsTotal`, `rowsValid`, `errors` with `row` and `column`); a file that
    cannot be read at all is a 400 too, an upload above the size limit a 413."""
    spec = KINDS[kind.value]
    if principal.role not in spec.roles:
        raise Forbidden(
            f"The role '{principal.role.value}' may not import {kind.value} (imports of "
            + ", ".join(sorted(KINDS[k].name for k in KINDS if principal.role in KINDS[k].roles))
            + " only)."
        )
    settings: Settings = request.app.state.settings
    path = await receive_upload(request, settings.import_max_bytes)
    try:
        return await run_import(
            session, kind=kind.value, path=path, actor=principal, dry_run=dry_run
        )
    finally:
        path.unlink(missing_ok=True)
