"""The `fleet` command: up, down, status, logs, seed, load."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import httpx
import typer

from fleet import control, demo
from fleet import seed as seeding
from fleet.catalog import discover, services_of
from fleet.config import ConfigError, FleetConfig, parse_replicas
from fleet.descriptor import DescriptorError
from fleet.state import FleetState
from fleet.terminal import Terminal
from fleet.tree import DEBUG_PORT, Debugger

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Run the whole fleet on this machine: ./fleet up, then status, logs, down.",
)


def _root() -> Path:
    # ./fleet exports FLEET_ROOT; run any other way, the current folder is the repo.
    return Path(os.environ.get("FLEET_ROOT", ".")).resolve()


def _config() -> FleetConfig:
    try:
        return FleetConfig.from_env(_root())
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def _services(config: FleetConfig) -> list[str]:
    try:
        names = discover(config.root)  # every command reads them (services_of): refuse bad ones
    except DescriptorError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    if config.only:
        unknown = sorted(set(config.only) - set(names))
        if unknown:
            typer.secho(
                f"FLEET_SERVICES: no service {', '.join(unknown)}", fg=typer.colors.RED, err=True
            )
            raise typer.Exit(2)
        names = [n for n in names if n in config.only]
    if not names:
        typer.secho(f"no services in {config.root}/services", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    return names


@app.command()
def up(
    replicas: str | None = typer.Option(
        None,
        "--replicas",
        help="Processes per service, e.g. devices=2,tasks=2 (default FLEET_REPLICAS; needs "
        "FLEET_DATABASE_URL): they share the service's port, as pods share a Service.",
    ),
    reload: bool = typer.Option(
        False,
        "--reload",
        help="Run the services from the working tree and restart one when a file it runs is "
        "saved (a change under shared/: every service that imports it); the rest keep serving.",
    ),
    debug: str = typer.Option(
        "",
        "--debug",
        metavar="SERVICE[,SERVICE]",
        help="Run SERVICE from the working tree under debugpy on 127.0.0.1:--debug-port "
        "(printed; more services or replicas: the next ports). Attach: docs/running.md.",
    ),
    debug_port: int = typer.Option(
        DEBUG_PORT, "--debug-port", min=1, max=65535, help="The first debugpy port."
    ),
    debug_wait: bool = typer.Option(
        False,
        "--debug-wait",
        help="The debugged services wait for the debugger to attach before they start (the "
        "fleet does not wait for them).",
    ),
) -> None:
    """Start the broker and every service (migrated, with demo accounts and devices); stop
    everything on Ctrl-C or SIGTERM."""
    from fleet import runner  # brokers and databases: only `up` pays for importing them

    config = _config()
    names = _services(config)
    debugged = tuple(dict.fromkeys(n.strip() for n in debug.split(",") if n.strip()))
    unknown = sorted(set(debugged) - set(names))
    if unknown:
        typer.secho(f"--debug: no service {', '.join(unknown)} in this fleet", err=True)
        raise typer.Exit(2)
    debugger = Debugger(debugged, debug_port, debug_wait) if debugged else None
    try:
        if replicas is not None:
            config = dataclasses.replace(config, replicas=parse_replicas("--replicas", replicas))
        config.check_replicas(names)
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    labels = [label for n in names for label in runner.process_names(n, config.replicas_of(n))]
    terminal = Terminal([*labels, "monitor", "simulator"])
    code = asyncio.run(runner.up(config, names, terminal, reloading=reload, debugger=debugger))
    raise typer.Exit(code)


@app.command()
def clients(
    check: bool = typer.Option(
        False, "--check", help="Change nothing; fail when a client is out of date."
    ),
) -> None:
    """Regenerate the API clients in e2e/clients/ from each service's OpenAPI document."""
    from fleet.clients import CLIENTS_DIR, GenerationFailed, differences, generate

    config = _config()
    clients_dir = config.root / CLIENTS_DIR
    stale: list[str] = []
    try:
        for service in services_of(config, _services(config)):
            if check:
                with tempfile.TemporaryDirectory() as fresh:
                    made = generate(service, Path(fresh))
                    stale += differences(clients_dir / made.name, made)
            else:
                made = generate(service, clients_dir)
                typer.echo(f"{service.name}: {made.relative_to(config.root)}")
    except GenerationFailed as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    if stale:
        typer.secho(
            "out of date (./fleet clients regenerates them):\n  " + "\n  ".join(stale),
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)


