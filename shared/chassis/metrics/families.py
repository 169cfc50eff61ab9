"""Metric families, built on first use (never at import) and shared by the whole process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client import generate_latest as _generate_latest

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# Breaker states as numbers, so a dashboard can graph them.
BREAKER_STATES = {"closed": 0, "half-open": 1, "open": 2}


@dataclass(frozen=True)
class FleetMetrics:
    requests: Counter
    request_duration: Histogram
    in_flight: Gauge
    dependency_up: Gauge
    breaker_state: Gauge
    breaker_transitions: Counter
    client_requests: Counter
    retries: Counter
    mqtt_received: Counter
    mqtt_published: Counter
    mqtt_dead_lettered: Counter
    outbox_backlog: Gauge
    outbox_oldest_age: Gauge
    broker_dropped: Gauge
    broker_stored: Gauge


@cache
def fleet_metrics() -> FleetMetrics:
    """The process's metric families (label values are route templates, never raw paths)."""
    return FleetMetrics(
        requests=Counter(
            "fleet_http_requests", "HTTP requests served.", ["route", "method", "status"]
        ),
        request_duration=Histogram(
            "fleet_http_request_duration_seconds",
            "Time to serve an HTTP request.",
            ["route", "method"],
            buckets=_LATENCY_BUCKETS,
        ),
        in_flight=Gauge("fleet_http_requests_in_flight", "HTTP requests being served now."),
        dependency_up=Gauge(
            "fleet_dependency_up", "1 when a dependency is healthy, else 0.", ["dependency"]
        ),
        breaker_state=Gauge(
            "fleet_circuit_breaker_state",
            "Circuit breaker per downstream: 0 closed, 1 half-open, 2 open.",
            ["downstream"],
        ),
        breaker_transitions=Counter(
            "fleet_circuit_breaker_transitions",
            "Circuit breaker state changes.",
            ["downstream", "to"],
        ),
        client_requests=Counter(
            "fleet_http_client_requests",
            "Calls to other services, by outcome.",
            ["downstream", "method", "outcome"],
        ),
        retries=Counter(
            "fleet_http_client_retries", "Retried calls to other services.", ["downstream"]
        ),
        mqtt_received=Counter(
            "fleet_mqtt_messages_received", "MQTT messages handled.", ["subscription", "outcome"]
        ),
        mqtt_published=Counter("fleet_mqtt_messages_published", "MQTT messages published.", []),
        mqtt_dead_lettered=Counter(
            "fleet_mqtt_messages_dead_lettered",
            "MQTT messages sent to the dead-letter topic.",
            ["reason"],
        ),
        outbox_backlog=Gauge("fleet_outbox_backlog", "Events written but not yet published."),
        outbox_oldest_age=Gauge(
            "fleet_outbox_oldest_age_seconds",
            "Age of the oldest event written but not yet published; 0 when none waits.",
        ),
        # The broker's own counts ($SYS), exported by the service that watches them
        # (chassis.mqtt.export_broker_stats); labelled, so other services export no sample.
        broker_dropped=Gauge(
            "fleet_mqtt_broker_dropped_messages",
            "Messages the broker acknowledged and then dropped (queue limits), since it started.",
            ["broker"],
        ),
        broker_stored=Gauge(
            "fleet_mqtt_broker_stored_messages",
            "Messages the broker holds now: queued for clients, in flight and retained.",
            ["broker"],
        ),
    )


def render_latest() -> tuple[bytes, str]:
    """The Prometheus text exposition of every metric, and its content type."""
    return _generate_latest(REGISTRY), CONTENT_TYPE_LATEST
