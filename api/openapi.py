"""The OpenAPI document, shaped to pass the Dutch API Design Rules linter.

FastAPI's default document fails it; ``build_openapi`` adds what the rules ask for:
``API-Version`` on every 2xx/3xx response, problem+json error responses (400 instead of
FastAPI's 422), nullable fields as ``type: [T, "null"]`` so a date keeps its ``format``,
and a contact.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, APIRouter

from api import API_VERSION
from api.errors import Problem, ProblemType
from api.routing import flat_routes

# The token endpoint and the scheme live here, not in ``api.auth``: every router (the auth
# router too) imports this module, so it imports nothing of theirs.
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret

SECURITY_SCHEME: dict[str, Any] = {
    "type": "oauth2",
    "description": "Bearer tokens from `POST /auth/token`: the password grant for people, "
    "client credentials for partner systems.",
    "flows": {
        "password": {"tokenUrl": TOKEN_URL, "scopes": {}},
        "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": {}},
    },
}

CONTACT = {
    "name": "Gemeente Heemstede, Sociaal programma opvang vluchtelingen",
    "url": "https://www.heemstede.nl",
    "email": "opvang@heemstede.example",
}

DESCRIPTIONS = {
    400: "Invalid input: every problem is listed in `errors`.",
    401: "No valid bearer token.",
    403: "The caller's role may not do this.",
    404: "Not found, or outside the caller's scope.",
    409: "Conflicts with a business rule, or the same Idempotency-Key is still in flight.",
    410: "The first answer to this Idempotency-Key named a person whose data has since been "
    "erased; it is not replayed.",
    412: "The `If-Match` version is stale.",
    413: "The request body is larger than the server takes (`OPVANG_MAX_BODY_BYTES`, or "
    "`OPVANG_IMPORT_MAX_BYTES` for an upload).",
    422: "The Idempotency-Key was used before with another request, or by the caller under "
    "another role or partner, or its answer shows a record the caller no longer sees.",
    429: "Too many failed attempts; wait as `Retry-After` says.",
    503: "The database cannot be reached; retry later.",
}

_HEADER_VERSION = {
    "description": "The full semantic version of the API.",
    "schema": {"type": "string", "example": API_VERSION},
}
_HEADER_ETAG = {
    "description": "The resource's version as a strong ETag.",
    "schema": {"type": "string"},
}
_HEADER_LINK = {
    "description": "RFC 8288 links to the first, previous, next and last page.",
    "schema": {"type": "string"},
}
_HEADER_REPLAYED = {
    "description": "`true` when this is the stored answer to an earlier request "
    "with the same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Route-specific problem responses for ``responses=``; the common ones are added for all."""
    return {
        code: {"model": Problem, "description": DESCRIPTIONS.get(code, "Error.")} for code in codes
    }


def operation_id(route: APIRoute) -> str:
    """camelCase operation ids from the endpoint function's name (unique across the app)."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def api_router(tag: str, *, prefix: str = "") -> APIRouter:
    """A domain's router; its routes are added to the app as they are (see ``api.main``)."""
    return APIRouter(prefix=prefix, tags=[tag], generate_unique_id_function=operation_id)


