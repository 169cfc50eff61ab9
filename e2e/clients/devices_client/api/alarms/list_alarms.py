import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.alarm_page import AlarmPage
from ...models.list_alarms_state_type_0 import ListAlarmsStateType0
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    device: int | None | Unset = UNSET,
    state: ListAlarmsStateType0 | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_device: int | None | Unset
    if isinstance(device, Unset):
        json_device = UNSET
    else:
        json_device = device
    params["device"] = json_device

    json_state: None | str | Unset
    if isinstance(state, Unset):
        json_state = UNSET
    elif isinstance(state, ListAlarmsStateType0):
        json_state = state.value
    else:
        json_state = state
    params["state"] = json_state

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

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
        "url": "/v1/alarms",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AlarmPage | Problem | None:
    if response.status_code == 200:
        response_200 = AlarmPage.from_dict(response.json())

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
) -> Response[AlarmPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    device: int | None | Unset = UNSET,
    state: ListAlarmsStateType0 | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AlarmPage | Problem]:
    """List Alarms

    Args:
        device (int | None | Unset): A device id.
        state (ListAlarmsStateType0 | None | Unset):
        since (datetime.datetime | None | Unset): Raised at or after (ISO 8601).
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlarmPage | Problem]
    """

    kwargs = _get_kwargs(
        device=device,
        state=state,
        since=since,
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
    device: int | None | Unset = UNSET,
    state: ListAlarmsStateType0 | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AlarmPage | Problem | None:
    """List Alarms

    Args:
        device (int | None | Unset): A device id.
        state (ListAlarmsStateType0 | None | Unset):
        since (datetime.datetime | None | Unset): Raised at or after (ISO 8601).
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlarmPage | Problem
    """

    return sync_detailed(
        client=client,
        device=device,
        state=state,
        since=since,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    device: int | None | Unset = UNSET,
    state: ListAlarmsStateType0 | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[AlarmPage | Problem]:
    """List Alarms

    Args:
        device (int | None | Unset): A device id.
        state (ListAlarmsStateType0 | None | Unset):
        since (datetime.datetime | None | Unset): Raised at or after (ISO 8601).
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AlarmPage | Problem]
    """

    kwargs = _get_kwargs(
        device=device,
        state=state,
        since=since,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    device: int | None | Unset = UNSET,
    state: ListAlarmsStateType0 | None | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> AlarmPage | Problem | None:
    """List Alarms

    Args:
        device (int | None | Unset): A device id.
        state (ListAlarmsStateType0 | None | Unset):
        since (datetime.datetime | None | Unset): Raised at or after (ISO 8601).
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AlarmPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            device=device,
            state=state,
            since=since,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
