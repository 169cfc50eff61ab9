import pytest

from chassis.local import BrokerAddress, Mosquitto, ServerUnreachable, free_port
from fleet import broker


def test_without_mosquitto_the_fleet_gets_amqtt_speaking_mqtt_3_1_1(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(self: Mosquitto) -> None:
        raise FileNotFoundError("mosquitto is not installed")

    monkeypatch.setattr(Mosquitto, "start", not_installed)
    port = free_port()
    fleet_broker = broker.open_broker(None, port)
    try:
        assert fleet_broker.url == f"mqtt://127.0.0.1:{port}"
        assert fleet_broker.protocol == "3.1.1"
        BrokerAddress.parse(fleet_broker.url).probe()
    finally:
        fleet_broker.stop()


def test_an_unreachable_fleet_mqtt_url_is_named() -> None:
    with pytest.raises(ServerUnreachable, match="did not answer"):
        broker.open_broker(f"mqtt://127.0.0.1:{free_port()}", None)
