"""The table `up` prints once the fleet is ready."""

from __future__ import annotations

from fleet.wiring import FleetPlan


def ready_table(
    plan: FleetPlan,
    *,
    monitor_port: int,
    monitor_served: bool,
    broker: str,
    password: str,
    password_note: str,
    extras: list[tuple[str, str]],
) -> str:
    rows = [("service", "API docs", "monitor")]
    for service in plan.services:
        url = plan.url_of(service.name)
        rows.append((service.name, f"{url}/docs", f"{url}/monitor"))
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"  {r[0]:<{width[0]}}  {r[1]:<{width[1]}}  {r[2]}" for r in rows]
    monitor = f"http://{plan.host}:{monitor_port}"
    monitor_state = (
        ""
        if monitor_served
        else " (not running: build tools/fleet_monitor:fleet-monitor; each service's /monitor "
        "works)"
    )
    lines += [
        "",
        f"  fleet monitor  {monitor}{monitor_state}",
        f"  broker         {broker}",
        f"  accounts       admin, operator, technician; password {password} {password_note}",
        *(f"  {name:<14} {text}" for name, text in extras),
        "  logs           ./fleet logs <service>  (.fleet/logs/<service>.log); ./fleet status",
    ]
    return "\n".join(lines)
