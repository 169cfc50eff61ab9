"""`fleet up`: broker, databases, migrations, accounts, services, readiness, demo data; then
supervise (and with --reload, restart what a saved file touches) until Ctrl-C or SIGTERM, and
stop everything in order."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx

from chassis.local import ServerUnreachable
from fleet import companion_processes, companions, databases, demo, reload
from fleet.accounts import new_accounts
from fleet.broker import FleetBroker, open_broker
from fleet.catalog import Service, services_of
from fleet.config import FleetConfig
from fleet.health import NotReady, wait_ready
from fleet.ports import bindable, listening
from fleet.process import ServiceProcess, run_once
from fleet.state import FleetState
from fleet.table import ready_table
from fleet.terminal import Terminal
from fleet.tree import DEBUG_HOST, SPARE_ENV, Debugger, TreeError, WorkingTree, working_tree
from fleet.wiring import FleetPlan, replica_env, service_env

T = TypeVar("T")


class StartupFailed(Exception):
    """The fleet cannot start; the message says why and what to do."""


class Stopped(Exception):
    """Ctrl-C or SIGTERM arrived while the fleet was starting."""


async def up(
    config: FleetConfig,
    names: list[str],
    terminal: Terminal,
    *,
    reloading: bool = False,
    debugger: Debugger | None = None,
) -> int:
    """Run the fleet until a stop signal; 0 after a clean stop, 1 when it could not start.
    `reloading`: every service from the working tree, restarted when its code changes;
    `debugger`: those services from the working tree under debugpy."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    services = services_of(config, names)
    broker: FleetBroker | None = None
    processes: list[ServiceProcess] = []
    runs: list[asyncio.Task[None]] = []
    try:
        await _preflight(config, services)
        tree = _tree(config, services, reloading, debugger, terminal)
        config.logs_dir.mkdir(parents=True, exist_ok=True)
        _release_holds(config)
        terminal.say(f"starting {', '.join(names)} ...")
        broker = await _unless_stopped(stop, _broker(config))
        terminal.say(f"broker: {broker.description}")
        plan = await _unless_stopped(stop, _plan(config, services, broker, terminal))
        envs = {s.name: _child_env(s, plan) | tree.env(s.name) for s in services}
        password, generated = demo.demo_password(config.demo_password, config.state_dir)
        running = broker

        def save_state() -> None:  # at every (re)start: `fleet stop` signals the current pid
            _save_state(config, running, plan, processes)

        # The monitor first: it receives the services' spans from their first one on (it
        # starts while the databases migrate).
        monitor = _start_monitor(config, plan, password, terminal, processes, runs, save_state)
        await _unless_stopped(stop, _migrate(config, tree, services, envs, terminal))
        if plan.identity is not None:
            await _unless_stopped(
                stop, _create_admin(config, tree, plan.identity, envs, password, terminal)
            )
        accounts = False  # the demo accounts are in
        async with httpx.AsyncClient() as client:
            await _unless_stopped(
                stop, companion_processes.serving(client, monitor, config, terminal)
            )
            # The identity service first: the others fetch its keys at start, and refetch only
            # every 10 s.
            for wave in _waves(services):
                started = [
                    p
                    for s in wave
                    for p in _replicas(
                        config, tree, plan, s, envs, terminal, save_state, spares=reloading
                    )
                ]
                processes += started
                runs += [asyncio.create_task(p.run(), name=p.name) for p in started]
                _save_state(config, broker, plan, processes)
                await _unless_stopped(
                    stop,
                    wait_ready(
                        client,
                        # One waiting for its debugger serves once attached: not a failure.
                        [(s.name, plan.url_of(s.name)) for s in wave if not tree.waits(s.name)],
                        within=config.ready_timeout,
                        on_ready=lambda r: terminal.say(f"{r.name} is ready ({r.url})"),
                    ),
                )
                if any(s.identity for s in wave):
                    # At once: the monitor's login is refused until the operator exists.
                    accounts = await _demo_accounts(client, plan, password, terminal)
            _save_state(config, broker, plan, processes)
            if reloading:
                runs.append(_watch(config, tree, plan, processes, stop, terminal))
            extras, device_ids = (
                await _demo_devices(client, plan, password, terminal) if accounts else ([], [])
            )
            simulator = await _start_simulator(
                config, plan, device_ids, terminal, processes, runs, save_state
            )
            extras.append(("simulator", simulator))
            extras += tree.summary(config.root)
            _save_state(config, broker, plan, processes)
        served = await asyncio.to_thread(listening, config.host, config.monitor_port)
        terminal.say(
            ready_table(
                plan,
                monitor_port=config.monitor_port,
                monitor_served=served,
                broker=broker.description,
                password=password,
                password_note=_password_note(config, generated),
                extras=extras,
            )
        )
        terminal.say(f"fleet ready in {loop.time() - began:.1f} s; Ctrl-C stops it")
        await stop.wait()
        return 0
    except (StartupFailed, NotReady) as exc:
        terminal.alarm(str(exc))
        return 1
    except Stopped:
        return 0
    finally:
        stop.set()  # whatever ended the run: what waits for the stop (the watcher) ends too
        await _shutdown(config, terminal, broker, processes, runs)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def _release_holds(config: FleetConfig) -> None:
    """Forget an earlier fleet's `fleet stop`s: they were not about this one."""
    for hold in config.held_dir.glob("*"):
        hold.unlink()


