"""The forecast's routes as one router, so the app adds them with one entry."""

from __future__ import annotations

from fastapi import APIRouter

from api.forecast.router import router as report_router
from api.forecast.scenarios.router import router as scenarios_router

router = APIRouter()
router.include_router(report_router)
router.include_router(scenarios_router)
