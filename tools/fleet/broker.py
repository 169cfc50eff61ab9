"""The fleet's MQTT broker: the one FLEET_MQTT_URL names, or a private one of the runner's own.

The private one is `chassis.local`'s broker (Mosquitto from PATH, else amqtt in this process),
on FLEET_MQTT_PORT or a free port: never the machine's shared broker on 1883.
"""

from __future__ import annotations

from dataclasses import dataclass

from chassis.local import BrokerAddress, EmbeddedBroker, Mosquitto, PrivateBroker


@dataclass
class FleetBroker:
    url: str
    # MQTT 5 unless the broker is amqtt, which speaks 3.1.1 only.
    protocol: str
    description: str
    _private: PrivateBroker | None = None

    def stop(self) -> None:
        if self._private is not None:
            self._private.stop()
            self._private = None


def open_broker(mqtt_url: str | None, port: int | None) -> FleetBroker:
    """The broker to use, started if it is ours. Blocking: run it in a thread from async code."""
    if mqtt_url is not None:
        BrokerAddress.parse(mqtt_url).probe()
        return FleetBroker(mqtt_url, "5", f"{mqtt_url} (FLEET_MQTT_URL)")
    mosquitto = Mosquitto(port)
    try:
        mosquitto.start()
    except FileNotFoundError:  # not installed: amqtt in this process instead
        embedded = EmbeddedBroker(port)
        embedded.start()
        url = embedded.address.url
        return FleetBroker(url, "3.1.1", f"{url} (amqtt in the runner, private)", embedded)
    url = mosquitto.address.url
    return FleetBroker(url, "5", f"{url} (mosquitto, private)", mosquitto)