def _problem_content() -> dict[str, Any]:
    return {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _nullable(node: Any) -> Any:
    """Rewrite ``anyOf: [X, {type: null}]`` as ``type: [T, "null"]`` keeping X's format."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(o for o in options if o != {"type": "null"})
        if "type" in other and isinstance(other["type"], str) and "$ref" not in other:
            merged = {k: v for k, v in node.items() if k != "anyOf"}
            merged.update(other)
            merged["type"] = [other["type"], "null"]
            if "enum" in merged:
                merged["enum"] = [*merged["enum"], None]
            return merged
    return node


def _common_statuses(path: str, method: str, op: dict[str, Any]) -> list[int]:
    codes = [400, 503]
    if op.get("security"):
        codes += [401, 403]
    if "{" in path:
        codes.append(404)
    params = {p.get("name") for p in op.get("parameters", [])}
    if method in ("patch", "put", "delete") and "If-Match" in params:
        codes.append(412)
    if method == "post" and path != "/auth/token":
        codes += [409, 410, 422]
    if "requestBody" in op:
        codes.append(413)  # bounded before it is read (``api.request_guard``)
    return codes


def _shape_operation(path: str, method: str, op: dict[str, Any]) -> None:
    resp: dict[str, Any] = op.setdefault("responses", {})
    resp.pop("422", None)
    # Single-resource reads, creates and changes answer with the version as ETag (when the
    # answer is a JSON object: not a file or a list).
    wants_etag = (method == "get" and path.endswith("}")) or method == "patch"
    for code in _common_statuses(path, method, op):
        resp.setdefault(str(code), {"description": DESCRIPTIONS[code]})
    if method == "post" and path != "/auth/token":
        op.setdefault("parameters", []).append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Makes a retry safe: a repeat with the same key and body "
                "replays the first answer (a 410 instead when that answer named a person "
                "whose data has since been erased).",
                "schema": {"type": "string", "maxLength": 255},
            }
        )
    op["responses"] = resp = dict(sorted(resp.items()))
    for key, body in resp.items():
        status = int(key)
        if status >= 400:
            body["content"] = _problem_content()
            body.setdefault("description", DESCRIPTIONS.get(status, "Error."))
            continue
        headers = body.setdefault("headers", {})
        headers["API-Version"] = _HEADER_VERSION
        if 200 <= status < 300:
            schema = body.get("content", {}).get("application/json", {}).get("schema", {})
            schema_ref = schema.get("$ref", "")
            is_object = bool(schema_ref) or all("$ref" in s for s in schema.get("anyOf", [{}]))
            if schema_ref.startswith("#/components/schemas/Page_"):
                headers["Link"] = _HEADER_LINK
            elif is_object and (wants_etag or (method == "post" and status == 201)):
                headers["ETag"] = _HEADER_ETAG
            if method == "post":
                headers["Idempotent-Replayed"] = _HEADER_REPLAYED


def _rename_generic_schemas(doc: dict[str, Any]) -> dict[str, Any]:
    """``Page_PartnerRead_`` -> ``PartnerReadPage`` (the linter wants PascalCase names)."""
    schemas = doc.get("components", {}).get("schemas", {})
    renames = {}
    for name in list(schemas):
        match = re.fullmatch(r"Page_(\w+?)_", name)
        if match:
            renames[name] = f"{match.group(1)}Page"
    if not renames:
        return doc
    import json

    text = json.dumps(doc)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
        text = text.replace(f'"{old}": {{', f'"{new}": {{')
    result: dict[str, Any] = json.loads(text)
    return result


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(
        title=app.title,
        version=API_VERSION,
        summary=app.summary,
        description=app.description,
        routes=flat_routes(app.routes),
        servers=app.servers,
        contact=CONTACT,
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        tags=app.openapi_tags,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in problem.pop("$defs", {}).items():
        schemas[name] = sub
    problem["required"] = ["type", "title", "status", "detail"]
    # Every type the API answers besides about:blank, for clients that translate them
    # (an extension rather than an enum: an unknown type must stay readable as a string).
    problem["properties"]["type"]["x-problem-types"] = [
        {"type": t.value, "meaning": t.meaning} for t in ProblemType
    ]
    schemas["Problem"] = problem
    doc["components"]["securitySchemes"] = {"OAuth2": SECURITY_SCHEME}
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                op.setdefault("security", [{"OAuth2": []}])
                if not op["security"]:
                    del op["security"]
                _shape_operation(path, method, op)
    shaped: dict[str, Any] = _nullable(_rename_generic_schemas(doc))
    app.openapi_schema = shaped
    return shaped
