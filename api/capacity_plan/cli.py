"""``opvang plan ...``: the capacity plan from the command line (for cron)."""

from __future__ import annotations

import asyncio

import typer

from api.capacity_plan.schemas import RealisationOutcome
from api.config import Settings, get_settings

plan_app = typer.Typer(help="The capacity plan.", no_args_is_help=True)


async def _realise(settings: Settings) -> list[RealisationOutcome]:
    from api.audit.service import install_audit_hook
    from api.capacity_plan.realise import realise_in
    from api.changes.recorder import install_change_hooks
    from api.db import Database, build_engine

    install_audit_hook()  # the facts it writes are audited and in the change feed
    install_change_hooks()
    db = Database(build_engine(settings))
    try:
        return await realise_in(db)
    finally:
        await db.dispose()


@plan_app.command("realise")
def realise() -> None:
    """Turn the planned changes whose day has come (Heemstede's date) into facts; a change
    a rule refuses (e.g. capacity below the occupancy) stays planned and is printed."""
    outcomes = asyncio.run(_realise(get_settings()))
    for o in outcomes:
        state = "realised" if o.realised else f"NOT realised: {o.reason}"
        typer.echo(f"{o.takes_effect_on} {o.kind} {o.location_id}: {state}")
    typer.echo(f"{sum(o.realised for o in outcomes)} of {len(outcomes)} due change(s) realised.")
    if any(not o.realised for o in outcomes):
        raise typer.Exit(code=1)
