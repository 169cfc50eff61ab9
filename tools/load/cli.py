"""`python -m load` (and `./fleet load`): load the running fleet, print the figures, judge them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, NoReturn
from urllib.parse import urlsplit

import typer

from load.report import summary
from load.runner import LoadRun, LocustFailed, parse_duration, run_locust
from load.target import FleetTarget, TargetError
from load.verdict import StatsUnreadable, Targets, judge

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command(help="Run the fleet's main flows under load with locust, then judge the figures.")
def load(
    users: int = typer.Option(10, "--users", min=1, help="Users: half operators, half devices."),
    duration: str = typer.Option("1m", "--duration", help="How long: 30s, 5m, 1h30m."),
    spawn_rate: float = typer.Option(2.0, "--spawn-rate", min=0.1, help="Users started a second."),
    p95_ms: float = typer.Option(500.0, "--p95-ms", min=1, help="Target for the aggregate p95."),
    max_error_rate: float = typer.Option(
        0.01, "--max-error-rate", min=0, max=1, help="Largest share of failed requests."
    ),
    out: Annotated[
        Path | None, typer.Option("--out", help="Reports folder [default: .fleet/load].")
    ] = None,
) -> None:
    try:
        seconds = parse_duration(duration)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--duration") from None
    targets = Targets(p95_ms, max_error_rate)
    run = LoadRun(users, spawn_rate, seconds, out or _root() / ".fleet" / "load")
    fleet = _fleet()
    typer.echo(
        f"{users} users ({spawn_rate:g}/s) for {duration} against users {fleet.users}, tasks "
        f"{fleet.tasks}, devices {fleet.devices}, broker {_without_password(fleet.broker)}"
    )
    try:
        interrupted = run_locust(run, fleet)
        exceptions = run.exceptions_csv.read_text() if run.exceptions_csv.exists() else ""
        verdict = judge(run.stats_csv.read_text(), targets, exceptions)
    except (LocustFailed, StatsUnreadable) as exc:
        _fail(f"the load run failed: {exc}\n(locust's log: {run.log})")
    if interrupted:
        typer.echo("interrupted: the figures cover the run until Ctrl-C")
    typer.echo(summary(verdict, targets))
    typer.echo(f"report: {run.html_report}  figures: {run.stats_csv}")
    if not verdict.passed:
        raise typer.Exit(1)


def _root() -> Path:
    # ./fleet exports FLEET_ROOT; run any other way, the current folder is the repo.
    return Path(os.environ.get("FLEET_ROOT") or ".")


def _fleet() -> FleetTarget:
    try:
        target = FleetTarget.from_env(os.environ, Path.cwd())
    except TargetError as exc:
        _fail(str(exc))
    if down := target.unreachable():
        shown = ", ".join(dict.fromkeys(_without_password(url) for url in down))
        _fail(f"nothing answers at {shown}: start the fleet (./fleet up) or set FLEET_*_URL")
    return target


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def _fail(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def main() -> None:
    app()
