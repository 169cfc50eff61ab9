"""The NiceGUI page: renders the watch's latest view every refresh, never fetching itself."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nicegui import ui

from fleet_monitor.devices import DeviceSummary
from fleet_monitor.views import RATE_KEYS, ServiceRow
from fleet_monitor.watch import FleetWatch

_RATE_LABELS = {
    "requests": "req/s",
    "mqtt_in": "mqtt in/s",
    "mqtt_out": "mqtt out/s",
    "dead_lettered": "dead-lettered/s",
    "retries": "retries/s",
}


def _columns(*fields: str) -> list[dict[str, Any]]:
    return [{"name": f, "label": f.replace("_", " "), "field": f, "align": "left"} for f in fields]


def mount_page(watch: FleetWatch) -> None:
    """Register `/` with NiceGUI (process-global): one page object per browser tab."""

    @ui.page("/")
    def fleet_page() -> None:
        ui.page_title("Fleet monitor")
        with ui.row().classes("items-center w-full"):
            ui.label("Fleet monitor").classes("text-h4")
            polled = ui.label().classes("text-caption text-grey-7")
            ui.link("Traces", "/traces").classes("text-subtitle1")
        cards = {name: _ServiceCard(name, url) for name, url in watch.settings.services.items()}

        ui.label("Fleet rates").classes("text-h6")
        fleet_rates = ui.label().classes("text-subtitle1").props("data-testid=fleet-rates")

        ui.label("Dependencies and breakers").classes("text-h6")
        dependencies = ui.table(
            columns=_columns("service", "dependency", "state", "required", "breaker", "detail"),
            rows=[],
            row_key="key",
        ).classes("w-full")

        # Shown while a service of the fleet serves a device registry (fleet_monitor.devices).
        with ui.column().classes("w-full") as devices_panel:
            ui.label("Devices").classes("text-h6")
            devices = ui.label().classes("text-subtitle1").props("data-testid=devices")
            ui.label("Open alarms and their tasks").classes("text-h6")
            alarms_note = ui.label().classes("text-body2 text-grey-8")
            alarms = ui.table(
                columns=_columns(
                    "device", "metric", "value", "threshold", "raised_at", "task", "task_status"
                ),
                rows=[],
                row_key="alarm",
            ).classes("w-full")

        with ui.row().classes("items-center"):
            ui.label("Last events on the bus").classes("text-h6")
            bus_state = ui.badge()
        events = ui.table(
            columns=_columns("time", "type", "source", "correlation_id", "topic"),
            rows=[],
            row_key="key",
            pagination=0,
        ).classes("w-full")

        def refresh() -> None:
            view = watch.view
            polled.set_text(f"polled {view.polled_at}; refresh {watch.settings.refresh_seconds:g}s")
            for row in view.services:
                cards[row.name].show(row)
            fleet_rates.set_text(_rates_text(view.rates))
            dependencies.rows = [
                {**asdict(d), "key": f"{d.service}/{d.dependency}"} for d in view.dependencies
            ]
            devices_panel.set_visibility(watch.devices.shown)
            _show_devices(watch.devices, devices, alarms_note, alarms)
            tail = watch.tail
            bus_state.set_text(f"{watch.settings.broker}: {tail.state}")
            bus_state.props(f"color={'positive' if tail.connected else 'negative'}")
            events.rows = [{**asdict(e), "key": i} for i, e in enumerate(tail.events)]

        refresh()
        ui.timer(watch.settings.refresh_seconds, refresh)


class _ServiceCard:
    """One service: health and readiness badges, its URL, its rates, why it is not ready."""

    def __init__(self, name: str, url: str) -> None:
        with ui.card().classes("w-full").props(f"data-testid=service-{name}"):
            with ui.row().classes("items-center"):
                ui.label(name).classes("text-h6")
                self.health = ui.badge("…")
                self.readiness = ui.badge("…")
                ui.label(url).classes("text-caption text-grey-7")
            self.rates = ui.label().classes("text-body2")
            self.detail = ui.label().classes("text-body2 text-negative")

    def show(self, row: ServiceRow) -> None:
        self.health.set_text(f"{row.health}")
        self.health.props(f"color={'positive' if row.health == 'up' else 'negative'}")
        self.readiness.set_text(row.readiness)
        color = {"ready": "positive", "not ready": "warning"}.get(row.readiness, "grey")
        self.readiness.props(f"color={color}")
        env = f"environment {row.environment} · " if row.environment else ""
        rates = _rates_text(row.rates) if row.rates else "no rates"
        self.rates.set_text(f"{env}{rates} · outbox backlog {row.outbox_backlog:.0f}")
        self.detail.set_text(row.detail)


def _rates_text(rates: dict[str, float]) -> str:
    return " · ".join(f"{_RATE_LABELS[k]} {rates.get(k, 0.0):.1f}" for k in RATE_KEYS)


def _show_devices(
    summary: DeviceSummary, counts: ui.label, note: ui.label, alarms: ui.table
) -> None:
    if summary.online is None:
        counts.set_text(f"online/offline: {summary.note}")
    else:
        at_least = "at least " if summary.capped else ""
        counts.set_text(f"{at_least}{summary.online} online · {summary.offline} offline")
    if summary.alarms is None:
        note.set_text(summary.alarms_note or summary.note or "alarms unknown")
        alarms.rows = []
    else:
        note.set_text("" if summary.alarms else "no open alarms")
        alarms.rows = [asdict(a) for a in summary.alarms]
