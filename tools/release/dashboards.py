"""A Grafana dashboard per service, generated from the chassis's metric families.

Every field of `chassis.metrics.FleetMetrics` has its panels in `PANELS`; a family without any
stops the generation naming it, so a metric cannot ship without its graph. The services are the
deployment's (deploy/helm/values/*.yaml), so a new service gets its dashboard at the next
`release observability`. Queries select the service's job as the chart's ServiceMonitor scrapes
it (job = the service's name) and a `namespace` variable (the environments).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from prometheus_client.metrics import MetricWrapperBase

from chassis.metrics import FleetMetrics, fleet_metrics
from chassis.metrics.families import BREAKER_STATES

_DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
_WIDTH, _HEIGHT = 12, 8  # two panels a line on Grafana's 24-column grid


class MissingPanel(Exception):
    """A metric family has no panel: add one to PANELS."""


@dataclass(frozen=True)
class Family:
    """One metric family as Prometheus stores it, read through one service's job."""

    name: str
    kind: str
    help: str
    selector: str

    def series(self, suffix: str = "", matching: str = "") -> str:
        """The family's series (`_total`, `_bucket`...) for this service, as PromQL; `matching`
        adds label matchers."""
        matchers = ", ".join(m for m in (self.selector, matching) if m)
        return f"{self.name}{suffix}{{{matchers}}}"


@dataclass(frozen=True)
class Target:
    expr: str
    legend: str


@dataclass(frozen=True)
class Panel:
    section: str
    title: str
    targets: Callable[[Family], list[Target]]
    unit: str = "short"
    # A state timeline shows numbered states by name (breaker state, dependency up).
    states: dict[int, tuple[str, str]] | None = None


def _rate(by: str, legend: str) -> Callable[[Family], list[Target]]:
    return lambda f: [
        Target(f"sum by ({by}) (rate({f.series('_total')}[$__rate_interval]))", legend)
    ]


def _increase(by: str, legend: str) -> Callable[[Family], list[Target]]:
    return lambda f: [
        Target(f"sum by ({by}) (increase({f.series('_total')}[$__rate_interval]))", legend)
    ]


def _errors(f: Family) -> list[Target]:
    failed = f.series("_total", 'status=~"5.."')
    return [
        Target(
            f"sum by (route) (rate({failed}[$__rate_interval]))"
            f" / sum by (route) (rate({f.series('_total')}[$__rate_interval]))",
            "{{route}}",
        )
    ]


def _latency(f: Family) -> list[Target]:
    buckets = f"rate({f.series('_bucket')}[$__rate_interval])"
    return [
        Target(f"histogram_quantile({q}, sum by (route, le) ({buckets}))", f"p{p} {{{{route}}}}")
        for q, p in ((0.99, 99), (0.5, 50))
    ]


def _gauge(aggregate: str, by: str, legend: str) -> Callable[[Family], list[Target]]:
    grouping = f" by ({by})" if by else ""
    return lambda f: [Target(f"{aggregate}{grouping} ({f.series()})", legend)]


_BREAKER_COLOURS = {"closed": "green", "half-open": "yellow", "open": "red"}

# Field of FleetMetrics -> its panels, in the order the dashboard shows them.
PANELS: dict[str, list[Panel]] = {
    "requests": [
        Panel("HTTP", "Requests by route", _rate("route, method", "{{method}} {{route}}"), "reqps"),
        Panel("HTTP", "Errors (5xx) by route", _errors, "percentunit"),
    ],
    "request_duration": [Panel("HTTP", "Latency by route", _latency, "s")],
    "in_flight": [Panel("HTTP", "Requests in flight", _gauge("sum", "", "in flight"))],
    "client_requests": [
        Panel(
            "Calls to other services",
            "Calls by outcome",
            _rate("downstream, outcome", "{{downstream}} {{outcome}}"),
            "reqps",
        )
    ],
    "retries": [
        Panel("Calls to other services", "Retries", _rate("downstream", "{{downstream}}"), "reqps")
    ],
    "breaker_state": [
        Panel(
            "Calls to other services",
            "Circuit breakers",
            _gauge("max", "downstream", "{{downstream}}"),
            states={n: (s, _BREAKER_COLOURS[s]) for s, n in BREAKER_STATES.items()},
        )
    ],
    "breaker_transitions": [
        Panel(
            "Calls to other services",
            "Breaker transitions",
            _increase("downstream, to", "{{downstream}} -> {{to}}"),
        )
    ],
    "dependency_up": [
        Panel(
            "Readiness",
            "Dependencies",
            _gauge("min", "dependency", "{{dependency}}"),
            states={0: ("down", "red"), 1: ("up", "green")},
        )
    ],
    "mqtt_received": [
        Panel("MQTT", "Messages in", _rate("subscription, outcome", "{{subscription}} {{outcome}}"))
    ],
    "mqtt_published": [Panel("MQTT", "Messages out", _rate("namespace", "published"))],
    "mqtt_dead_lettered": [
        Panel("MQTT", "Dead letters", _increase("reason", "{{reason}}")),
    ],
    "outbox_backlog": [
        Panel("Outbox", "Events waiting to be published", _gauge("max", "namespace", "backlog"))
    ],
    "outbox_oldest_age": [
        Panel(
            "Outbox",
            "Age of the oldest waiting event",
            _gauge("max", "namespace", "oldest"),
            "s",
        )
    ],
    "broker_dropped": [
        Panel("Broker", "Messages the broker dropped", _gauge("max", "broker", "{{broker}}"))
    ],
    "broker_stored": [
        Panel("Broker", "Messages the broker holds", _gauge("max", "broker", "{{broker}}"))
    ],
}


