from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.command_create import CommandCreate
from ...models.command_public import CommandPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    device_id: int,
    *,
    body: CommandCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/devices/{device_id}/commands".format(
            device_id=quote(str(device_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CommandPublic | Problem | None:
    if response.status_code == 202:
        response_202 = CommandPublic.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[CommandPublic | Problem]:
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
    body: CommandCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CommandPublic | Problem]:
    """Send Command

     Queue a command (202): published on fleet/devices/{id}/commands with its row's commit.
    A retry with the same Idempotency-Key and body gets the same answer, and sends nothing.

    Args:
        device_id (int): The device's snowflake id.
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (CommandCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandPublic | Problem]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    device_id: int,
    *,
    client: AuthenticatedClient,
    body: CommandCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CommandPublic | Problem | None:
    """Send Command

     Queue a command (202): published on fleet/devices/{id}/commands with its row's commit.
    A retry with the same Idempotency-Key and body gets the same answer, and sends nothing.

    Args:
        device_id (int): The device's snowflake id.
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (CommandCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandPublic | Problem
    """

    return sync_detailed(
        device_id=device_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    device_id: int,
    *,
    client: AuthenticatedClient,
    body: CommandCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CommandPublic | Problem]:
    """Send Command

     Queue a command (202): published on fleet/devices/{id}/commands with its row's commit.
    A retry with the same Idempotency-Key and body gets the same answer, and sends nothing.

    Args:
        device_id (int): The device's snowflake id.
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (CommandCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommandPublic | Problem]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    device_id: int,
    *,
    client: AuthenticatedClient,
    body: CommandCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CommandPublic | Problem | None:
    """Send Command

     Queue a command (202): published on fleet/devices/{id}/commands with its row's commit.
    A retry with the same Idempotency-Key and body gets the same answer, and sends nothing.

    Args:
        device_id (int): The device's snowflake id.
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (CommandCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommandPublic | Problem
    """

    return (
        await asyncio_detailed(
            device_id=device_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
