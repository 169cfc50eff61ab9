"""An app with a key set and a bus follows users' access revocations by itself.

The wiring lives here, with `create_app`, not in `chassis.auth`: the revocation set is plain
data any token check uses, and only an app that has a `Bus` subscribes it. So the auth package
imports no MQTT, and what imports auth (token checks, test tokens) does not depend on the bus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from chassis.auth.revocation import SNAPSHOT_TOPIC, TOPIC, RetainedRevocations, Revocations
from chassis.mqtt import Bus


def follow_revocations(components: Sequence[object]) -> None:
    """Subscribe the app's revocations (its key set's) to `access.revoked` and users' retained
    snapshot on the app's bus, if it has both; through `RetainedRevocations` if it has one."""
    found = (getattr(c, "revocations", None) for c in components if not _publishes(c))
    revocations = next((r for r in found if isinstance(r, Revocations)), None)
    bus = next((c for c in components if isinstance(c, Bus)), None)
    if revocations is None or bus is None:
        return
    follower: Revocations | RetainedRevocations = revocations
    for component in filter(_publishes, components):
        if component.revocations is not revocations:
            raise ValueError("RetainedRevocations must publish the key set's revocations")
        follower = component
    bus.subscribe(TOPIC, follower.handle, name="access-revoked")
    bus.subscribe(SNAPSHOT_TOPIC, follower.handle_snapshot, name="access-revocations")


def _publishes(component: object) -> TypeGuard[RetainedRevocations]:
    return isinstance(component, RetainedRevocations)