def _password_note(config: FleetConfig, generated: bool) -> str:
    """Where the demo password shown comes from."""
    if generated:
        return f"(generated: shown this once, kept in {config.state_dir / 'demo-password'})"
    if config.demo_password:
        return "(FLEET_DEMO_PASSWORD)"
    return f"(from {config.state_dir / 'demo-password'})"


def _waves(services: list[Service]) -> list[list[Service]]:
    """Start order: the identity provider alone, then everyone else at once."""
    first = [s for s in services if s.identity]
    rest = [s for s in services if not s.identity]
    return [wave for wave in (first, rest) if wave]


def _tree(
    config: FleetConfig,
    services: list[Service],
    reloading: bool,
    debugger: Debugger | None,
    terminal: Terminal,
) -> WorkingTree:
    """Which services run from the working tree (all when reloading, the debugged ones), and
    say so; a debugger's port must be free, and no service's."""
    names = [s.name for s in services] if reloading else []
    debugged = debugger.services if debugger is not None else ()
    processes = {n: process_names(n, config.replicas_of(n)) for n in debugged}
    try:
        tree = working_tree(config.root, names, config.state_dir, debugger, processes)
    except TreeError as exc:
        raise StartupFailed(str(exc)) from exc
    served = {s.port for s in services} | {config.monitor_port}
    taken = [
        f"{port} ({n})"
        for n, port in tree.debug_ports.items()
        if port in served or not bindable(DEBUG_HOST, port)
    ]
    if taken:
        raise StartupFailed(
            f"debugger port {', '.join(taken)} in use: choose another (--debug-port)"
        )
    if names:
        terminal.say(f"from the working tree, reloaded on change: {', '.join(names)}")
    for process, port in tree.debug_ports.items():
        waits = " (waits for the debugger before it starts)" if tree.wait else ""
        terminal.say(f"{process}: debugpy on {DEBUG_HOST}:{port}{waits}; docs/running.md: attach")
    return tree


def _watch(
    config: FleetConfig,
    tree: WorkingTree,
    plan: FleetPlan,
    processes: list[ServiceProcess],
    stop: asyncio.Event,
    terminal: Terminal,
) -> asyncio.Task[None]:
    """Restart the services a saved file touches (fleet.reload), until `stop`."""
    by_service = {
        s.name: [
            p for p in processes if p.name in process_names(s.name, config.replicas_of(s.name))
        ]
        for s in plan.services
    }
    roots = ", ".join(str(r.relative_to(config.root)) for r in tree.roots)
    terminal.say(f"watching {roots} for changes")
    watching = reload.watch(
        tree.roots,
        by_service,
        {s.name: plan.url_of(s.name) for s in plan.services},
        grace=config.grace_period,
        within=config.ready_timeout,
        say=terminal.say,
        alarm=terminal.alarm,
        stop=stop,
    )
    return asyncio.create_task(watching, name="reload")


