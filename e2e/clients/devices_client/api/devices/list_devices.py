from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.device_page import DevicePage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    site: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    in_alarm: bool | None | Unset = UNSET,
    include_decommissioned: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_site: None | str | Unset
    if isinstance(site, Unset):
        json_site = UNSET
    else:
        json_site = site
    params["site"] = json_site

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    else:
        json_kind = kind
    params["kind"] = json_kind

    json_online: bool | None | Unset
    if isinstance(online, Unset):
        json_online = UNSET
    else:
        json_online = online
    params["online"] = json_online

    json_in_alarm: bool | None | Unset
    if isinstance(in_alarm, Unset):
        json_in_alarm = UNSET
    else:
        json_in_alarm = in_alarm
    params["in_alarm"] = json_in_alarm

    params["include_decommissioned"] = include_decommissioned

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
        "url": "/v1/devices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DevicePage | Problem | None:
    if response.status_code == 200:
        response_200 = DevicePage.from_dict(response.json())

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
) -> Response[DevicePage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    site: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    in_alarm: bool | None | Unset = UNSET,
    include_decommissioned: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[DevicePage | Problem]:
    """List Devices

    Args:
        site (None | str | Unset):
        kind (None | str | Unset):
        online (bool | None | Unset):
        in_alarm (bool | None | Unset): Devices with a raised alarm.
        include_decommissioned (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicePage | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
        kind=kind,
        online=online,
        in_alarm=in_alarm,
        include_decommissioned=include_decommissioned,
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
    site: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    in_alarm: bool | None | Unset = UNSET,
    include_decommissioned: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> DevicePage | Problem | None:
    """List Devices

    Args:
        site (None | str | Unset):
        kind (None | str | Unset):
        online (bool | None | Unset):
        in_alarm (bool | None | Unset): Devices with a raised alarm.
        include_decommissioned (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicePage | Problem
    """

    return sync_detailed(
        client=client,
        site=site,
        kind=kind,
        online=online,
        in_alarm=in_alarm,
        include_decommissioned=include_decommissioned,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    site: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    in_alarm: bool | None | Unset = UNSET,
    include_decommissioned: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[DevicePage | Problem]:
    """List Devices

    Args:
        site (None | str | Unset):
        kind (None | str | Unset):
        online (bool | None | Unset):
        in_alarm (bool | None | Unset): Devices with a raised alarm.
        include_decommissioned (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DevicePage | Problem]
    """

    kwargs = _get_kwargs(
        site=site,
        kind=kind,
        online=online,
        in_alarm=in_alarm,
        include_decommissioned=include_decommissioned,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    site: None | str | Unset = UNSET,
    kind: None | str | Unset = UNSET,
    online: bool | None | Unset = UNSET,
    in_alarm: bool | None | Unset = UNSET,
    include_decommissioned: bool | Unset = False,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> DevicePage | Problem | None:
    """List Devices

    Args:
        site (None | str | Unset):
        kind (None | str | Unset):
        online (bool | None | Unset):
        in_alarm (bool | None | Unset): Devices with a raised alarm.
        include_decommissioned (bool | Unset):  Default: False.
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset): The previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DevicePage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            site=site,
            kind=kind,
            online=online,
            in_alarm=in_alarm,
            include_decommissioned=include_decommissioned,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
