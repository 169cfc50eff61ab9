"""`python -m fleet_monitor serve --service NAME=URL ...`: the fleet monitor on port 8000, over the
services its runner names (`./fleet up` and compose name every service of the fleet)."""

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


_API_ACCESS = "For the snapshots and the APIs the panels read (devices online, open alarms)."


@app.command()
def serve(
    port: Annotated[int, typer.Option(envvar="FLEET_MONITOR_PORT")] = 8000,
    host: Annotated[str, typer.Option(envvar="FLEET_MONITOR_HOST")] = "127.0.0.1",
    service: Annotated[
        list[str],
        typer.Option(
            envvar="FLEET_MONITOR_SERVICES",
            help="A service to watch, NAME=URL (e.g. billing=http://billing.internal); repeat it "
            "for each, in the order shown. FLEET_MONITOR_SERVICES: the same, space-separated.",
        ),
    ] = [],  # noqa: B006 (typer reads the default, never mutates it)
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
    token_url: Annotated[
        str | None,
        typer.Option(help="Where --username logs in: the identity service's /v1/auth/token."),
    ] = None,
    events: Annotated[str, typer.Option(help="Topic filter of the bus tail.")] = "fleet/events/#",
    refresh: Annotated[float, typer.Option(help="Seconds between polls.")] = 1.0,
) -> None:
    """Serve the page until Ctrl-C."""
    import uvicorn

    from fleet_monitor.app import build

    settings = _settings(
        host=host,
        port=port,
        services=parse_services(service),
        broker=broker,
        bearer_token=token,
        credentials=_credentials(username, password, token_url),
        events_filter=events,
        refresh_seconds=refresh,
    )
    typer.echo(f"fleet monitor on http://{settings.host}:{settings.port}")
    uvicorn.run(build(settings), host=settings.host, port=settings.port, log_level="warning")


def parse_services(items: list[str]) -> dict[str, str]:
    """`NAME=URL` items (commas separate them too) -> {name: url}, in their order."""
    services: dict[str, str] = {}
    for item in (i.strip() for given in items for i in given.split(",")):
        name, _, url = item.partition("=")
        if not item:
            continue
        if not name.strip() or not url.strip():
            _fail(f"--service {item!r}: expected NAME=URL, e.g. billing=http://billing.internal")
        if name.strip() in services:
            _fail(f"--service: {name.strip()} is named twice")
        services[name.strip()] = url.strip()
    return services


def _credentials(username: str | None, password: str | None, url: str | None) -> Credentials | None:
    if username is None and password is None:
        return None
    if username is None or password is None:
        _fail("--username and --password go together")
    if url is None:
        _fail("--username needs --token-url: the identity service's /v1/auth/token")
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
