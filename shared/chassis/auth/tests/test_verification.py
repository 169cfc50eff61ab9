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


async def test_accepts_a_valid_eddsa_token(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    principal = await keys.verify(issuer.mint("42", role="operator", alg="EdDSA", username="ada"))
    assert (principal.id, principal.role, principal.username) == ("42", "operator", "ada")
    assert principal.user_id == 42


async def test_accepts_a_valid_rs256_token(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    principal = await keys.verify(issuer.mint("devices", role="service", alg="RS256"))
    assert (principal.id, principal.role, principal.user_id) == ("devices", "service", None)


async def test_keeps_the_raw_token_for_forwarding(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = issuer.mint()
    principal = await keys.verify(token)
    assert principal.token == token
    assert token not in repr(principal)
    assert token not in principal.model_dump_json()


async def test_rejects_an_unsigned_alg_none_token(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="algorithm 'none' is not accepted"):
        await keys.verify(issuer.forge_unsigned())


async def test_rejects_hs256_signed_with_the_public_key(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="algorithm 'HS256' is not accepted"):
        await keys.verify(issuer.forge_hs256())


async def test_rejects_hs256_even_if_the_allow_list_were_to_contain_it(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    # The key's type picks the algorithm: an RSA key never becomes an HMAC secret.
    keys = await start_keys()
    keys.settings.algorithms.append("HS256")  # type: ignore[arg-type]
    with pytest.raises(InvalidToken, match="does not fit the signing key"):
        await keys.verify(issuer.forge_hs256())


async def test_rejects_an_eddsa_header_on_an_rsa_key(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys()
    token = issuer.mint(alg="EdDSA", headers={"kid": issuer.kid("RS256")})
    with pytest.raises(InvalidToken, match="does not fit the signing key"):
        await keys.verify(token)


async def test_rejects_a_token_without_kid(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="kid"):
        await keys.verify(issuer.mint(headers={"kid": None}))


async def test_rejects_a_tampered_payload(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    header, _, signature = issuer.mint(role="technician").split(".")
    admin = json.dumps(issuer.claims(role="admin")).encode()
    payload = base64.urlsafe_b64encode(admin).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="signature does not verify"):
        await keys.verify(f"{header}.{payload}.{signature}")


async def test_rejects_an_expired_token(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys(leeway=5)
    token = issuer.mint(exp=int(time.time()) - 10)
    with pytest.raises(InvalidToken, match="expired"):
        await keys.verify(token)


async def test_tolerates_clock_skew_within_the_leeway(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(leeway=30)
    assert isinstance(await keys.verify(issuer.mint(exp=int(time.time()) - 10)), Principal)


async def test_rejects_a_token_not_valid_yet(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys(leeway=5)
    with pytest.raises(InvalidToken, match="not valid yet"):
        await keys.verify(issuer.mint(nbf=int(time.time()) + 60))


async def test_rejects_a_wrong_audience(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="audience"):
        await keys.verify(issuer.mint(aud="billing"))


async def test_rejects_a_wrong_issuer(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="trusted issuer"):
        await keys.verify(issuer.mint(iss="https://evil.example"))


async def test_rejects_a_token_without_expiry(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="lacks the exp claim"):
        await keys.verify(issuer.mint(exp=None))


async def test_rejects_an_unknown_role(issuer: TokenIssuer, start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="claims are not valid: role"):
        await keys.verify(issuer.mint(role="superuser"))


async def test_rejects_garbage(start_keys: StartKeys) -> None:
    keys = await start_keys()
    with pytest.raises(InvalidToken, match="malformed"):
        await keys.verify("not-a-jwt")


async def test_unknown_kid_refetches_once_then_rejects(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    before = issuer.jwks_requests
    with pytest.raises(InvalidToken, match="unknown key"):
        await keys.verify(issuer.mint(headers={"kid": "never-published"}))
    assert issuer.jwks_requests == before + 1


async def test_accepts_a_rotated_key_after_refetching(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    new_kid = issuer.rotate("EdDSA")
    principal = await keys.verify(issuer.mint("7", kid=new_kid))
    assert principal.id == "7"
    assert new_kid in keys.health().info["keys"]


async def test_still_accepts_the_previous_key_during_rotation(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    old_kid = issuer.kid("EdDSA")
    issuer.rotate("EdDSA")
    keys = await start_keys()
    assert (await keys.verify(issuer.mint("7", kid=old_kid))).id == "7"


async def test_refuses_a_retired_key_after_refetching(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    old_kid = issuer.kid("EdDSA")
    issuer.rotate("EdDSA")
    issuer.retire(old_kid)
    await keys.verify(issuer.mint())  # the new kid makes the key set refetch
    with pytest.raises(InvalidToken, match="unknown key"):
        await keys.verify(issuer.mint(kid=old_kid))


async def test_keeps_verifying_with_cached_keys_while_the_jwks_server_is_down(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=0)
    issuer.server.stop()
    with pytest.raises(InvalidToken, match="unknown key"):  # forces a fetch, which fails
        await keys.verify(issuer.mint(headers={"kid": "new"}))
    assert (await keys.verify(issuer.mint("5"))).id == "5"
    health = keys.health()
    assert health.status == "up"
    assert "last_error" in health.info


async def test_rate_limits_refetches_under_a_burst_of_unknown_kids(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(min_refetch_interval=60)
    before = issuer.jwks_requests
    tokens = [issuer.mint(headers={"kid": uuid.uuid4().hex}) for _ in range(50)]
    results = await asyncio.gather(*(keys.verify(t) for t in tokens), return_exceptions=True)
    assert all(isinstance(r, InvalidToken) for r in results)
    assert issuer.jwks_requests - before <= 1


async def test_refreshes_the_key_set_in_the_background_after_the_ttl(
    issuer: TokenIssuer, start_keys: StartKeys
) -> None:
    keys = await start_keys(jwks_cache_ttl=0.1)
    new_kid = issuer.rotate("RS256")
    for _ in range(100):  # up to 5 s on a busy machine; ~0.1 s normally
        if new_kid in keys.health().info["keys"]:
            break
        await asyncio.sleep(0.05)
    assert new_kid in keys.health().info["keys"]
