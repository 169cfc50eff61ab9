import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_tasks_priority_type_0 import ListTasksPriorityType0
from ...models.list_tasks_sort import ListTasksSort
from ...models.list_tasks_status_type_0 import ListTasksStatusType0
from ...models.problem import Problem
from ...models.task_page import TaskPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    reporter: None | str | Unset = UNSET,
    device: None | str | Unset = UNSET,
    priority: ListTasksPriorityType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    sort: ListTasksSort | Unset = ListTasksSort.CREATED,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListTasksStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_assignee: None | str | Unset
    if isinstance(assignee, Unset):
        json_assignee = UNSET
    else:
        json_assignee = assignee
    params["assignee"] = json_assignee

    json_reporter: None | str | Unset
    if isinstance(reporter, Unset):
        json_reporter = UNSET
    else:
        json_reporter = reporter
    params["reporter"] = json_reporter

    json_device: None | str | Unset
    if isinstance(device, Unset):
        json_device = UNSET
    else:
        json_device = device
    params["device"] = json_device

    json_priority: None | str | Unset
    if isinstance(priority, Unset):
        json_priority = UNSET
    elif isinstance(priority, ListTasksPriorityType0):
        json_priority = priority.value
    else:
        json_priority = priority
    params["priority"] = json_priority

    json_label: None | str | Unset
    if isinstance(label, Unset):
        json_label = UNSET
    else:
        json_label = label
    params["label"] = json_label

    json_due_before: None | str | Unset
    if isinstance(due_before, Unset):
        json_due_before = UNSET
    elif isinstance(due_before, datetime.datetime):
        json_due_before = due_before.isoformat()
    else:
        json_due_before = due_before
    params["due_before"] = json_due_before

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TaskPage | None:
    if response.status_code == 200:
        response_200 = TaskPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | TaskPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    reporter: None | str | Unset = UNSET,
    device: None | str | Unset = UNSET,
    priority: ListTasksPriorityType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    sort: ListTasksSort | Unset = ListTasksSort.CREATED,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | TaskPage]:
    """List Tasks

     Tasks the caller may see, filtered; sort by created, due (soonest first) or priority
    (most urgent first), `-` reverses; cursor-paginated.

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset):
        reporter (None | str | Unset):
        device (None | str | Unset):
        priority (ListTasksPriorityType0 | None | Unset):
        label (None | str | Unset):
        due_before (datetime.datetime | None | Unset):
        sort (ListTasksSort | Unset):  Default: ListTasksSort.CREATED.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        status=status,
        assignee=assignee,
        reporter=reporter,
        device=device,
        priority=priority,
        label=label,
        due_before=due_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    reporter: None | str | Unset = UNSET,
    device: None | str | Unset = UNSET,
    priority: ListTasksPriorityType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    sort: ListTasksSort | Unset = ListTasksSort.CREATED,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Problem | TaskPage | None:
    """List Tasks

     Tasks the caller may see, filtered; sort by created, due (soonest first) or priority
    (most urgent first), `-` reverses; cursor-paginated.

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset):
        reporter (None | str | Unset):
        device (None | str | Unset):
        priority (ListTasksPriorityType0 | None | Unset):
        label (None | str | Unset):
        due_before (datetime.datetime | None | Unset):
        sort (ListTasksSort | Unset):  Default: ListTasksSort.CREATED.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return sync_detailed(
        client=client,
        status=status,
        assignee=assignee,
        reporter=reporter,
        device=device,
        priority=priority,
        label=label,
        due_before=due_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    reporter: None | str | Unset = UNSET,
    device: None | str | Unset = UNSET,
    priority: ListTasksPriorityType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    sort: ListTasksSort | Unset = ListTasksSort.CREATED,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | TaskPage]:
    """List Tasks

     Tasks the caller may see, filtered; sort by created, due (soonest first) or priority
    (most urgent first), `-` reverses; cursor-paginated.

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset):
        reporter (None | str | Unset):
        device (None | str | Unset):
        priority (ListTasksPriorityType0 | None | Unset):
        label (None | str | Unset):
        due_before (datetime.datetime | None | Unset):
        sort (ListTasksSort | Unset):  Default: ListTasksSort.CREATED.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TaskPage]
    """

    kwargs = _get_kwargs(
        status=status,
        assignee=assignee,
        reporter=reporter,
        device=device,
        priority=priority,
        label=label,
        due_before=due_before,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListTasksStatusType0 | None | Unset = UNSET,
    assignee: None | str | Unset = UNSET,
    reporter: None | str | Unset = UNSET,
    device: None | str | Unset = UNSET,
    priority: ListTasksPriorityType0 | None | Unset = UNSET,
    label: None | str | Unset = UNSET,
    due_before: datetime.datetime | None | Unset = UNSET,
    sort: ListTasksSort | Unset = ListTasksSort.CREATED,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Problem | TaskPage | None:
    """List Tasks

     Tasks the caller may see, filtered; sort by created, due (soonest first) or priority
    (most urgent first), `-` reverses; cursor-paginated.

    Args:
        status (ListTasksStatusType0 | None | Unset):
        assignee (None | str | Unset):
        reporter (None | str | Unset):
        device (None | str | Unset):
        priority (ListTasksPriorityType0 | None | Unset):
        label (None | str | Unset):
        due_before (datetime.datetime | None | Unset):
        sort (ListTasksSort | Unset):  Default: ListTasksSort.CREATED.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TaskPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            assignee=assignee,
            reporter=reporter,
            device=device,
            priority=priority,
            label=label,
            due_before=due_before,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
