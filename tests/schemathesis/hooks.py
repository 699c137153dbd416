"""Schemathesis hooks (schemathesis.toml loads this file): make two request headers what a
real client sends, so schema-valid requests test the API rather than two protocol rules the
contract states (api.md) and tests/test_idempotency.py and the ETag tests already cover.

- ``Idempotency-Key``: a client makes a fresh key for each new request. Generated keys are
  short strings ("0") that Hypothesis repeats with other bodies, which is the documented 422.
- ``If-Match``: a client sends the ETag it last read. A generated one names another version,
  which is the documented 412. For an action on a resource (``/placements/{id}/_transfer``)
  or a part of it (``/budget-versions/{id}/lines``) the ETag is the resource's own; where
  there is nothing to read one from, a client sends none (If-Match is optional).

Only schema-valid (positive) cases with a well-formed value are changed; negative cases keep
what Schemathesis generated.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import httpx
import schemathesis
from schemathesis import Case
from schemathesis.hooks import HookContext

MAX_KEY_LENGTH = 255
# Writes on a part of a resource, whose ETag is the resource's (``PUT
# /budget-versions/{id}/lines`` under ``/budget-versions/{id}``).
SUB_RESOURCES = {"lines"}


@schemathesis.hook
def before_call(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive or not case.headers:
        return
    # case.headers ignores case in names.
    key = case.headers.get("Idempotency-Key")
    if isinstance(key, str) and 0 < len(key) <= MAX_KEY_LENGTH:
        case.headers["Idempotency-Key"] = f"st-{uuid.uuid4()}"
    base = os.environ.get("OPVANG_ST_BASE")
    authorization = os.environ.get("OPVANG_ST_AUTHORIZATION")
    if "If-Match" in case.headers and base and authorization:
        path = case.formatted_path
        parent, last = path.rsplit("/", 1)
        if last.startswith("_") or last in SUB_RESOURCES:
            path = parent  # an action's or a sub-resource's resource
        current = httpx.get(base + path, headers={"Authorization": authorization}, timeout=30)
        etag = current.headers.get("ETag")
        if current.status_code == 200 and etag:
            case.headers["If-Match"] = etag
        else:
            # Nothing to read an ETag from (a create by PUT, a rate read only through its
            # scheme's list): a client sends no If-Match, which the API allows.
            del case.headers["If-Match"]
