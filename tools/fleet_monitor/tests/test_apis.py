"""The services' APIs found by what their OpenAPI documents say, whatever the services are named."""

import httpx
from pydantic import SecretStr

from fleet_monitor.apis import ApiDirectory
from fleet_monitor.devices import DeviceSummary, devices_panel
from fleet_monitor.settings import MonitorSettings
from fleet_monitor.tokens import TokenSource

REGISTRY = "http://registry.test"
WORK = "http://work.test"
DOCUMENTS = {
    "registry.test": ["/health/ready", "/v1/devices", "/v1/alarms"],
    "work.test": ["/health/ready", "/v1/tasks", "/v1/tasks/{task_id}"],
}


def _fleet(up: set[str]) -> httpx.MockTransport:
    """Services answering /openapi.json while their host is in `up`; refused otherwise."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host not in up:
            raise httpx.ConnectError("refused", request=request)
        if request.url.path == "/openapi.json":
            paths: dict[str, object] = {p: {} for p in DOCUMENTS.get(request.url.host, [])}
            return httpx.Response(200, json={"openapi": "3.1.0", "paths": paths})
        if request.url.path == "/v1/devices":
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        if request.url.path == "/v1/alarms":
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        return httpx.Response(404)

    return httpx.MockTransport(answer)


async def _panel(
    services: dict[str, str], settings: MonitorSettings, client: httpx.AsyncClient
) -> DeviceSummary:
    return await devices_panel(
        ApiDirectory(services, client), TokenSource(settings, client), client
    )


async def test_finds_the_service_that_documents_a_path_whatever_its_name() -> None:
    async with httpx.AsyncClient(transport=_fleet({"registry.test", "work.test"})) as client:
        apis = ApiDirectory({"registry": REGISTRY, "work": WORK}, client)
        await apis.refresh()
    assert apis.complete
    assert apis.serving("/v1/devices") == REGISTRY
    assert apis.serving("/v1/tasks/{task_id}") == WORK
    assert apis.serving("/v1/parts") is None


async def test_a_service_that_was_down_is_asked_again_until_it_answers() -> None:
    up = {"registry.test"}
    async with httpx.AsyncClient(transport=_fleet(up)) as client:
        apis = ApiDirectory({"registry": REGISTRY, "work": WORK}, client)
        await apis.refresh()
        assert (apis.complete, apis.serving("/v1/tasks/{task_id}")) == (False, None)
        up.add("work.test")
        await apis.refresh()
    assert (apis.complete, apis.serving("/v1/tasks/{task_id}")) == (True, WORK)


async def test_the_devices_panel_reads_the_registry_a_service_serves() -> None:
    services = {"registry": REGISTRY, "work": WORK}
    settings = MonitorSettings(services=services, bearer_token=SecretStr("tok"))
    async with httpx.AsyncClient(transport=_fleet({"registry.test", "work.test"})) as client:
        panel = await _panel(services, settings, client)
    assert (panel.shown, panel.online, panel.offline, panel.alarms) == (True, 0, 0, [])


async def test_the_devices_panel_waits_while_a_service_has_not_answered() -> None:
    services = {"registry": REGISTRY, "work": WORK}
    settings = MonitorSettings(services=services, bearer_token=SecretStr("tok"))
    async with httpx.AsyncClient(transport=_fleet({"work.test"})) as client:
        panel = await _panel(services, settings, client)
    assert panel.shown
    assert panel.note.startswith("no service of the fleet serves /v1/devices (yet")


async def test_no_devices_panel_in_a_fleet_without_a_device_registry() -> None:
    services = {"work": WORK}
    settings = MonitorSettings(services=services, bearer_token=SecretStr("tok"))
    async with httpx.AsyncClient(transport=_fleet({"work.test"})) as client:
        panel = await _panel(services, settings, client)
    assert not panel.shown
