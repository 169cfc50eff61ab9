"""The users service's public keys, fetched from its JWKS, cached, and refreshed when needed."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

import httpx
import jwt

from chassis.auth._jwk import SigningKey, UnusableKey, parse_jwk
from chassis.auth.principal import Principal
from chassis.auth.revocation import Revocations
from chassis.auth.settings import AuthSettings
from chassis.auth.verify import InvalidToken, verify_token
from chassis.lifecycle import BackgroundLoop, Health
from chassis.logging import tagged_logger
from chassis.tls import client_tls

_log = tagged_logger("AUTH")
_VERIFIED_MAX = 10_000


class JwksKeySet(BackgroundLoop):
    """The signing keys tokens are verified with: a component, so the app starts and stops it.

    Keys are fetched at start (a failure there is logged, not fatal: users may start later),
    refreshed in the background every `jwks_cache_ttl`, and refetched when a token names a key id
    not yet known, which is how a rotated key is picked up. Fetches are at least
    `min_refetch_interval` apart and never run concurrently, so tokens with random key ids cost
    the users service at most one request per interval. A failed fetch keeps the cached keys, so
    verification goes on while users is down.

    >>> keys = JwksKeySet(settings.auth)
    >>> app = create_app(settings, components=[keys], routers=[...])
    """

    name = "jwks"
    log = _log

    def __init__(self, settings: AuthSettings) -> None:
        super().__init__(interval=settings.jwks_cache_ttl)
        self.settings = settings
        # A failed fetch is retried sooner: after min_refetch_interval (1 s at least, TTL at most).
        self._retry = min(settings.jwks_cache_ttl, max(settings.min_refetch_interval, 1.0))
        self.required = settings.required
        self._keys: dict[str, SigningKey] = {}
        self._loaded_at: float | None = None
        self._last_attempt = -float("inf")
        self._last_error: str | None = None
        self._client: httpx.AsyncClient | None = None
        self._fetching: asyncio.Lock | None = None
        # token -> (principal, kid, valid until): a client sends the same token for minutes.
        self._verified: OrderedDict[str, tuple[Principal, str, float]] = OrderedDict()
        # Tokens users revoked before they expire (fed by `access.revoked`, see create_app).
        self.revocations = Revocations()

    async def start(self) -> None:
        timeout = self.settings.fetch_timeout
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 1.0)), verify=client_tls()
        )
        self._fetching = asyncio.Lock()
        async with self._fetching:
            await self._fetch()
        self.begin(first_pass_after=self._until_refresh())

    async def stop(self) -> None:
        await super().stop()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def health(self) -> Health:
        info: dict[str, Any] = {"keys": sorted(self._keys), "url": self.settings.jwks_url}
        if self._loaded_at is not None:
            info["age_seconds"] = round(time.monotonic() - self._loaded_at, 1)
        if self._last_error:
            info["last_error"] = self._last_error
        if not self._keys:
            return Health.down(f"no signing keys loaded ({self._last_error or 'not fetched'})")
        return Health.up(**info)

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token; InvalidToken (with a safe reason) otherwise.

        A token verified once is remembered until it expires (or its key leaves the key set):
        the signature check is most of the cost of an authenticated request, and a client
        presents the same token for its whole lifetime. Bounded, least recently used first out.
        Revocation is asked on every use, remembered or not.
        """
        principal = await self._verified_principal(token)
        refusal = self.revocations.refusal(principal)
        if refusal is not None:
            raise InvalidToken(refusal)
        return principal

    async def _verified_principal(self, token: str) -> Principal:
        hit = self._verified.get(token)
        if hit is not None:
            principal, kid, until = hit
            if time.time() < until and await self.key_for(kid) is not None:
                self._verified.move_to_end(token)
                return principal
            del self._verified[token]
        principal = await verify_token(token, keys=self, settings=self.settings)
        if principal.expires_at is not None:
            kid = str(jwt.get_unverified_header(token)["kid"])
            until = principal.expires_at.timestamp() + self.settings.leeway
            self._verified[token] = (principal, kid, until)
            if len(self._verified) > _VERIFIED_MAX:
                self._verified.popitem(last=False)
        return principal

    async def key_for(self, kid: str) -> SigningKey | None:
        """The key with id `kid`, refetching the key set once (rate-limited) if it is unknown."""
        key = self._keys.get(kid)
        if key is not None or self._fetching is None:
            return key
        async with self._fetching:
            # Another request may have fetched while this one waited for the lock.
            if kid not in self._keys and self._may_fetch():
                await self._fetch()
        return self._keys.get(kid)

    def _may_fetch(self) -> bool:
        return time.monotonic() - self._last_attempt >= self.settings.min_refetch_interval

    async def run_once(self) -> float | None:
        """The background refresh: fetch the key set, and say when to fetch it again."""
        async with self._fetching or asyncio.Lock():
            await self._fetch()
        return self._until_refresh()

    def _until_refresh(self) -> float | None:
        return None if self._last_error is None else self._retry

    async def _fetch(self) -> None:
        """Replace the cached keys by the published ones; on failure keep them. Never raises."""
        if self._client is None:  # stopped
            return
        self._last_attempt = time.monotonic()
        url = self.settings.jwks_url
        try:
            response = await self._client.get(url, headers={"Accept": "application/json"})
            response.raise_for_status()
            keys = self._parse(response.json())
        except Exception as exc:  # any failure, even a surprising one, must keep the cached keys
            self._last_error = _describe(exc)
            level = _log.warning if self._keys else _log.error
            level(
                "key set fetch from %s failed: %s; keeping %d cached keys",
                url,
                self._last_error,
                len(self._keys),
            )
            return
        if keys.keys() != self._keys.keys():
            _log.info("signing keys now %s (were %s)", sorted(keys), sorted(self._keys))
        self._keys = keys
        self._loaded_at = time.monotonic()
        self._last_error = None

    def _parse(self, document: Any) -> dict[str, SigningKey]:
        entries = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise ValueError("the document has no 'keys' list")
        keys: dict[str, SigningKey] = {}
        for entry in entries:
            try:
                key = parse_jwk(entry)
            except UnusableKey as exc:
                _log.warning("ignoring a published key: %s", exc)
                continue
            keys[key.kid] = key
        if not keys:
            raise ValueError("the key set holds no usable signing key")
        return keys


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return str(exc) or type(exc).__name__