def process_names(service: str, replicas: int) -> list[str]:
    """`<service>` for a service run once; `<service>-0`, `<service>-1` ... for its replicas
    (their log files, prefixes and pids are named so)."""
    return [service] if replicas == 1 else [f"{service}-{slot}" for slot in range(replicas)]


def _replicas(
    config: FleetConfig,
    tree: WorkingTree,
    plan: FleetPlan,
    service: Service,
    envs: dict[str, dict[str, str]],
    terminal: Terminal,
    on_start: Callable[[], None],
    *,
    spares: bool = False,
) -> list[ServiceProcess]:
    """The service's processes: independent, as pods are; replicas share its port through
    SO_REUSEPORT (`serve --reuse-port`), so the kernel spreads connections across the live
    ones. `fleet stop <service>` holds them all."""
    replicas = config.replicas_of(service.name)
    serve = ["serve", *(["--reuse-port"] if replicas > 1 else [])]
    hold = config.held_dir / service.name
    return [
        ServiceProcess(
            name,
            tree.argv(service, *serve, process=name),
            envs[service.name] | replica_env(service, plan, slot),
            log_path=config.logs_dir / f"{name}.log",
            emit=terminal.emit,
            report=terminal.alarm,
            cwd=config.root,
            held=hold.exists,
            on_start=on_start,
            # Reloaded: a restart finds a process that has its libraries imported already.
            spare_env=SPARE_ENV if spares and service.name in tree.services else None,
        )
        for slot, name in enumerate(process_names(service.name, replicas))
    ]


async def _unless_stopped(stop: asyncio.Event, step: Awaitable[T]) -> T:
    """Await `step`, or raise Stopped as soon as a stop signal arrives (cancelling it)."""
    work = asyncio.ensure_future(step)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not work.done():
        work.cancel()
        await asyncio.gather(work, return_exceptions=True)
        raise Stopped
    return work.result()


async def _preflight(config: FleetConfig, services: list[Service]) -> None:
    running = FleetState.load(config.state_file)
    if running is not None:
        raise StartupFailed(
            f"a fleet is already running (runner pid {running.runner_pid}): "
            "./fleet status, ./fleet down"
        )
    missing = [s for s in services if not s.pex.exists()]
    if missing:
        targets = " ".join(f"services/{s.name}:pex" for s in missing)
        raise StartupFailed(
            f"no pex for {', '.join(s.name for s in missing)}: "
            f"./pants package {targets} (./fleet up builds them)"
        )
    for service in services:
        if not await asyncio.to_thread(bindable, config.host, service.port):
            raise StartupFailed(
                f"port {service.port} ({service.name}) is in use: is a fleet running already "
                f"(./fleet status)? Or choose another with FLEET_{service.name.upper()}_PORT"
            )


async def _broker(config: FleetConfig) -> FleetBroker:
    try:
        return await asyncio.to_thread(open_broker, config.mqtt_url, config.mqtt_port)
    except (ServerUnreachable, ValueError) as exc:  # FLEET_MQTT_URL: malformed or down
        raise StartupFailed(str(exc)) from exc
    except (OSError, RuntimeError) as exc:  # our own broker could not listen
        port = config.mqtt_port or "a free port"
        raise StartupFailed(f"could not start the fleet's broker on {port}: {exc}") from exc


