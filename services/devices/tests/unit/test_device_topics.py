from devices.adapters.mqtt.device_topics import DeviceTopics


def test_replicas_in_a_group_split_the_telemetry() -> None:
    topics = DeviceTopics(share_group="devices")
    assert topics.telemetry_filter() == "$share/devices/fleet/devices/+/telemetry"
    assert topics.ack_filter() == "$share/devices/fleet/devices/+/commands/+/ack"


def test_without_a_group_a_lone_replica_subscribes_plainly() -> None:
    topics = DeviceTopics(share_group="")
    assert topics.telemetry_filter() == "fleet/devices/+/telemetry"
    assert topics.ack_filter() == "fleet/devices/+/commands/+/ack"


def test_the_device_of_a_topic_is_its_id_or_none_when_the_level_is_no_id() -> None:
    topics = DeviceTopics(share_group="devices")
    assert topics.device_of("fleet/devices/42/telemetry") == 42
    for level in ("abc", "²", "-1", "1" * 20):  # "²" passes str.isdigit() but not int()
        assert topics.device_of(f"fleet/devices/{level}/telemetry") is None
