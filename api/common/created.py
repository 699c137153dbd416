"""What a 201 answers besides its body: the ``Location`` of the resource it created."""

from __future__ import annotations

from fastapi import Response

# Where the API is mounted (api.main.API_ROOT): ``Location`` is a path on this server.
API_ROOT = "/api/v1"


def set_location(response: Response, *path: object) -> None:
    """``Location: /api/v1/<path>``, from the path's segments below the API's root:
    ``set_location(response, "locations", location.id, "capacity-changes", change.id)``."""
    response.headers["Location"] = "/".join((API_ROOT, *(str(segment) for segment in path)))