@app.command()
def generate(
    check: bool = typer.Option(
        False, "--check", help="Change nothing; fail naming each file that is out of date."
    ),
) -> None:
    """Write every file derived from the services' descriptors (services/*/service.toml):
    compose, the broker's ACLs, database creation, values files, overlays, renders, dashboards,
    the Secrets' components (kubectl builds the overlays for them)."""
    from release.secrets import SecretsError
    from scaffold import generate as derived
    from scaffold.overlays import EnvironmentFileError
    from scaffold.region import RegionMissing

    root = _root()
    try:
        paths = derived.stale(root) if check else derived.write(root)
    except (DescriptorError, EnvironmentFileError, RegionMissing, SecretsError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    if check and paths:
        typer.secho(
            "out of date (./fleet generate writes them):\n  " + "\n  ".join(paths),
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    for path in paths:
        typer.echo(f"generated {path}")


@app.command()
def new(
    name: str = typer.Argument(..., help="Its name: 2-30 lowercase letters and digits."),
    calls: Annotated[
        list[str] | None,
        typer.Option(
            "--calls",
            metavar="SERVICE",
            help="A service it calls (repeat, or a,b): its resource gets an optional "
            "<service>_id (without a final s), checked with that service when created.",
        ),
    ] = None,
    resource: str = typer.Option("item", "--resource", metavar="SINGULAR", help="What it keeps."),
    port: int | None = typer.Option(
        None, "--port", help="Its port (default: the next after the highest a service uses)."
    ),
    database: bool = typer.Option(True, "--database/--no-database", help="Its own PostgreSQL."),
    mqtt: bool = typer.Option(True, "--mqtt/--no-mqtt", help="The broker, and its events."),
    summary: str | None = typer.Option(None, "--summary", help="One line: what it does."),
) -> None:
    """Create services/NAME in the one shape every service has (a resource with its table,
    calls through the chassis client, an event through the outbox, tests, docs, descriptor),
    then write every derived file (`generate`). Refused, writing nothing, when NAME exists or is
    not a name, the port is another service's, or a called service does not exist."""
    from scaffold.new_service import NewService, Refused, create

    ask = NewService(
        name=name,
        resource=resource,
        calls=tuple(c.strip() for given in calls or () for c in given.split(",") if c.strip()),
        port=port,
        database=database,
        mqtt=mqtt,
        summary=summary,
    )
    try:
        written = create(_root(), ask)
    except Refused as exc:
        typer.secho(f"./fleet new: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created services/{name} ({len(written)} files; docs/{name}.md)")
    generate(check=False)


@app.command()
def status() -> None:
    """Each service's readiness (GET /health/ready)."""
    config = _config()
    state = FleetState.load(config.state_file)
    if state is not None:
        urls = state.services
    else:
        urls = control.default_urls(services_of(config, _services(config)), config.host)
    answers = asyncio.run(control.readiness_of(urls))
    for line in control.status_lines(state, answers):
        typer.echo(line)
    if state is None or not all(a.ready for a in answers):
        raise typer.Exit(1)


@app.command()
def down() -> None:
    """Stop the fleet `up` started (in any terminal), gracefully."""
    config = _config()
    state = FleetState.load(config.state_file)
    if state is None:
        orphaned = FleetState.read(config.state_file)
        left = control.stop_leftovers(orphaned) if orphaned is not None else []
        config.state_file.unlink(missing_ok=True)
        typer.echo(
            f"the runner was gone; stopped {', '.join(left)}" if left else "no fleet is running"
        )
        return
    typer.echo(f"stopping the fleet (runner pid {state.runner_pid}) ...")
    if control.stop_fleet(state, wait=config.grace_period + 15):
        typer.echo("fleet stopped")
    else:
        typer.secho("the runner did not stop in time: killed it and its services", err=True)
        raise typer.Exit(1)


@app.command()
def seed(
    devices: int = typer.Option(0, "--devices", min=0, help="Devices named seed-<n> to have."),
    tasks: int = typer.Option(0, "--tasks", min=0, help="Tasks labelled seed to have."),
) -> None:
    """(Re)create the demo accounts and devices on the running fleet, and as many more devices
    and tasks as asked for, through the public APIs; again, it adds only what is missing."""
    config = _config()
    state = FleetState.load(config.state_file)
    if state is None or not set(seeding.SERVICES) <= state.services.keys():
        needed = ", ".join(seeding.SERVICES)
        typer.secho(f"no fleet with {needed} is running (./fleet up)", err=True)
        raise typer.Exit(2)
    password, _ = demo.demo_password(config.demo_password, config.state_dir)
    plan = seeding.SeedPlan(devices=devices, tasks=tasks)

    async def go(advance: Callable[[int], None]) -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            done = await seeding.seed(client, state.services, password, plan, advance)
        typer.echo(
            f"demo accounts and devices in place; {done.devices} seed devices "
            f"({done.devices_added} added), {done.tasks} seed tasks ({done.tasks_added} added)"
        )

    with typer.progressbar(length=devices + tasks, label="seeding", file=sys.stderr) as bar:
        try:
            asyncio.run(go(bar.update))
        except (demo.DemoError, httpx.HTTPError) as exc:
            typer.secho(f"\nseeding failed: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None


@app.command()
def stop(service: str = typer.Argument(..., help="A service (./fleet status lists them).")) -> None:
    """Stop one service and keep it down, the rest running (see the breakers work), until
    `fleet start SERVICE`."""
    config = _config()
    state = _running_service(config, service)
    if control.hold(state, config.held_dir, service, wait=config.grace_period + 5):
        typer.echo(f"{service} stopped; ./fleet start {service} brings it back")
    else:
        typer.secho(f"{service} did not stop within the grace period: killed it", err=True)


@app.command()
def start(service: str = typer.Argument(..., help="A service `fleet stop` stopped.")) -> None:
    """Start a service `fleet stop` stopped, and wait until it is ready."""
    config = _config()
    state = _running_service(config, service)
    if not control.release(config.held_dir, service):
        typer.echo(f"{service} was not stopped")
        return
    answer = asyncio.run(control.ready_within(service, state.services[service], within=60))
    if not answer.ready:
        typer.secho(f"{service} is not ready: {answer.summary}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"{service} is ready ({answer.url})")


def _running_service(config: FleetConfig, service: str) -> FleetState:
    state = FleetState.load(config.state_file)
    if state is None:
        typer.secho("no fleet is running (./fleet up)", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    if service not in state.services:
        known = ", ".join(state.services)
        typer.secho(f"no service {service!r} (services: {known})", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    return state


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def load(ctx: typer.Context) -> None:
    """Load the running fleet with locust (--users N --duration T ...; --help for all)."""
    config = _config()
    pex = config.dist_dir / "load.pex"
    if not pex.exists():
        typer.secho(f"no {pex}: ./fleet load builds it (tools/load)", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    os.execv(pex, [str(pex), *ctx.args])  # noqa: S606 -- load.pex is the command; its exit code the verdict


@app.command()
def logs(
    service: str = typer.Argument(..., help="A service, `monitor` or `simulator`."),
    lines: int = typer.Option(50, "--lines", "-n", help="Lines of history first."),
    follow: bool = typer.Option(True, "--follow/--no-follow", "-f", help="Keep following."),
) -> None:
    """Tail a service's log (.fleet/logs/<service>.log), as `tail -f`."""
    config = _config()
    path = config.logs_dir / f"{service}.log"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in config.logs_dir.glob("*.log"))) or "none yet"
        typer.secho(f"no log for {service!r} (logs: {known})", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    try:
        for line in control.follow(path, lines, keep_following=follow):
            sys.stdout.write(line)
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass


def main() -> None:
    app()


if __name__ == "__main__":
    main()
