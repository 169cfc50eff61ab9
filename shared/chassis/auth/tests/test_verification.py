"""Which tokens the key set accepts: one behaviour per test, against a real JWKS server."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid

import pytest

from chassis.auth import InvalidToken, Principal
from chassis.auth.tests.conftest import StartKeys
from chassis.testing.tokens import TokenIssuer


async def test_accepts_a_valid_eddsa_token(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    principal = await keys.verify(
        token_issuer.mint("42", role="operator", alg="EdDSA", username="ada")
    )
    assert (principal.id, principal.role, principal.username) == ("42", "operator", "ada")
    assert principal.user_id == 42


async def test_accepts_a_valid_rs256_token(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    principal = await keys.verify(token_issuer.mint("devices", role="service", alg="RS256"))
    assert (principal.id, principal.role, principal.user_id) == ("devices", "service", None)


async def test_keeps_the_raw_token_for_forwarding(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = token_issuer.mint()
    principal = await keys.verify(token)
    assert principal.token == token
    assert token not in repr(principal)
    assert token not in principal.model_dump_json()


async def test_rejects_an_unsigned_alg_none_token(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="algorithm 'none' is not accepted"):
        await keys.verify(token_issuer.forge_unsigned())


async def test_rejects_hs256_signed_with_the_public_key(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="algorithm 'HS256' is not accepted"):
        await keys.verify(token_issuer.forge_hs256())


async def test_rejects_hs256_even_if_the_allow_list_were_to_contain_it(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    # The key's type picks the algorithm: an RSA key never becomes an HMAC secret.
    keys = await start_keys()
    keys.settings.algorithms.append("HS256")  # type: ignore[arg-type]
    with pytest.raises(InvalidToken, match="does not fit the signing key"):
        await keys.verify(token_issuer.forge_hs256())


async def test_rejects_an_eddsa_header_on_an_rsa_key(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = token_issuer.mint(alg="EdDSA", headers={"kid": token_issuer.kid("RS256")})
    with pytest.raises(InvalidToken, match="does not fit the signing key"):
        await keys.verify(token)


async def test_rejects_a_token_without_kid(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="kid"):
        await keys.verify(token_issuer.mint(headers={"kid": None}))


async def test_rejects_a_tampered_payload(token_issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    header, _, signature = token_issuer.mint(role="technician").split(".")
    admin = json.dumps(token_issuer.claims(role="admin")).encode()
    payload = base64.urlsafe_b64encode(admin).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="signature does not verify"):
        await keys.verify(f"{header}.{payload}.{signature}")


async def test_rejects_an_expired_token(token_issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys(leeway=5)
    token = token_issuer.mint(exp=int(time.time()) - 10)
    with pytest.raises(InvalidToken, match="expired"):
        await keys.verify(token)


async def test_tolerates_clock_skew_within_the_leeway(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(leeway=30)
    assert isinstance(await keys.verify(token_issuer.mint(exp=int(time.time()) - 10)), Principal)


async def test_rejects_a_token_not_valid_yet(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(leeway=5)
    with pytest.raises(InvalidToken, match="not valid yet"):
        await keys.verify(token_issuer.mint(nbf=int(time.time()) + 60))


async def test_rejects_a_wrong_audience(token_issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="audience"):
        await keys.verify(token_issuer.mint(aud="billing"))


async def test_rejects_a_wrong_issuer(token_issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="trusted issuer"):
        await keys.verify(token_issuer.mint(iss="https://evil.example"))


async def test_rejects_a_token_without_expiry(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="lacks the exp claim"):
        await keys.verify(token_issuer.mint(exp=None))


async def test_rejects_an_unknown_role(token_issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="claims are not valid: role"):
        await keys.verify(token_issuer.mint(role="superuser"))


async def test_rejects_garbage(start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="malformed"):
        await keys.verify("not-a-jwt")


async def test_unknown_kid_refetches_once_then_rejects(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    before = token_issuer.jwks_requests
    with pytest.raises(InvalidToken, match="unknown key"):
        await keys.verify(token_issuer.mint(headers={"kid": "never-published"}))
    assert token_issuer.jwks_requests == before + 1


async def test_accepts_a_rotated_key_after_refetching(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    new_kid = token_issuer.rotate("EdDSA")
    principal = await keys.verify(token_issuer.mint("7", kid=new_kid))
    assert principal.id == "7"
    assert new_kid in keys.health().info["keys"]


async def test_still_accepts_the_previous_key_during_rotation(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    old_kid = token_issuer.kid("EdDSA")
    token_issuer.rotate("EdDSA")
    keys = await start_keys()
    assert (await keys.verify(token_issuer.mint("7", kid=old_kid))).id == "7"


async def test_refuses_a_retired_key_after_refetching(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    old_kid = token_issuer.kid("EdDSA")
    token_issuer.rotate("EdDSA")
    token_issuer.retire(old_kid)
    await keys.verify(token_issuer.mint())  # the new kid makes the key set refetch
    with pytest.raises(InvalidToken, match="unknown key"):
        await keys.verify(token_issuer.mint(kid=old_kid))


async def test_keeps_verifying_with_cached_keys_while_the_jwks_server_is_down(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    token_issuer.server.stop()
    with pytest.raises(InvalidToken, match="unknown key"):  # forces a fetch, which fails
        await keys.verify(token_issuer.mint(headers={"kid": "new"}))
    assert (await keys.verify(token_issuer.mint("5"))).id == "5"
    health = keys.health()
    assert health.status == "up"
    assert "last_error" in health.info


async def test_rate_limits_refetches_under_a_burst_of_unknown_kids(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=60)
    before = token_issuer.jwks_requests
    tokens = [token_issuer.mint(headers={"kid": uuid.uuid4().hex}) for _ in range(50)]
    results = await asyncio.gather(*(keys.verify(t) for t in tokens), return_exceptions=True)
    assert all(isinstance(r, InvalidToken) for r in results)
    assert token_issuer.jwks_requests - before <= 1


async def test_refreshes_the_key_set_in_the_background_after_the_ttl(
    token_issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(jwks_cache_ttl=0.1)
    new_kid = token_issuer.rotate("RS256")
    for _ in range(100):  # up to 5 s on a busy machine; ~0.1 s normally
        if new_kid in keys.health().info["keys"]:
            break
        await asyncio.sleep(0.05)
    assert new_kid in keys.health().info["keys"]
