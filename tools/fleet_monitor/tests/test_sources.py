"""The HTTP sources: service polls against a real chassis app, devices and alarms, tokens."""

from typing import Any

import httpx
from pydantic import SecretStr

from chassis.app import create_app
from chassis.app.tests.example_service import GreeterSettings
from chassis.auth import JwksKeySet
from chassis.testing.tokens import TokenIssuer
from fleet_monitor.devices import DevicesSource
from fleet_monitor.polling import ServicePoller
from fleet_monitor.settings import Credentials, MonitorSettings
from fleet_monitor.tokens import TokenSource

DEVICES = "http://devices.test"
TASKS = "http://tasks.test"


async def test_a_chassis_service_is_probed_and_a_closed_port_reads_as_refused(
    free_port: int, token_issuer: TokenIssuer
) -> None:
    keys = JwksKeySet(token_issuer.auth_settings())
    greeter = httpx.ASGITransport(app=create_app(GreeterSettings(), components=[keys]))
    # The snapshot is for operators, admins and services: the monitor's own account.
    account = SecretStr(token_issuer.mint(subject="fleet-monitor", role="service"))
    routed = httpx.AsyncHTTPTransport()

    class _Route(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            transport = greeter if request.url.host == "greeter.test" else routed
            return await transport.handle_async_request(request)

    await keys.start()  # the transport runs no lifespan
    async with httpx.AsyncClient(transport=_Route(), timeout=2) as client:
        services = {"greeter": "http://greeter.test", "gone": f"http://127.0.0.1:{free_port}"}
        tokens = TokenSource(MonitorSettings(services=services, bearer_token=account), client)
        probes = await ServicePoller(services, client, tokens).poll()
    await keys.stop()
    greeter_probe, gone = probes
    assert greeter_probe.ready_status == 200
    assert greeter_probe.ready_body["status"] == "ready"
    assert greeter_probe.snapshot["service"] == "greeter"
    assert (gone.ready_status, gone.error) == (None, "connection refused")


async def test_without_a_token_a_service_shows_readiness_but_no_snapshot(
    token_issuer: TokenIssuer,
) -> None:
    keys = JwksKeySet(token_issuer.auth_settings())
    greeter = httpx.ASGITransport(app=create_app(GreeterSettings(), components=[keys]))
    async with httpx.AsyncClient(transport=greeter, timeout=2) as client:
        (probe,) = await ServicePoller({"greeter": "http://greeter.test"}, client).poll()
    assert probe.ready_status == 200
    assert probe.snapshot is None


def _fleet_api(alarms: bool = True, logins: list[str] | None = None) -> httpx.MockTransport:
    """A stand-in for the devices and tasks APIs, answering only with the expected token;
    `logins` collects the token requests."""
    devices: list[dict[str, Any]] = [
        {"id": "1", "name": "pump-1", "online": True},
        {"id": "2", "name": "pump-2", "online": True},
        {"id": "3", "name": "sensor-1", "online": False},
    ]
    alarm = {
        "id": "9",
        "device_id": "3",
        "metric": "temperature",
        "value": 91.5,
        "threshold": 80.0,
        "state": "raised",
        "raised_at": "2025-01-01T12:00:00Z",
        "task_id": "77",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/token":
            if logins is not None:
                logins.append(request.content.decode())
            form = dict(httpx.QueryParams(request.content.decode()))
            ok = form == {"grant_type": "password", "username": "op", "password": "pw"}
            body = {"access_token": "tok", "expires_in": 900}
            return httpx.Response(200, json=body) if ok else httpx.Response(401)
        if request.headers.get("authorization") != "Bearer tok":
            return httpx.Response(401)
        if request.url.path == "/v1/devices":
            online = request.url.params["online"] == "true"
            cursor = request.url.params.get("cursor")
            matching = [d for d in devices if d["online"] is online]
            # One device per page: the count must follow next_cursor to the end.
            index = int(cursor or 0)
            more = index + 1 < len(matching)
            page = {
                "items": matching[index : index + 1],
                "next_cursor": str(index + 1) if more else None,
            }
            return httpx.Response(200, json=page)
        if request.url.path == "/v1/alarms" and alarms:
            return httpx.Response(200, json={"items": [alarm], "next_cursor": None})
        if request.url.path == "/v1/tasks/77":
            return httpx.Response(200, json={"id": "77", "status": "in_progress"})
        return httpx.Response(404)

    return httpx.MockTransport(answer)


def _settings(**values: Any) -> MonitorSettings:
    return MonitorSettings(services={"devices": DEVICES, "tasks": TASKS}, **values)


def _source(settings: MonitorSettings, client: httpx.AsyncClient) -> DevicesSource:
    return DevicesSource(DEVICES, TASKS, TokenSource(settings, client), client)


async def test_without_a_token_the_devices_panel_says_it_needs_one() -> None:
    async with httpx.AsyncClient(transport=_fleet_api()) as client:
        summary = await _source(_settings(), client).summary()
    assert summary.online is None
    assert "needs a token" in summary.note


async def test_counts_devices_by_presence_and_lists_open_alarms_with_their_task() -> None:
    credentials = Credentials(
        token_url=f"{DEVICES}/v1/auth/token", username="op", password=SecretStr("pw")
    )
    async with httpx.AsyncClient(transport=_fleet_api()) as client:
        summary = await _source(_settings(credentials=credentials), client).summary()
    assert (summary.online, summary.offline, summary.capped) == (2, 1, False)
    assert summary.alarms is not None
    [alarm] = summary.alarms
    assert (alarm.device, alarm.metric, alarm.task, alarm.task_status) == (
        "sensor-1",
        "temperature",
        "77",
        "in_progress",
    )


async def test_one_login_serves_every_summary_while_the_token_is_fresh() -> None:
    credentials = Credentials(
        token_url=f"{DEVICES}/v1/auth/token", username="op", password=SecretStr("pw")
    )
    logins: list[str] = []
    async with httpx.AsyncClient(transport=_fleet_api(logins=logins)) as client:
        source = _source(_settings(credentials=credentials), client)
        summaries = [await source.summary() for _ in range(3)]
    assert [s.online for s in summaries] == [2, 2, 2]
    assert len(logins) == 1


async def test_a_devices_service_without_alarms_gets_a_placeholder() -> None:
    async with httpx.AsyncClient(transport=_fleet_api(alarms=False)) as client:
        settings = _settings(bearer_token=SecretStr("tok"))
        summary = await _source(settings, client).summary()
    assert (summary.online, summary.offline, summary.alarms) == (2, 1, None)
    assert summary.alarms_note == "this devices service has no /v1/alarms yet"


async def test_a_refused_token_is_reported_not_raised() -> None:
    async with httpx.AsyncClient(transport=_fleet_api()) as client:
        summary = await _source(_settings(bearer_token=SecretStr("stale")), client).summary()
    assert summary.note == "devices API answered HTTP 401"
