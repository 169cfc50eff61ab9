"""A token is checked once, then remembered until it expires."""

from __future__ import annotations

import asyncio
import time

import pytest

from chassis.auth import InvalidToken
from chassis.auth.tests.conftest import StartKeys
from chassis.testing.tokens import TokenIssuer


async def test_a_verified_token_is_remembered_rather_than_checked_again(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = token_issuer.mint("7", "technician")
    first = await keys.verify(token)
    assert await keys.verify(token) is first


async def test_a_remembered_token_is_refused_once_it_expires(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(leeway=0)
    token = token_issuer.mint("7", "technician", exp=int(time.time()) + 1)
    await keys.verify(token)
    await asyncio.sleep(1.5)
    with pytest.raises(InvalidToken, match="expired"):
        await keys.verify(token)


async def test_a_tampered_copy_of_a_remembered_token_is_still_refused(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = token_issuer.mint("7", "technician")
    await keys.verify(token)
    header, payload, signature = token.split(".")
    forged = ".".join(
        [header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]
    )
    with pytest.raises(InvalidToken):
        await keys.verify(forged)
