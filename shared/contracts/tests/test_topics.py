"""Topic names: one builder per kind, and ids that cannot escape their topic level."""

import pytest

from contracts import topics


def test_device_topics_follow_the_design() -> None:
    assert topics.telemetry(42) == "fleet/devices/42/telemetry"
    assert topics.status(42) == "fleet/devices/42/status"
    assert topics.commands(42) == "fleet/devices/42/commands"
    assert topics.command_ack(42, 7) == "fleet/devices/42/commands/7/ack"


def test_event_and_dead_letter_topics_follow_the_design() -> None:
    assert topics.event("tasks", "task.completed") == "fleet/events/tasks/task.completed"
    assert topics.event("tasks", "#") == "fleet/events/tasks/#"
    assert topics.dead_letters("devices") == "fleet/dlq/devices"


def test_retained_state_has_a_topic_of_its_own() -> None:
    assert topics.ACCESS_REVOCATIONS == "fleet/state/users/access-revocations"


def test_wildcards_and_shared_subscriptions_build_filters() -> None:
    assert topics.shared("devices", topics.telemetry("+")) == (
        "$share/devices/fleet/devices/+/telemetry"
    )


@pytest.mark.parametrize("bad", ["a/b", "#", "x+", ""])
def test_an_id_that_would_change_the_topic_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="topic level"):
        topics.telemetry(bad)
