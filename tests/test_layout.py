"""The package layout: the seams the code is split along stay free of import loops."""

from __future__ import annotations

import subprocess
import sys


def loaded_after_import(module: str) -> set[str]:
    """The ``api`` modules a fresh interpreter has loaded after importing ``module``."""
    code = f"import sys, {module}; print('\\n'.join(m for m in sys.modules if m.startswith('api')))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_the_openapi_helpers_import_nothing_of_the_routers_packages() -> None:
    # Every router imports ``api.openapi`` (``api_router``, ``responses``), the auth router
    # too; were ``api.openapi`` to import ``api.auth`` the two would import each other.
    # ``api.routing`` (the route index, opened up for the document) imports only Starlette.
    allowed = {"api", "api.openapi", "api.errors", "api.routing"}
    assert loaded_after_import("api.openapi") <= allowed
