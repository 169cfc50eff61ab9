import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reading_series import ReadingSeries
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: int,
    *,
    metric: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    bucket: None | str | Unset = UNSET,
    limit: int | Unset = 1000,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_metric: None | str | Unset
    if isinstance(metric, Unset):
        json_metric = UNSET
    else:
        json_metric = metric
    params["metric"] = json_metric

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_bucket: None | str | Unset
    if isinstance(bucket, Unset):
        json_bucket = UNSET
    else:
        json_bucket = bucket
    params["bucket"] = json_bucket

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
        "url": "/v1/devices/{device_id}/readings".format(
            device_id=quote(str(device_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReadingSeries | None:
    if response.status_code == 200:
        response_200 = ReadingSeries.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | ReadingSeries]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    device_id: int,
    *,
    client: AuthenticatedClient,
    metric: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    bucket: None | str | Unset = UNSET,
    limit: int | Unset = 1000,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | ReadingSeries]:
    """Get Readings

    Args:
        device_id (int): The device's snowflake id.
        metric (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        bucket (None | str | Unset): e.g. 1m: min/avg/max per bucket.
        limit (int | Unset):  Default: 1000.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadingSeries]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        metric=metric,
        from_=from_,
        to=to,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: int,
    *,
    client: AuthenticatedClient,
    metric: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    bucket: None | str | Unset = UNSET,
    limit: int | Unset = 1000,
    cursor: None | str | Unset = UNSET,
) -> Problem | ReadingSeries | None:
    """Get Readings

    Args:
        device_id (int): The device's snowflake id.
        metric (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        bucket (None | str | Unset): e.g. 1m: min/avg/max per bucket.
        limit (int | Unset):  Default: 1000.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadingSeries
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        metric=metric,
        from_=from_,
        to=to,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    device_id: int,
    *,
    client: AuthenticatedClient,
    metric: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    bucket: None | str | Unset = UNSET,
    limit: int | Unset = 1000,
    cursor: None | str | Unset = UNSET,
) -> Response[Problem | ReadingSeries]:
    """Get Readings

    Args:
        device_id (int): The device's snowflake id.
        metric (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        bucket (None | str | Unset): e.g. 1m: min/avg/max per bucket.
        limit (int | Unset):  Default: 1000.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReadingSeries]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        metric=metric,
        from_=from_,
        to=to,
        bucket=bucket,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: int,
    *,
    client: AuthenticatedClient,
    metric: None | str | Unset = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
    bucket: None | str | Unset = UNSET,
    limit: int | Unset = 1000,
    cursor: None | str | Unset = UNSET,
) -> Problem | ReadingSeries | None:
    """Get Readings

    Args:
        device_id (int): The device's snowflake id.
        metric (None | str | Unset):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):
        bucket (None | str | Unset): e.g. 1m: min/avg/max per bucket.
        limit (int | Unset):  Default: 1000.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReadingSeries
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            metric=metric,
            from_=from_,
            to=to,
            bucket=bucket,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
