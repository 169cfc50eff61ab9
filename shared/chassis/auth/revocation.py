"""Access tokens stopped before they expire: a small local set fed by the identity service's
`access.revoked` (users, in the samples).

Verification stays local (no call to the identity service per request): it announces, through
its outbox, that a user's tokens issued until some moment (deactivation, a role change) or one
session's tokens (a logout) no longer count, and every service's key set refuses them from the
moment the event arrives, milliseconds after the change commits. The bus's persistent session
(QoS 1) delivers what was announced while a service was away.

A process that was not there to hear an event (a new replica, a restart, a session the broker
let expire) learns it from the identity service's snapshot: every revocation it remembers,
retained on the broker at `topics.ACCESS_REVOCATIONS` and delivered the moment a process
subscribes. The identity service republishes it (`RetainedRevocations`) whenever its own set
grows, with the remember window as MQTT 5 message expiry. Merging keeps the later moment per key
and drops what is older than the window, so it is idempotent and order-independent: its replicas
merge the retained snapshot too, so they converge, and one that finds the snapshot missing
something it knows (a restarted replica published before the snapshot reached it) publishes the
union again.

`create_app` wires it (`chassis.app.revocations`): an app with a `JwksKeySet` and a `Bus` follows
revocations by itself. This module needs no bus, so nothing that checks tokens depends on MQTT.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Protocol

from pydantic import BaseModel

from chassis.auth.principal import Principal
from chassis.lifecycle import Component
from chassis.logging import tagged_logger
from contracts import Event, topics
from contracts.auth import AccessRevocations, AccessRevoked

_log = tagged_logger("AUTH")
TOPIC = topics.event(topics.IDENTITY, AccessRevoked.event_type)
SNAPSHOT_TOPIC = topics.ACCESS_REVOCATIONS
# Longer than any access token lives (the identity service allows at most 1 h): past it, the
# tokens a revocation was about have expired. It bounds the retained snapshot: a day of logouts
# would be ~600 KB.
_REMEMBER_SECONDS = 2 * 3600.0


class Revocations:
    """Whose tokens issued until when, and which sessions' tokens, no longer count."""

    def __init__(self, remember: float = _REMEMBER_SECONDS) -> None:
        self.remember = remember
        self._subjects: dict[str, float] = {}  # subject -> tokens issued at or before: refused
        self._sessions: dict[str, float] = {}  # session id -> when it ended

    def revoke(self, subject: str, at: datetime, *, session_id: str | None = None) -> None:
        if session_id is not None:
            _keep_later(self._sessions, session_id, at.timestamp())
        else:
            _keep_later(self._subjects, subject, at.timestamp())
        self._forget_older_than(time.time() - self.remember)

    def refusal(self, principal: Principal) -> str | None:
        """Why the principal's token no longer counts, or None if it still does."""
        if principal.session_id is not None and principal.session_id in self._sessions:
            return "token's session has ended (logged out)"
        until = self._subjects.get(principal.id)
        if until is None:
            return None
        issued = principal.issued_at.timestamp() if principal.issued_at else None
        if issued is None or issued <= until:
            return "token was revoked (the account changed since it was issued); sign in again"
        return None

    def snapshot(self) -> AccessRevocations:
        """What this set remembers, as the identity service retains it on the broker."""
        self._forget_older_than(time.time() - self.remember)
        return AccessRevocations(
            subjects={int(k): datetime.fromtimestamp(t, UTC) for k, t in self._subjects.items()},
            sessions={int(k): datetime.fromtimestamp(t, UTC) for k, t in self._sessions.items()},
        )

    def merge(self, snapshot: AccessRevocations) -> bool:
        """Add what `snapshot` knows, the later moment per key; True if it taught anything.
        Entries older than the remember window are left out, so merging the same snapshots
        again, or in another order, gives the same set."""
        cutoff = time.time() - self.remember
        learned = False
        for known, told in (
            (self._subjects, snapshot.subjects),
            (self._sessions, snapshot.sessions),
        ):
            for key, at in told.items():
                moment = at.timestamp()
                learned |= moment >= cutoff and _keep_later(known, str(key), moment)
        self._forget_older_than(cutoff)
        return learned

    def knows_more_than(self, snapshot: AccessRevocations) -> bool:
        """Whether this set holds a revocation `snapshot` lacks (or a later moment of one)."""
        self._forget_older_than(time.time() - self.remember)
        for known, told in (
            (self._subjects, snapshot.subjects),
            (self._sessions, snapshot.sessions),
        ):
            theirs = {str(key): at.timestamp() for key, at in told.items()}
            if any(moment > theirs.get(key, -math.inf) for key, moment in known.items()):
                return True
        return False

    async def handle(self, event: Event[AccessRevoked]) -> None:
        data = event.data
        session = str(data.session_id) if data.session_id is not None else None
        self.revoke(str(data.user_id), data.revoked_at, session_id=session)
        _log.info("access of user %s revoked (%s)", data.user_id, data.reason)

    async def handle_snapshot(self, snapshot: AccessRevocations) -> None:
        if self.merge(snapshot):
            subjects, sessions = len(self._subjects), len(self._sessions)
            _log.info("the snapshot: %d users' and %d sessions' access revoked", subjects, sessions)

    def _forget_older_than(self, cutoff: float) -> None:
        for known in (self._subjects, self._sessions):
            for key in [k for k, moment in known.items() if moment < cutoff]:
                del known[key]


def _keep_later(known: dict[str, float], key: str, moment: float) -> bool:
    """Record `moment` for `key` unless a later (or the same) one is known; True if recorded."""
    if moment <= known.get(key, -math.inf):
        return False
    known[key] = moment
    return True


class Publish(Protocol):
    """`Bus.publish`, as far as `RetainedRevocations` uses it."""

    async def __call__(
        self, topic: str, message: BaseModel, *, retain: bool, expiry: int | None
    ) -> None: ...


class RetainedRevocations(Component):
    """The identity service's part: the retained snapshot on the broker follows its revocations.

    It handles `access.revoked` (from its own relay) and the retained snapshot in place of
    the key set's `Revocations`, and republishes the snapshot when the set grew by an event or
    the retained one lacks something this process knows. Only the identity service may publish
    it.

    >>> keys = OwnKeySet(settings.auth, signing_keys)
    >>> create_app(settings, components=[bus, keys, RetainedRevocations(keys.revocations,
    ...                                                                  bus.publish)])
    """

    name = "retained-revocations"
    required = False

    def __init__(self, revocations: Revocations, publish: Publish) -> None:
        self.revocations = revocations
        self._publish = publish

    async def handle(self, event: Event[AccessRevoked]) -> None:
        await self.revocations.handle(event)
        await self._retain()

    async def handle_snapshot(self, snapshot: AccessRevocations) -> None:
        await self.revocations.handle_snapshot(snapshot)
        if self.revocations.knows_more_than(snapshot):
            await self._retain()

    async def _retain(self) -> None:
        snapshot = self.revocations.snapshot()
        expiry = math.ceil(self.revocations.remember)  # by then every entry in it is forgotten
        await self._publish(SNAPSHOT_TOPIC, snapshot, retain=True, expiry=expiry)
