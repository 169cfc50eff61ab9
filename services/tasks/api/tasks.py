"""Routes of /v1/tasks: parse, call the service layer, shape the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from chassis.app import Text, links, problems
from chassis.idempotency import Idempotent
from contracts import SnowflakeId
from contracts.tasks import Priority, TaskStatus
from tasks.api.deps import CurrentActor, TaskId, Tx, Users
from tasks.api.schemas import (
    ID_CURSOR,
    NEXT_PAGE,
    TASK_CURSOR,
    AssignmentRequest,
    Due,
    HistoryEntryPublic,
    HistoryPage,
    Label,
    TaskCreate,
    TaskPage,
    TaskPublic,
    TaskUpdate,
    TransitionRequest,
)
from tasks.service.assignment import assign_task
from tasks.service.changes import find_task, find_tasks, move_task, task_history, update_task
from tasks.service.creation import NewTask, open_task
from tasks.service.model import Task
from tasks.service.ports import Sort, TaskQuery, TaskWork
from tasks.service.workflow import allowed_transitions

router = APIRouter(prefix="/v1/tasks", tags=["tasks"])

REPLAYED: dict[int | str, dict[str, Any]] = {
    200: {"model": TaskPublic, "description": "A retry (same Idempotency-Key and body): the task."}
}
OPENED = links(
    201,
    "GET /v1/tasks/{task_id}",
    "PATCH /v1/tasks/{task_id}",
    "POST /v1/tasks/{task_id}/assign",
    "POST /v1/tasks/{task_id}/transitions",
    "GET /v1/tasks/{task_id}/history",
    task_id="id",
)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=TaskPublic,
    responses=REPLAYED | OPENED,
)
async def create(
    body: TaskCreate, actor: CurrentActor, tx: Tx, users: Users, idempotency: Idempotent
) -> Response:
    """Open a task (201); a retry with the same Idempotency-Key and body gets it again (200),
    as does a request for an alarm that has its task already.
    Assigning it on opening is for operators and admins (a technician: only to themselves);
    alarm tasks are opened by the fleet's services, operators and admins."""
    new = NewTask(**body.model_dump(exclude={"labels"}), labels=tuple(body.labels))

    async def answer(work: Callable[[TaskWork], Task], *, replayed: bool) -> Response:
        opened = status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        return await idempotency.answer_in(
            tx, lambda bound: public(work(bound)), status=opened, replay_status=status.HTTP_200_OK
        )

    return await open_task(new, actor=actor, directory=users, answer=answer)


@router.get("", response_model=TaskPage)
async def list_tasks(
    actor: CurrentActor,
    tx: Tx,
    status: TaskStatus | None = None,
    assignee: SnowflakeId | None = None,
    reporter: Annotated[Text | None, Query(max_length=64)] = None,
    device: SnowflakeId | None = None,
    priority: Priority | None = None,
    label: Label | None = None,
    due_before: Due | None = None,
    sort: Sort = "created",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(pattern=TASK_CURSOR, description=NEXT_PAGE)] = None,
) -> Response:
    """Tasks the caller may see, filtered; sort by created, due (soonest first) or priority
    (most urgent first), `-` reverses; cursor-paginated."""
    query = TaskQuery(
        status=status,
        assignee_id=assignee,
        reporter_id=reporter,
        device_id=device,
        priority=priority,
        label=label,
        due_before=due_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
    page = await tx.read(lambda work: find_tasks(query, actor=actor, work=work))
    items = [
        {**row, "allowed_transitions": allowed_transitions(row["status"])} for row in page.items
    ]
    # Validated in one call and serialized once, here: a page is the hot read, and FastAPI
    # would validate it again.
    body = TaskPage.model_validate({"items": items, "next_cursor": page.next_cursor})
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/{task_id}", responses=problems(404))
async def get_task(task_id: TaskId, actor: CurrentActor, tx: Tx) -> TaskPublic:
    return public(await tx.read(lambda work: find_task(task_id, actor=actor, work=work)))


@router.patch("/{task_id}", responses=problems(404))
async def edit(task_id: TaskId, body: TaskUpdate, actor: CurrentActor, tx: Tx) -> TaskPublic:
    """Change fields: the reporter, the assignee, operators and admins."""
    changes = body.changes()
    return public(await tx(lambda work: update_task(task_id, changes, actor=actor, work=work)))


@router.post("/{task_id}/assign", responses=problems(404))
async def assign(
    task_id: TaskId, body: AssignmentRequest, actor: CurrentActor, tx: Tx, users: Users
) -> TaskPublic:
    """Operators and admins hand the task to an active technician or operator (users checks);
    503 with Retry-After while users cannot answer."""
    task = await assign_task(
        task_id, body.assignee_id, actor=actor, directory=users, transaction=tx
    )
    return public(task)


@router.post("/{task_id}/transitions", responses=problems(404, 409))
async def transition(
    task_id: TaskId, body: TransitionRequest, actor: CurrentActor, tx: Tx
) -> TaskPublic:
    """Move through the status machine; 409 names the moves allowed from where the task is."""
    return public(await tx(lambda work: move_task(task_id, body.to, actor=actor, work=work)))


@router.get("/{task_id}/history", responses=problems(404))
async def history(
    task_id: TaskId,
    actor: CurrentActor,
    tx: Tx,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(pattern=ID_CURSOR, description=NEXT_PAGE)] = None,
) -> HistoryPage:
    """Who changed what and when, oldest first."""

    page = await tx.read(
        lambda work: task_history(task_id, actor=actor, work=work, limit=limit, cursor=cursor)
    )
    items = [HistoryEntryPublic.model_validate(e, from_attributes=True) for e in page.items]
    return HistoryPage(items=items, next_cursor=page.next_cursor)


def public(task: Task) -> TaskPublic:
    return TaskPublic.model_validate(task, from_attributes=True)
