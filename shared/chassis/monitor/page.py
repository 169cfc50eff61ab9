"""The NiceGUI page. NiceGUI is process-global, so only the first app of a process mounts it,
and it is built when first opened (chassis.monitor.lazy): a process nobody watches never loads it.

Both the page and the snapshot are behind a login (chassis.monitor.access): the page shows the
service's last log lines and dependency URLs, which are not for everyone who can reach it.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request

from chassis.auth import require_roles
from chassis.lifecycle import Components
from chassis.logging import tagged_logger
from chassis.monitor.access import MONITOR_ROLES, LoginRefused, log_in
from chassis.monitor.lazy import LazyPage, stop_with
from chassis.monitor.snapshot import MonitorSnapshot, Rates, take_snapshot

_log = tagged_logger("APP")
_mounted: list[FastAPI] = []

_DEPENDENCY_COLUMNS = [
    {"name": "name", "label": "Dependency", "field": "name", "align": "left"},
    {"name": "status", "label": "State", "field": "status", "align": "left"},
    {"name": "required", "label": "Required", "field": "required", "align": "left"},
    {"name": "detail", "label": "Detail", "field": "detail", "align": "left"},
]


def mount_monitor(app: FastAPI, refresh_seconds: float = 1.0) -> bool:
    """Serve /monitor (the page) and /monitor/snapshot (its data as JSON) from `app`.

    Returns False when another app of this process already has the page (tests build many
    apps); the JSON snapshot is served either way, to operators, admins and services.
    """
    json_rates = Rates()

    @app.get(
        "/monitor/snapshot",
        include_in_schema=False,
        response_model=MonitorSnapshot,
        dependencies=[Depends(require_roles(*MONITOR_ROLES))],
    )
    async def monitor_snapshot(request: Request) -> MonitorSnapshot:
        return _snapshot(request.app, json_rates)

    if _mounted:
        _log.debug("monitor page already mounted in this process; %s gets JSON only", app.title)
        return False
    _mounted.append(app)
    page = LazyPage(lambda host: _build_page(host, app, refresh_seconds))
    app.mount("/monitor", page)
    stop_with(app, page)
    return True


def _snapshot(app: FastAPI, rates: Rates) -> MonitorSnapshot:
    settings = app.state.settings
    components: Components = app.state.components
    return take_snapshot(settings.name, settings.environment, components, rates)


def _build_page(host: FastAPI, app: FastAPI, refresh_seconds: float) -> None:
    """The page of `app`'s service, put on `host` (LazyPage's app, mounted at /monitor)."""
    from nicegui import ui  # heavy: imported when the page is first opened

    @ui.page("/")
    def monitor_page() -> None:
        # The login lasts as long as this page view: nothing is stored in the browser.
        ui.page_title(f"{app.title} monitor")
        view = ui.column().classes("w-full")
        with view, ui.card().classes("mx-auto mt-16"):
            ui.label(f"{app.title} monitor").classes("text-h5")
            ui.label("Log in as an operator or admin.")
            username = ui.input("Username")
            password = ui.input("Password", password=True)
            refusal = ui.label().classes("text-negative")

            async def submit() -> None:
                try:
                    principal = await log_in(app, username.value, password.value)
                except LoginRefused as exc:
                    refusal.set_text(str(exc))
                    return
                _log.info("monitor opened by %s (%s)", principal.username, principal.role)
                # In `view`: a handler runs in its button's slot, which goes with the login card.
                view.clear()
                with view:
                    _dashboard(app, refresh_seconds)

            password.on("keydown.enter", submit)
            ui.button("Log in", on_click=submit)

    ui.run_with(
        host,
        title=f"{app.title} monitor",
        show_welcome_message=False,
        reconnect_timeout=10.0,
        # The page refreshes by its own timer; NiceGUI's 10 Hz binding loop would cost the
        # service CPU (a few % of its request rate) even with nobody watching.
        binding_refresh_interval=None,
    )


def _dashboard(app: FastAPI, refresh_seconds: float) -> None:
    from nicegui import ui

    rates = Rates()
    with ui.row().classes("items-center"):
        ui.label(app.title).classes("text-h5")
        status = ui.badge("…")
    table = ui.table(columns=_DEPENDENCY_COLUMNS, rows=[], row_key="name").classes("w-full")
    with ui.row():
        rate_labels = {
            key: ui.label().classes("text-subtitle1")
            for key in ("requests", "mqtt_in", "mqtt_out", "dead_lettered", "retries")
        }
        backlog = ui.label().classes("text-subtitle1")
    ui.label("Last log lines").classes("text-h6")
    lines = ui.label().style("white-space: pre; font-family: monospace; font-size: 12px")

    def refresh() -> None:
        snap = _snapshot(app, rates)
        ready = snap.readiness.status == "ready"
        status.set_text(snap.readiness.status.replace("_", " "))
        status.props(f"color={'positive' if ready else 'negative'}")
        table.rows = [
            {
                "name": name,
                **dep.model_dump(exclude={"info"}),
                "detail": _detail(dep.detail, dep.info),
            }
            for name, dep in snap.readiness.dependencies.items()
        ]
        table.update()
        for key, label in rate_labels.items():
            label.set_text(f"{key.replace('_', ' ')}: {snap.rates[key]:.1f}/s")
        backlog.set_text(f"outbox backlog: {snap.outbox_backlog:.0f}")
        lines.set_text("\n".join(snap.log_lines))

    refresh()
    ui.timer(refresh_seconds, refresh)


def _detail(detail: str | None, info: dict[str, object]) -> str:
    extras = ", ".join(f"{k}={v}" for k, v in info.items())
    return "; ".join(part for part in (detail, extras) if part)
