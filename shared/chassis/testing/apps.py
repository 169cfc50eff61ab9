"""A service's apps for a test, on the session's servers: the one test-app fixture of the fleet.

The plugin's `service_apps` fixture makes them; a service's conftest names what is its own (its
`build`, its settings type, its sections, the fakes it swaps in) once, and its tests ask for
settings, started clients or a served app with only what differs:

>>> @pytest.fixture
... def apps(service_apps: ServiceAppsFactory) -> ServiceApps[TasksSettings]:
...     return service_apps(build, TasksSettings, users={"base_url": ...}, empty_tables=TABLES)
>>> client = apps.client()                         # started; stopped when the test ends
>>> client = apps.client(mqtt={"retry_delay": 1})  # keyword sections merge over the defaults
>>> with apps.started(settings) as client: ...     # stopped at the block's end (to restart)
>>> async with apps.serving() as client: ...       # an httpx.AsyncClient, for async tests
>>> with served(apps.app()) as base_url: ...       # any server that runs an ASGI app

Every app gets the base sections below where its settings have that section (a section given as
None keeps the service's own default instead): `database` on this session's database, migrated at
start; `mqtt` on this session's broker, with a client id per `settings()` call (serve the same
settings twice to resume one persistent session); `auth` trusting `token_issuer`; `monitor` off;
`outbox` polling every 0.05 s.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, asynccontextmanager, contextmanager
from typing import Any, Generic, TypeVar

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chassis.config import ServiceSettings
from chassis.lifecycle import Component
from chassis.testing.swap import swap
from chassis.testing.tokens import TokenIssuer

S = TypeVar("S", bound=ServiceSettings)
Sections = Mapping[str, Any]
Fakes = Mapping[type[Component], Callable[[], Component]]


class ServedClient(httpx.AsyncClient):
    """An HTTP client on an app started in this process; `.app` reaches its components."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        self.app = app


class ServiceApps(Generic[S]):
    """Settings, apps and started clients of one service; everything it started stops, and the
    tables it was told to empty are emptied, when the test ends."""

    def __init__(
        self,
        build: Callable[[S], FastAPI],
        settings_type: type[S],
        sections: Sections,
        *,
        client_ids: Iterator[str],
        fakes: Fakes,
        stack: ExitStack,
    ) -> None:
        self._build = build
        self._settings_type = settings_type
        self._sections = sections
        self._client_ids = client_ids
        self._fakes = fakes
        self._stack = stack

    def settings(self, **sections: Any) -> S:
        """The service's settings: its defaults, the base and the conftest's sections, then
        `sections` merged over them, field by field."""
        values = _merged(self._sections, sections)
        if "mqtt" in values:
            values["mqtt"] = {"client_id": next(self._client_ids)} | dict(values["mqtt"])
        return self._settings_type.load(**values)

    def app(self, settings: S | None = None, **sections: Any) -> FastAPI:
        """A new app, not started, with the conftest's fakes swapped in."""
        app = self._build(settings if settings is not None else self.settings(**sections))
        for kind, fake in self._fakes.items():
            swap(app, kind, fake())
        return app

    def client(self, target: S | FastAPI | None = None, **sections: Any) -> TestClient:
        """A started client (of `target`, an app or settings, else new settings), stopped when
        the test ends."""
        return self._stack.enter_context(self.started(target, **sections))

    @contextmanager
    def started(self, target: S | FastAPI | None = None, **sections: Any) -> Iterator[TestClient]:
        """Like `client`, but stopped when the block ends (to restart on the same settings)."""
        with TestClient(self._app_of(target, sections)) as client:
            yield client

    @asynccontextmanager
    async def serving(
        self, target: S | FastAPI | None = None, **sections: Any
    ) -> AsyncIterator[ServedClient]:
        """The app started (components and all) and an async HTTP client on it, for the block."""
        app = self._app_of(target, sections)
        async with app.router.lifespan_context(app), ServedClient(app) as client:
            yield client

    def _app_of(self, target: S | FastAPI | None, sections: Sections) -> FastAPI:
        if isinstance(target, FastAPI):
            return target
        return self.app(target, **sections)


class ServiceAppsFactory:
    """What the `service_apps` fixture gives: call it with a service's build and settings type."""

    def __init__(
        self, request: pytest.FixtureRequest, stack: ExitStack, issuer: TokenIssuer, client_id: str
    ) -> None:
        self._request = request
        self._stack = stack
        self._issuer = issuer
        self._client_ids = (f"{client_id}-{n}" for n in itertools.count(1))

    def __call__(
        self,
        build: Callable[[S], FastAPI],
        settings_type: type[S],
        /,
        *,
        fakes: Fakes | None = None,
        empty_tables: Sequence[str] = (),
        **sections: Any,
    ) -> ServiceApps[S]:
        """`fakes` (component type -> factory) are swapped into every app, before it starts;
        `empty_tables` are emptied after the test (for services whose tests share rows they
        count); `sections` are the service's own, merged over the base."""
        wanted = [n for n in settings_type.model_fields if sections.get(n, {}) is not None]
        base = {name: make() for name, make in self._base().items() if name in wanted}
        if empty_tables:
            self._stack.callback(_empty, self._request.getfixturevalue("db_engine"), empty_tables)
        return ServiceApps(
            build,
            settings_type,
            _merged(base, sections),
            client_ids=self._client_ids,
            fakes=fakes or {},
            stack=self._stack,
        )

    def _base(self) -> dict[str, Callable[[], dict[str, Any]]]:
        fixture = self._request.getfixturevalue  # only the servers the service's settings use
        return {
            "database": lambda: {"url": fixture("database_url"), "migrate_at_start": True},
            "mqtt": lambda: {"url": fixture("mqtt_broker").url},
            "auth": lambda: self._issuer.auth_settings().model_dump(),
            "monitor": lambda: {"enabled": False},
            "outbox": lambda: {"poll_interval": 0.05},
        }


def _merged(base: Sections, overrides: Sections) -> dict[str, Any]:
    """Sections of `overrides` merged over `base` field by field; None removes a section."""
    values = dict(base)
    for name, section in overrides.items():
        if section is None:
            values.pop(name, None)
        elif isinstance(section, Mapping) and isinstance(values.get(name), Mapping):
            values[name] = {**values[name], **section}
        else:
            values[name] = section
    return values


def _empty(engine: sa.Engine, tables: Sequence[str]) -> None:
    # A test whose app ran on a database of its own never created them on the session's.
    existing = set(sa.inspect(engine).get_table_names())
    with engine.begin() as connection:
        for table in (t for t in tables if t in existing):
            connection.execute(sa.text(f'DELETE FROM "{table}"'))  # noqa: S608  (the conftest's names)
