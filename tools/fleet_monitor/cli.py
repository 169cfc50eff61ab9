"""`python -m fleet_monitor serve`: the fleet monitor on port 8000, aimed at the local fleet."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from pydantic import SecretStr, ValidationError

from fleet_monitor.settings import Credentials, MonitorSettings

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="The fleet monitor: every service's health, the devices and the bus on one live page.",
)


@app.callback()
def _group() -> None:
    # A callback keeps `serve` a subcommand: typer collapses a lone command into the program.
    pass


_API_ACCESS = "For the devices and tasks APIs (devices online, open alarms)."


@app.command()
def serve(
    port: Annotated[int, typer.Option(envvar="FLEET_MONITOR_PORT")] = 8000,
    host: Annotated[str, typer.Option(envvar="FLEET_MONITOR_HOST")] = "127.0.0.1",
    users: Annotated[str, typer.Option(help="Base URL of users.")] = "http://127.0.0.1:8001",
    tasks: Annotated[str, typer.Option(help="Base URL of tasks.")] = "http://127.0.0.1:8002",
    devices: Annotated[str, typer.Option(help="Base URL of devices.")] = "http://127.0.0.1:8003",
    broker: Annotated[
        str, typer.Option(envvar="FLEET_MQTT_URL", help="mqtt://[user:password@]host[:port]")
    ] = "mqtt://127.0.0.1:1883",
    token: Annotated[
        str | None,
        typer.Option(envvar="FLEET_MONITOR_TOKEN", help=f"A bearer token. {_API_ACCESS}"),
    ] = None,
    username: Annotated[
        str | None, typer.Option(envvar="FLEET_MONITOR_USERNAME", help=f"Log in. {_API_ACCESS}")
    ] = None,
    password: Annotated[str | None, typer.Option(envvar="FLEET_MONITOR_PASSWORD")] = None,
    token_url: Annotated[str | None, typer.Option(help="Default: <users>/v1/auth/token.")] = None,
    events: Annotated[str, typer.Option(help="Topic filter of the bus tail.")] = "fleet/events/#",
    refresh: Annotated[float, typer.Option(help="Seconds between polls.")] = 1.0,
) -> None:
    """Serve the page until Ctrl-C."""
    import uvicorn

    from fleet_monitor.app import build

    settings = _settings(
        host=host,
        port=port,
        services={"users": users, "tasks": tasks, "devices": devices},
        broker=broker,
        bearer_token=token,
        credentials=_credentials(username, password, token_url or f"{users}/v1/auth/token"),
        events_filter=events,
        refresh_seconds=refresh,
    )
    typer.echo(f"fleet monitor on http://{settings.host}:{settings.port}")
    uvicorn.run(build(settings), host=settings.host, port=settings.port, log_level="warning")


def _credentials(username: str | None, password: str | None, url: str) -> Credentials | None:
    if username is None and password is None:
        return None
    if username is None or password is None:
        _fail("--username and --password go together")
    return Credentials(token_url=url, username=username, password=SecretStr(password))


def _settings(**values: object) -> MonitorSettings:
    try:
        return MonitorSettings.model_validate(values)
    except ValidationError as exc:
        _fail(
            "invalid settings:\n"
            + "\n".join(f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        )


def _fail(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def main() -> None:
    app()
