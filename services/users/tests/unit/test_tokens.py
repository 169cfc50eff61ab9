from datetime import UTC, datetime, timedelta

import pytest

from chassis.testing import RecordedEvents
from contracts.auth import AccessRevoked
from users.service import tokens
from users.service.errors import InvalidRefreshToken
from users.service.tokens import TokenPolicy
from users.tests.unit.fakes import (
    Commits,
    FakeRefreshTokens,
    FakeSigner,
    FakeUsers,
    a_user,
    new_id,
)

POLICY = TokenPolicy(issuer="fleet-users", audience="fleet", access_ttl=900, refresh_ttl=3600)


def _login(users: FakeUsers, store: FakeRefreshTokens, signer: FakeSigner) -> str:
    user = next(iter(users.users.values()))
    pair = tokens.issue_for_user(
        user, signer=signer, refresh_tokens=store, policy=POLICY, ids=new_id
    )
    assert pair.refresh_token is not None
    return pair.refresh_token


def _refresh(raw: str, users: FakeUsers, store: FakeRefreshTokens) -> tokens.TokenPair:
    return tokens.refresh(
        raw,
        users=users,
        refresh_tokens=store,
        signer=FakeSigner(),
        policy=POLICY,
        ids=new_id,
        events=RecordedEvents(),
        commit=Commits(),
    )


def test_access_claims_name_the_user_for_the_fleet() -> None:
    alice, signer = a_user("alice", role="operator"), FakeSigner()

    tokens.issue_for_user(
        alice, signer=signer, refresh_tokens=FakeRefreshTokens(), policy=POLICY, ids=new_id
    )

    claims = signer.signed[0]
    assert claims["sub"] == str(alice.id)
    assert (claims["role"], claims["username"]) == ("operator", "alice")
    assert (claims["iss"], claims["aud"]) == ("fleet-users", "fleet")
    assert claims["exp"].timestamp() - claims["iat"] == pytest.approx(900)


def test_an_access_token_names_its_session_so_a_logout_can_end_it() -> None:
    users, store, signer = FakeUsers(a_user()), FakeRefreshTokens(), FakeSigner()
    raw = _login(users, store, signer)
    session = store.by_hash(tokens.hash_refresh_token(raw))
    events = RecordedEvents()

    tokens.logout(raw, refresh_tokens=store, events=events, commit=Commits())

    assert session is not None
    assert signer.signed[0]["sid"] == str(session.family_id)
    [ended] = events.recorded
    assert isinstance(ended, AccessRevoked)
    assert (ended.session_id, ended.reason) == (session.family_id, "logged_out")


def test_only_the_hash_of_a_refresh_token_is_stored() -> None:
    store = FakeRefreshTokens()

    raw = _login(FakeUsers(a_user()), store, FakeSigner())

    assert raw not in store.tokens
    assert tokens.hash_refresh_token(raw) in store.tokens


def test_a_refresh_continues_the_same_family() -> None:
    users, store = FakeUsers(a_user()), FakeRefreshTokens()
    raw = _login(users, store, FakeSigner())

    fresh = _refresh(raw, users, store).refresh_token

    assert fresh is not None
    old, new = (
        store.by_hash(tokens.hash_refresh_token(raw)),
        store.by_hash(tokens.hash_refresh_token(fresh)),
    )
    assert old is not None
    assert new is not None
    assert old.used
    assert new.family_id == old.family_id


def test_reuse_revokes_every_token_of_the_family() -> None:
    users, store = FakeUsers(a_user()), FakeRefreshTokens()
    raw = _login(users, store, FakeSigner())
    _refresh(raw, users, store)

    with pytest.raises(InvalidRefreshToken, match="already used"):
        _refresh(raw, users, store)

    assert all(t.revoked for t in store.tokens.values())


def test_an_expired_refresh_token_is_refused() -> None:
    users, store = FakeUsers(a_user()), FakeRefreshTokens()
    raw = _login(users, store, FakeSigner())
    token = store.by_hash(tokens.hash_refresh_token(raw))
    assert token is not None
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)

    with pytest.raises(InvalidRefreshToken, match="expired"):
        _refresh(raw, users, store)


def test_a_service_token_has_the_service_role() -> None:
    signer = FakeSigner()

    pair = tokens.issue_for_service("devices", signer=signer, policy=POLICY)

    assert pair.refresh_token is None
    assert (signer.signed[0]["sub"], signer.signed[0]["role"]) == ("devices", "service")
