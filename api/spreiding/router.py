"""/spreiding-tasks and /reports/spreiding: the places the province allots to Heemstede
under the Spreidingswet, against what is realised and planned. Admins and coordinators
write; finance and viewers read; partners see none of it (403)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status

from api.auth.roles import AdminOrCoordinator, AnyRoleButPartner
from api.auth.scoping import FastRead
from api.common.calendar import today
from api.common.created import set_location
from api.common.etag import IfMatchHeader, set_etag
from api.common.pagination import Page, paginate
from api.db import SessionDep
from api.models import SpreidingTask
from api.openapi import api_router, responses
from api.spreiding import report, service
from api.spreiding.schemas import (
    Phase,
    PhaseRow,
    ReportQuery,
    SpreidingReport,
    TaskCreate,
    TaskQuery,
    TaskRead,
    TaskUpdate,
)

router = api_router("spreiding")
BY_ID = FastRead(SpreidingTask, TaskRead, "Spreidingswet task")

TaskId = Annotated[uuid.UUID, Path(alias="id", description="The task's id.")]


@router.get("/spreiding-tasks", response_model=Page[TaskRead], summary="List Spreidingswet tasks")
async def list_tasks(
    session: SessionDep,
    principal: AnyRoleButPartner,
    query: Annotated[TaskQuery, Query()],
    request: Request,
    response: Response,
) -> Response:
    return await paginate(
        session,
        service.statement(),
        params=query,
        request=request,
        response=response,
        sortable=service.SORTABLE,
        default_order=service.ORDER,
        read=TaskRead,
    )


async def _task(session: SessionDep, task_id: uuid.UUID, response: Response) -> TaskRead:
    answer = TaskRead.model_validate(await service.load(session, task_id))
    set_etag(response, answer.version)
    return answer


@router.post(
    "/spreiding-tasks",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskRead,
    responses=responses(409),
    summary="Add a Spreidingswet task",
)
async def create_task(
    session: SessionDep, principal: AdminOrCoordinator, data: TaskCreate, response: Response
) -> TaskRead:
    """A period overlapping another task's is refused with 409 naming the other."""
    task = await service.create(session, data=data, actor=principal)
    set_location(response, "spreiding-tasks", task.id)
    return await _task(session, task.id, response)


@router.get("/spreiding-tasks/{id}", response_model=TaskRead, summary="Read a Spreidingswet task")
async def read_task(request: Request, principal: AnyRoleButPartner, task_id: TaskId) -> Response:
    return await BY_ID.response(request, task_id, principal)


@router.patch(
    "/spreiding-tasks/{id}",
    response_model=TaskRead,
    responses=responses(409, 412),
    summary="Change a Spreidingswet task",
)
async def update_task(
    session: SessionDep,
    principal: AdminOrCoordinator,
    task_id: TaskId,
    data: TaskUpdate,
    response: Response,
    if_match: IfMatchHeader = None,
) -> TaskRead:
    task = await service.update(
        session, task_id=task_id, data=data, actor=principal, if_match=if_match
    )
    return await _task(session, task.id, response)


@router.delete(
    "/spreiding-tasks/{id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(412),
    summary="Remove a Spreidingswet task",
)
async def delete_task(
    session: SessionDep,
    principal: AdminOrCoordinator,
    task_id: TaskId,
    if_match: IfMatchHeader = None,
) -> None:
    await service.delete(session, task_id=task_id, actor=principal, if_match=if_match)


async def build_report(session: SessionDep, on: Any) -> SpreidingReport:
    tasks = [
        TaskRead.model_validate(r._mapping)
        for r in (await session.execute(service.statement().order_by(*service.ORDER))).all()
    ]
    task = next((t for t in tasks if t.starts_on <= on <= t.ends_on), None)
    items: dict[Phase, Any] = {Phase.realised: await report.realised(session, on)}
    items[Phase.planned] = [] if task is None else await report.planned(session, on, task.ends_on)
    items.update(await report.candidates(session))
    phases = report.phase_rows(None if task is None else task.places, items)
    incentive = (
        None
        if task is None
        else await report.incentive(session, on=on, first=task.starts_on, last=task.ends_on)
    )
    return SpreidingReport(
        on=on,
        task=task,
        kinds=report.ASYLUM_KINDS,
        phases=[PhaseRow.model_validate(p) for p in phases],
        incentive=incentive,
        tasks=tasks,
    )


@router.get(
    "/reports/spreiding",
    response_model=SpreidingReport,
    summary="The Spreidingswet task against realised and planned places",
)
async def spreiding_report(
    session: SessionDep, principal: AnyRoleButPartner, query: Annotated[ReportQuery, Query()]
) -> SpreidingReport:
    """For the task whose period holds `on` (default today): the places realised on the
    day at locations of the asylum kinds (Ukrainian reception does not count), planned by
    the capacity plan up to the task's end, decided (candidates not yet a location) and in
    preparation (candidates investigated or proposed), with the gap to the task after each
    phase. The incentive per place added since the task's start (earned) and by the plan
    (expected), durable or not, at the rates of the Spreidingswet schemes."""
    return await build_report(session, query.on or today())
