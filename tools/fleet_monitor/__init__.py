"""The fleet monitor: one live page (port 8000) over every service, the devices and the bus.

`python -m fleet_monitor serve` (or the `fleet-monitor` pex) polls each service's
/health/ready and /monitor/snapshot, the devices API, and tails `fleet/events/#`; it receives
the services' traces over OTLP/HTTP (`POST /v1/traces`) and shows them at /traces.
"""