async def _plan(
    config: FleetConfig, services: list[Service], broker: FleetBroker, terminal: Terminal
) -> FleetPlan:
    names = [s.name for s in services if s.database]
    pool_size = None
    if config.database_url is None:
        urls = databases.sqlite_urls(names, config.state_dir)
        terminal.say(f"databases: SQLite files in {config.state_dir}/")
    else:
        urls = databases.postgres_urls(config.database_url, names, config.database_prefix)
        databases_named = [f"{config.database_prefix}{name}" for name in names]
        try:
            created = await asyncio.to_thread(
                databases.create_missing, config.database_url, databases_named
            )
        except Exception as exc:  # psycopg's errors: say which server and why
            raise StartupFailed(f"FLEET_DATABASE_URL: cannot prepare the databases: {exc}") from exc
        terminal.say(
            f"databases: {', '.join(databases_named)} on FLEET_DATABASE_URL"
            + (f" (created {', '.join(created)})" if created else "")
        )
        processes = sum(config.replicas_of(name) for name in names)
        pool_size = await _pool_share(config.database_url, processes, terminal)
    accounts = await asyncio.to_thread(new_accounts, [s.name for s in services if s.account])
    return FleetPlan(
        host=config.host,
        services=tuple(services),
        mqtt_url=broker.url,
        mqtt_protocol=broker.protocol,
        database_urls=urls,
        accounts=accounts,
        state_dir=config.state_dir.resolve(),
        replicas=config.replicas,
        # Spans go to the developer's own receiver if named, else to the monitor, which starts
        # before the services and stops after them.
        traces_url=config.traces_url
        or companions.traces_url(config.dist_dir, config.host, config.monitor_port),
        pool_size=pool_size,
    )


async def _pool_share(server_url: str, processes: int, terminal: Terminal) -> int | None:
    """Pools small enough for `processes` to fit the server's connections together (None: the
    services' own)."""
    try:
        free = await asyncio.to_thread(databases.free_connections, server_url)
        pool_size = databases.pool_share(free, processes)
    except databases.TooFewConnections as exc:
        raise StartupFailed(f"FLEET_DATABASE_URL: {exc}") from exc
    except Exception as exc:  # psycopg's errors: say which server and why
        raise StartupFailed(f"FLEET_DATABASE_URL: cannot reach the server: {exc}") from exc
    if pool_size is not None:
        terminal.say(
            f"database pools of {pool_size} connection(s): {processes} service processes "
            f"share the {free} the server takes"
        )
    return pool_size


def _child_env(service: Service, plan: FleetPlan) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(service.env_prefix)}
    env["PYTHONUNBUFFERED"] = "1"  # lines as they happen, through the pipe
    env.setdefault("MALLOC_ARENA_MAX", "2")  # as the image runs it (the Dockerfile says why)
    env.update(service_env(service, plan))
    return env


async def _migrate(
    config: FleetConfig,
    tree: WorkingTree,
    services: list[Service],
    envs: dict[str, dict[str, str]],
    terminal: Terminal,
) -> None:
    terminal.say("migrating the databases ...")
    results = await asyncio.gather(
        *(
            run_once(
                s.name,
                tree.argv(s, "migrate"),
                envs[s.name],
                log_path=_log(config, s),
                emit=terminal.emit,
                cwd=config.root,
            )
            for s in services
        )
    )
    failed = [s.name for s, (code, _) in zip(services, results, strict=True) if code != 0]
    if failed:
        raise StartupFailed(f"migrate failed for {', '.join(failed)} (see the lines above)")


async def _create_admin(
    config: FleetConfig,
    tree: WorkingTree,
    identity: Service,
    envs: dict[str, dict[str, str]],
    password: str,
    terminal: Terminal,
) -> None:
    """The admin account, made by the identity service's `create-admin` command (which reads
    the password from `<NAME>_ADMIN_PASSWORD`, out of argv)."""
    env = {**envs[identity.name], f"{identity.name.upper()}_ADMIN_PASSWORD": password}
    argv = tree.argv(
        identity,
        "create-admin",
        "--username",
        "admin",
        "--email",
        demo.email_of("admin"),
    )
    code, output = await run_once(
        identity.name,
        argv,
        env,
        log_path=_log(config, identity),
        emit=terminal.emit,
        cwd=config.root,
    )
    if code != 0 and "already registered" not in output and "exists" not in output.lower():
        raise StartupFailed(f"{identity.name} create-admin failed (see the lines above)")


async def _demo_accounts(
    client: httpx.AsyncClient, plan: FleetPlan, password: str, terminal: Terminal
) -> bool:
    """Seed the demo accounts; whether they are in (a failure is reported, the fleet keeps
    running)."""
    if plan.identity is None:
        return False
    try:
        await demo.seed_accounts(client, plan.url_of(plan.identity.name), password)
    except (demo.DemoError, httpx.HTTPError) as exc:
        terminal.alarm(f"demo accounts: {exc}")
        return False
    return True


