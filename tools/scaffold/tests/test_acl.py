import dataclasses

from fleet.descriptor import Descriptor
from scaffold import acl
from scaffold.region import BEGIN, END
from scaffold.tests.fleets import STOCKROOM, with_stockroom

HEADER = "# Topic ACLs.\n\n"
FOOTER = "\n# Compose only.\nuser healthcheck\n"


def _rules(fleet: list[Descriptor]) -> dict[str, list[str]]:
    """Account (or `pattern`) -> its lines, from the rendered dev and compose ACLs (equal)."""
    empty = f"{HEADER}# {BEGIN}\n# {END}\n{FOOTER}"
    texts = {a.path: a.render(empty) for a in acl.artifacts(fleet)}
    assert set(texts) == {"deploy/overlays/dev/platform/acl", "docker/mosquitto/acl"}
    [text] = set(texts.values())
    assert text.startswith(HEADER)
    assert text.endswith(FOOTER)
    found: dict[str, list[str]] = {}
    account = "pattern"
    for line in text.splitlines():
        if line.startswith("user "):
            account = line.split()[1]
        elif line.startswith(("topic ", "pattern ")):
            found.setdefault(account, []).append(line)
    return found


def _identity() -> str:
    return next(d.name for d in with_stockroom() if d.identity)


def test_a_new_mqtt_service_writes_its_events_and_dead_letters_only() -> None:
    rules = _rules(with_stockroom())[STOCKROOM.name]
    writes = [line for line in rules if line.startswith("topic write")]
    assert writes == ["topic write fleet/events/stockroom/#", "topic write fleet/dlq/stockroom"]


def test_a_service_reads_the_events_it_consumes_from_their_publisher_and_the_revocations() -> None:
    rules = _rules(with_stockroom())[STOCKROOM.name]
    reads = [line for line in rules if line.startswith("topic read")]
    publisher = next(
        d.name for d in with_stockroom() if d.mqtt and "task.completed" in d.mqtt.publishes
    )
    assert reads == [
        f"topic read fleet/events/{publisher}/task.completed",
        f"topic read fleet/events/{_identity()}/access.revoked",
        f"topic read fleet/state/{_identity()}/#",
    ]


def test_no_account_reads_every_event_or_state() -> None:
    lines = [line for rules in _rules(with_stockroom()).values() for line in rules]
    assert not [line for line in lines if line.endswith(("fleet/events/#", "fleet/state/#"))]


def test_a_service_without_mqtt_gets_no_account() -> None:
    fleet = [dataclasses.replace(d, mqtt=None) if d == STOCKROOM else d for d in with_stockroom()]
    assert STOCKROOM.name not in _rules(fleet)
    assert list(_rules(fleet)) == ["pattern", *(d.name for d in fleet if d.mqtt)]


def test_clients_patterns_come_from_the_descriptors() -> None:
    fleet = with_stockroom()
    patterns = [f"pattern {p}" for d in fleet if d.mqtt for p in d.mqtt.patterns]
    assert patterns
    assert _rules(fleet)["pattern"] == patterns
