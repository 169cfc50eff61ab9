"""The shared typer commands. Invalid settings stop every command with one clear message; a key
that names no setting is invalid too. `check-config` runs only that check ("does this
environment start?"), for operators and for tests of what compose and the manifests set."""

from __future__ import annotations

import code
import json
import socket
from collections.abc import Callable
from typing import Any, TypeVar

import typer
import uvicorn
from fastapi import FastAPI

from chassis.config import ConfigError, ServiceSettings
from chassis.db import Database, SchemaMismatch
from chassis.lifecycle import Components

S = TypeVar("S", bound=ServiceSettings)


def load_or_exit(settings_cls: type[S]) -> S:
    """The settings, or exit 2 with every bad field named (no traceback: it is the user's input)."""
    try:
        return settings_cls.load()
    except ConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None


def service_cli(  # noqa: C901 -- a table of commands: each one's branches count toward it
    settings_cls: type[S],
    build_app: Callable[[S], FastAPI],
    *,
    shell_namespace: Callable[[S], dict[str, Any]] | None = None,
) -> typer.Typer:
    """A typer app with the commands every service shares. `migrate` upgrades the `Database`
    components of the app `build_app` makes (built, never started: nothing else connects)."""
    cli = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

    @cli.command()
    def serve(
        host: str | None = typer.Option(None, help="Override http.host."),
        port: int | None = typer.Option(None, help="Override http.port."),
        reuse_port: bool = typer.Option(
            False,
            "--reuse-port",
            help="Share the port with the service's other replicas on this host (SO_REUSEPORT): "
            "the kernel spreads new connections across them, as a Kubernetes Service spreads "
            "them across pods.",
        ),
    ) -> None:
        """Serve the HTTP API until SIGTERM/SIGINT, then drain within the grace period."""
        settings = load_or_exit(settings_cls)
        host, port = host or settings.http.host, port or settings.http.port
        # Bound now, listening only once the app has started (uvicorn listens after lifespan).
        sockets = [_shared_socket(host, port)] if reuse_port else None
        app = build_app(settings)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            timeout_graceful_shutdown=int(settings.http.grace_period) or None,
            log_config=None,  # the chassis configured logging already
            access_log=False,  # the chassis logs one line per request itself
            server_header=False,
            # uvicorn would believe X-Forwarded-For from loopback (its default): the chassis
            # takes the client from trusted proxies only (http.trusted_proxies).
            proxy_headers=False,
            lifespan="on",
        )
        server = uvicorn.Server(config)
        try:
            server.run(sockets=sockets)
        except SystemExit:
            if server.started:
                raise
        if not server.started:
            # A component refused (it said why, in one line) or failed (its traceback is
            # logged): 1 either way, whatever uvicorn's own code for it (3).
            raise typer.Exit(1)

    @cli.command("migrate")
    def migrate_command() -> None:
        """Upgrade the service's database to the latest migration."""
        settings = load_or_exit(settings_cls)  # a bad configuration fails here too, as in a Job
        if not migrate_databases(build_app(settings)):
            typer.echo("this service has no database")

    @cli.command("check-config")
    def check_config(
        names_only: bool = typer.Option(
            False,
            "--names-only",
            help="Only check that every key names a setting, not the values (for manifests "
            "whose secrets are not at hand).",
        ),
    ) -> None:
        """Check the settings (files, this environment) would start the service: 0, or 2."""
        try:
            settings = settings_cls.load()
        except ConfigError as exc:
            problem = exc.unknown_keys() if names_only else exc
            if problem is not None:
                typer.secho(str(problem), fg=typer.colors.RED, err=True)
                raise typer.Exit(2) from None
            typer.echo(f"{exc.service}: every key names a setting (values not checked)")
            return
        typer.echo(f"{settings.name}: configuration valid")

    @cli.command()
    def openapi() -> None:
        """Print the service's OpenAPI document (JSON), without serving: for client generators."""
        settings = load_or_exit(settings_cls)
        typer.echo(json.dumps(build_app(settings).openapi(), indent=2, sort_keys=True))

    @cli.command()
    def shell() -> None:
        """A Python shell with the settings and the service's objects loaded."""
        settings = load_or_exit(settings_cls)
        namespace: dict[str, Any] = {"settings": settings}
        if shell_namespace is not None:
            namespace.update(shell_namespace(settings))
        code.interact(
            banner=f"{settings.name} shell: {', '.join(sorted(namespace))}", local=namespace
        )

    return cli


def migrate_databases(app: FastAPI) -> bool:
    """Upgrade every `Database` among `app`'s components to its latest migration (False: the
    app has none), or exit 1 on a history this release cannot place (the operator's call).

    >>> migrate_databases(build(settings))   # a command of the service that needs the schema
    """
    components: Components = app.state.components
    databases = [c for c in components if isinstance(c, Database) and c.migrations]
    try:
        for database in databases:
            database.migrate()
    except SchemaMismatch as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    return bool(databases)


def _shared_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port with SO_REUSEPORT, or exit 1 saying why it could not be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:  # taken by a process that does not share it, or a bad address
        sock.close()
        typer.secho(f"cannot share {host}:{port}: {exc.strerror}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    return sock
