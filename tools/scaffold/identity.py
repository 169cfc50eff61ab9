"""The identity service, as the chassis' defaults name it: the topic its revocations travel on
(contracts.topics.IDENTITY) and where a local fleet reaches it (chassis.auth.settings).

The chassis verifies tokens for every service, so it must know who issues them; writing the name
here, from the descriptor that says `identity = true`, keeps it out of hand-written platform code.
A fleet without an identity service keeps the regions as they are: nothing would read them.
"""

from __future__ import annotations

from collections.abc import Sequence

from fleet.descriptor import Descriptor, identity_of
from scaffold.artifacts import Artifact
from scaffold.region import region

TOPICS = "shared/contracts/topics.py"
AUTH_SETTINGS = "shared/chassis/auth/settings.py"


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    identity = identity_of({d.name: d for d in fleet})
    if identity is None:
        return [Artifact(TOPICS, _unchanged), Artifact(AUTH_SETTINGS, _unchanged)]
    return [
        Artifact(TOPICS, region(TOPICS, "# ", f'IDENTITY = "{identity.name}"\n')),
        Artifact(
            AUTH_SETTINGS,
            region(AUTH_SETTINGS, "# ", f'_IDENTITY_URL = "http://127.0.0.1:{identity.port}"\n'),
        ),
    ]


def _unchanged(current: str | None) -> str:
    return current or ""
