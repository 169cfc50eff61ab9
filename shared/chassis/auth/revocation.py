"""Access tokens stopped before they expire: a small local set fed by users' `access.revoked`.

Verification stays local (no call to users per request): the users service announces, through
its outbox, that a user's tokens issued until some moment (deactivation, a role change) or one
session's tokens (a logout) no longer count, and every service's key set refuses them from the
moment the event arrives, milliseconds after the change commits. The bus's persistent session
(QoS 1) delivers what was announced while a service was away. A restarted process forgets what
it was told before, so its exposure is bounded by the access tokens' lifetime.

`create_app` wires it: an app with a `JwksKeySet` and a `Bus` follows revocations by itself.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

from chassis.auth.principal import Principal
from chassis.logging import tagged_logger
from chassis.mqtt import Bus
from contracts import AccessRevoked, Event, topics

_log = tagged_logger("AUTH")
TOPIC = topics.event("users", AccessRevoked.event_type)
# Longer than any access token lives: past it, the tokens a revocation was about have expired.
_REMEMBER_SECONDS = 24 * 3600.0


class Revocations:
    """Whose tokens issued until when, and which sessions' tokens, no longer count."""

    def __init__(self, remember: float = _REMEMBER_SECONDS) -> None:
        self.remember = remember
        self._subjects: dict[str, float] = {}  # subject -> tokens issued at or before: refused
        self._sessions: dict[str, float] = {}  # session id -> when it ended

    def revoke(self, subject: str, at: datetime, *, session_id: str | None = None) -> None:
        moment = at.timestamp()
        if session_id is not None:
            self._sessions[session_id] = max(moment, self._sessions.get(session_id, moment))
        else:
            self._subjects[subject] = max(moment, self._subjects.get(subject, moment))
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

    async def handle(self, event: Event[AccessRevoked]) -> None:
        data = event.data
        session = str(data.session_id) if data.session_id is not None else None
        self.revoke(str(data.user_id), data.revoked_at, session_id=session)
        _log.info("access of user %s revoked (%s)", data.user_id, data.reason)

    def _forget_older_than(self, cutoff: float) -> None:
        for known in (self._subjects, self._sessions):
            for key in [k for k, moment in known.items() if moment < cutoff]:
                del known[key]


def follow_revocations(components: Sequence[object]) -> None:
    """Subscribe the app's revocations (its key set's) to `access.revoked` on the app's bus,
    if it has both."""
    found = (getattr(c, "revocations", None) for c in components)
    revocations = next((r for r in found if isinstance(r, Revocations)), None)
    bus = next((c for c in components if isinstance(c, Bus)), None)
    if revocations is not None and bus is not None:
        bus.subscribe(TOPIC, revocations.handle, name="access-revoked")
