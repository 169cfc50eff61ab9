"""Devices' MQTT traffic: the handlers of what comes in, the reading batcher, command dispatch."""