async def _demo_devices(
    client: httpx.AsyncClient, plan: FleetPlan, password: str, terminal: Terminal
) -> tuple[list[tuple[str, str]], list[str]]:
    """Seed the demo devices as the operator: what the ready table says of them, their ids (a
    failure is reported, the fleet keeps running)."""
    identity, registry = plan.identity, demo.DEVICE_REGISTRY
    if identity is None or not plan.has(registry):
        return [], []
    try:
        operator = await demo.login(client, plan.url_of(identity.name), "operator", password)
        ids, added = await demo.seed_devices(client, plan.url_of(registry), operator)
    except (demo.DemoError, httpx.HTTPError) as exc:
        terminal.alarm(f"demo devices: {exc}")
        return [], []
    names = ", ".join(d["name"] for d in demo.DEMO_DEVICES)
    return [(registry, names + (f" ({added} registered now)" if added else ""))], ids


def _start_monitor(
    config: FleetConfig,
    plan: FleetPlan,
    password: str,
    terminal: Terminal,
    processes: list[ServiceProcess],
    runs: list[asyncio.Task[None]],
    on_start: Callable[[], None],
) -> companions.Companion | None:
    """The fleet monitor, when its pex was built (it logs in as the demo operator)."""
    env = companion_processes.companion_env()
    monitor = companions.monitor(config.dist_dir, plan, config.monitor_port, password, env)
    if monitor is not None:
        companion_processes.start(monitor, config, terminal, processes, runs, on_start)
    return monitor


async def _start_simulator(
    config: FleetConfig,
    plan: FleetPlan,
    device_ids: list[str],
    terminal: Terminal,
    processes: list[ServiceProcess],
    runs: list[asyncio.Task[None]],
    on_start: Callable[[], None],
) -> str:
    """The demo devices' telemetry, once they are registered; what the ready table says of it."""
    registry = next((s for s in plan.services if s.name == demo.DEVICE_REGISTRY), None)
    simulator = (
        await asyncio.to_thread(  # reads the pex's table of contents
            companions.simulator,
            registry.pex,
            demo.SIMULATOR_MODULE,
            plan,
            device_ids,
            companion_processes.companion_env(),
        )
        if registry is not None
        else None
    )
    if simulator is None:
        return f"not started (the {demo.DEVICE_REGISTRY} pex has no {demo.SIMULATOR_MODULE})"
    companion_processes.start(simulator, config, terminal, processes, runs, on_start)
    return f"{len(demo.DEMO_DEVICES)} demo devices, {companions.SIMULATOR_RATE:g} reading/s each"


def _save_state(
    config: FleetConfig, broker: FleetBroker, plan: FleetPlan, processes: list[ServiceProcess]
) -> None:
    FleetState(
        runner_pid=os.getpid(),
        broker=broker.url,
        services={s.name: plan.url_of(s.name) for s in plan.services},
        pids={p.name: p.pid for p in processes if p.pid is not None},
    ).save(config.state_file)


async def _shutdown(
    config: FleetConfig,
    terminal: Terminal,
    broker: FleetBroker | None,
    processes: list[ServiceProcess],
    runs: list[asyncio.Task[None]],
) -> None:
    if processes:
        terminal.say(f"stopping (SIGTERM, {config.grace_period:g} s grace, then SIGKILL) ...")
        for stage in companion_processes.stop_order(processes):  # the monitor last
            await asyncio.gather(*(p.stop(config.grace_period) for p in stage))
        await asyncio.gather(*runs, return_exceptions=True)
    if broker is not None:
        await asyncio.to_thread(broker.stop)
    if config.state_file.exists() and _owned(config.state_file):
        config.state_file.unlink()
    terminal.say("fleet stopped")


def _owned(path: Path) -> bool:
    state = FleetState.load(path)
    return state is not None and state.runner_pid == os.getpid()


def _log(config: FleetConfig, service: Service) -> Path:
    return config.logs_dir / f"{service.name}.log"