def families(selector: str) -> dict[str, Family]:
    """Each FleetMetrics field's family, as `selector` reads it."""
    metrics = fleet_metrics()
    found = {}
    for field in fields(FleetMetrics):
        wrapper: MetricWrapperBase = getattr(metrics, field.name)
        [described] = wrapper.describe()
        found[field.name] = Family(
            described.name, described.type, described.documentation, selector
        )
    return found


def dashboard(service: str) -> dict[str, Any]:
    """The Grafana dashboard (JSON model) of `service`. Raises MissingPanel."""
    selector = f'job="{service}", namespace=~"$namespace"'
    metrics = families(selector)
    missing = sorted(set(metrics) - set(PANELS))
    if missing:
        raise MissingPanel(
            f"metric families without a panel: {', '.join(missing)}"
            " (add them to PANELS in tools/release/dashboards.py)"
        )
    sections: dict[str, list[dict[str, Any]]] = {}
    for name, panels in PANELS.items():
        for panel in panels:
            sections.setdefault(panel.section, []).append(_panel(panel, metrics[name]))
    return {
        "title": f"Fleet / {service}",
        "uid": f"fleet-{service}",
        "description": f"{service}: generated by `release observability` from the chassis's"
        " metric families. Do not edit: change tools/release/dashboards.py.",
        "tags": ["fleet", service],
        "editable": False,
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-3h", "to": "now"},
        "refresh": "30s",
        "annotations": {"list": []},
        "templating": {"list": _variables(service)},
        "panels": _laid_out(sections),
    }


def dashboard_json(service: str) -> str:
    return json.dumps(dashboard(service), indent=2) + "\n"


def _variables(service: str) -> list[dict[str, Any]]:
    namespaces = f'label_values(fleet_http_requests_in_flight{{job="{service}"}}, namespace)'
    return [
        {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus"},
        {
            "name": "namespace",
            "label": "Namespace",
            "type": "query",
            "datasource": _DATASOURCE,
            "definition": namespaces,
            "query": {"query": namespaces, "refId": "namespaces"},
            "refresh": 2,
            "includeAll": True,
            "multi": True,
            # Matches a Prometheus without a namespace label too (the local fleet's).
            "allValue": ".*",
            "current": {"text": "All", "value": "$__all"},
        },
    ]


def _panel(panel: Panel, family: Family) -> dict[str, Any]:
    targets = panel.targets(family)
    defaults: dict[str, Any] = {"unit": panel.unit}
    if panel.states:
        defaults["mappings"] = [
            {
                "type": "value",
                "options": {
                    str(n): {"text": text, "color": colour, "index": i}
                    for i, (n, (text, colour)) in enumerate(sorted(panel.states.items()))
                },
            }
        ]
        defaults["color"] = {"mode": "thresholds"}
    return {
        "type": "state-timeline" if panel.states else "timeseries",
        "title": panel.title,
        # The family's help text, and its name: where a reader finds it in /metrics.
        "description": f"{family.help} ({family.name})",
        "datasource": _DATASOURCE,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}},
        "targets": [
            {
                "refId": chr(ord("A") + i),
                "datasource": _DATASOURCE,
                "expr": t.expr,
                "legendFormat": t.legend,
            }
            for i, t in enumerate(targets)
        ],
    }


def _laid_out(sections: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A row per section, its panels two a line beneath; ids and positions in order."""
    laid: list[dict[str, Any]] = []
    y = 0
    for title, panels in sections.items():
        row = {"type": "row", "title": title, "collapsed": False, "panels": []}
        laid.append({**row, "gridPos": _at(0, y, 24, 1)})
        y += 1
        for i, panel in enumerate(panels):
            laid.append({**panel, "gridPos": _at(_WIDTH * (i % 2), y + _HEIGHT * (i // 2))})
        y += _HEIGHT * ((len(panels) + 1) // 2)
    return [{"id": i, **panel} for i, panel in enumerate(laid, start=1)]


def _at(x: int, y: int, w: int = _WIDTH, h: int = _HEIGHT) -> dict[str, int]:
    return {"x": x, "y": y, "w": w, "h": h}
