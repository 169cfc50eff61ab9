"""Who may read the monitor: operators and admins, and the fleet's services (the fleet monitor).

The snapshot is a JSON route behind the usual bearer check. The page is opened by a browser that
carries no token, so it asks for a login: the chassis posts the credentials to the users
service's token endpoint (the password grant) and verifies the token it gets like any other.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx
from fastapi import FastAPI

from chassis.auth import InvalidToken, JwksKeySet, Principal, Role
from chassis.tls import client_tls

MONITOR_ROLES: tuple[Role, ...] = ("operator", "admin", "service")
PAGE_ROLES: tuple[Role, ...] = ("operator", "admin")
# The users service serves its token endpoint beside its key set (DESIGN.md, "Auth").
_LOGIN_PATH = "/v1/auth/token"


class LoginRefused(Exception):
    """Why a login to the monitor page failed, in words fit to show on the page."""


def token_endpoint(jwks_url: str) -> str:
    """Where to log in, seen from this service: the origin of the key set it already reaches
    (`auth.token_url` is the browser's address for Swagger, which a container may not reach)."""
    parts = urlsplit(jwks_url)
    return urlunsplit((parts.scheme, parts.netloc, _LOGIN_PATH, "", ""))


async def log_in(app: FastAPI, username: str, password: str) -> Principal:
    """The principal of an operator or admin who logged in with `username` and `password`."""
    try:
        keys: JwksKeySet = app.state.components.get(JwksKeySet)
    except LookupError:
        raise LoginRefused("this service verifies no tokens, so nobody can log in") from None
    url = token_endpoint(keys.settings.jwks_url)
    form = {"grant_type": "password", "username": username, "password": password}
    try:
        timeout = keys.settings.fetch_timeout * 2
        async with httpx.AsyncClient(timeout=timeout, verify=client_tls()) as client:
            response = await client.post(url, data=form)
    except httpx.HTTPError:
        raise LoginRefused("the users service did not answer; try again") from None
    if response.status_code != 200:
        raise LoginRefused("wrong username or password")
    try:
        principal = await keys.verify(str(response.json()["access_token"]))
    except (InvalidToken, KeyError, ValueError):
        raise LoginRefused("the users service gave a token this service cannot verify") from None
    if principal.role not in PAGE_ROLES:
        raise LoginRefused(f"the monitor is for operators and admins; you are {principal.role}")
    return principal
