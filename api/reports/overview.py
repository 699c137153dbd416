from __future__ import annotations

from api.openapi import api_router

router = api_router("reports", prefix="/reports")
