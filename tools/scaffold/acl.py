"""The broker's topic ACLs: an account per MQTT service, allowed exactly its own topics.

A service writes its events (`fleet/events/<name>/#`), its dead letters and what its descriptor
lists under `mqtt.write`; it reads the events it consumes, each from the service that publishes
it, what it lists under `mqtt.read`, and the identity service's revocations, which the chassis
follows in every service (chassis.auth.revocation: `access.revoked` and the retained snapshot
under `fleet/state/<identity>/`). Devices' own clients get the `pattern` rules of
`mqtt.patterns`. The dev platform's broker and compose's run the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fleet.descriptor import Descriptor, identity_of, publisher_of
from scaffold.artifacts import Artifact
from scaffold.region import region

FILES = ("deploy/overlays/dev/platform/acl", "docker/mosquitto/acl")
# The identity service's event every service follows (contracts.users.AccessRevoked).
REVOKED = "access.revoked"


def rules(fleet: Sequence[Descriptor]) -> str:
    """The generated part of an ACL file: clients' patterns, then each service's account."""
    by_name = {d.name: d for d in fleet}
    identity = identity_of(by_name)
    revocations = (
        [f"fleet/events/{identity.name}/{REVOKED}", f"fleet/state/{identity.name}/#"]
        if identity is not None
        else []
    )
    blocks = [_patterns(d.name, d.mqtt.patterns) for d in fleet if d.mqtt and d.mqtt.patterns]
    for d in fleet:
        if d.mqtt is None:
            continue
        writes = [f"fleet/events/{d.name}/#", f"fleet/dlq/{d.name}", *d.mqtt.write]
        consumed = [f"fleet/events/{_publisher(by_name, t)}/{t}" for t in d.mqtt.consumes]
        reads = dict.fromkeys([*consumed, *revocations, *d.mqtt.read])
        lines = [f"user {d.name}", *(f"topic write {t}" for t in writes)]
        lines += [f"topic read {t}" for t in reads]
        blocks.append("".join(f"{line}\n" for line in lines))
    return "\n".join(blocks)


def _publisher(fleet: Mapping[str, Descriptor], event_type: str) -> str:
    publisher = publisher_of(fleet, event_type)
    if publisher is None:  # descriptors() refuses such a fleet
        raise ValueError(f"{event_type} is consumed but no service publishes it")
    return publisher.name


def _patterns(name: str, patterns: Sequence[str]) -> str:
    comment = f"# The clients of {name}, each with an account named after it (%u).\n"
    return comment + "".join(f"pattern {rule}\n" for rule in patterns)


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    body = rules(fleet)
    return [Artifact(path, region(path, "# ", body)) for path in FILES]
