"""A synchronous publish-then-receive through a broker, to prove it delivers."""

import queue
import threading

from paho.mqtt.client import Client, MQTTMessage
from paho.mqtt.enums import CallbackAPIVersion

from chassis.local import BrokerAddress


def roundtrip(address: BrokerAddress, topic: str, payload: bytes, client_id: str) -> bytes:
    """Subscribe to `topic`, publish `payload` to it at QoS 1, and return what arrived."""
    received: queue.Queue[bytes] = queue.Queue()
    subscribed = threading.Event()
    client = Client(CallbackAPIVersion.VERSION2, client_id=client_id)
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.on_subscribe = lambda *_: subscribed.set()

    def on_message(_client: Client, _userdata: object, message: MQTTMessage) -> None:
        received.put(bytes(message.payload))

    client.on_message = on_message
    client.connect(address.host, address.port)
    client.loop_start()
    try:
        if not subscribed.wait(10):
            raise TimeoutError(f"no SUBACK from {address.url}")
        client.publish(topic, payload, qos=1)
        return received.get(timeout=10)
    finally:
        client.loop_stop()
        client.disconnect()
