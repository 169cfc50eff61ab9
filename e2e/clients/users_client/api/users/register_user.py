from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.user_create import UserCreate
from ...models.user_public import UserPublic
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UserCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/users",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | UserPublic | None:
    if response.status_code == 201:
        response_201 = UserPublic.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[Problem | UserPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UserCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserPublic]:
    """Register User

     Self-registration: the new account is a technician. Retrying with the same
    `Idempotency-Key` and body gets the first answer again. An email that is already
    registered answers the same way, but no account is created (who has an account stays
    private).

    Args:
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (UserCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPublic]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UserCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserPublic | None:
    """Register User

     Self-registration: the new account is a technician. Retrying with the same
    `Idempotency-Key` and body gets the first answer again. An email that is already
    registered answers the same way, but no account is created (who has an account stays
    private).

    Args:
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (UserCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPublic
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UserCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Problem | UserPublic]:
    """Register User

     Self-registration: the new account is a technician. Retrying with the same
    `Idempotency-Key` and body gets the first answer again. An email that is already
    registered answers the same way, but no account is created (who has an account stays
    private).

    Args:
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (UserCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | UserPublic]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UserCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Problem | UserPublic | None:
    """Register User

     Self-registration: the new account is a technician. Retrying with the same
    `Idempotency-Key` and body gets the first answer again. An email that is already
    registered answers the same way, but no account is created (who has an account stays
    private).

    Args:
        idempotency_key (None | str | Unset): A key of the caller's for this request (a UUID): a
            retry with the same key and body is answered as the first request was, and nothing is done
            again; the same key with another body is refused (422). Keys are the caller's own and kept
            for `database.idempotency_retention` (24 h by default).
        body (UserCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | UserPublic
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
