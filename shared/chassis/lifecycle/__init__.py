"""Components: the things a service runs besides its routes (database, bus, clients, relays).

Each has a start/stop contract with no side effects in `__init__`; the app starts them in the
order given and stops them in reverse, so the bus stops before the database it writes to.
A component that must not run on what it finds (a schema this release may not use) raises a
`StartupRefused`: the service stops with its message in one line, exit code 1, no traceback.

>>> class Clock(Component):
...     name = "clock"
...     async def start(self) -> None: ...
>>> app = create_app(settings, components=[Database(...), Clock()])

Work a component does in the background (poll, retry, refresh) is a `BackgroundLoop`: one pass
every interval or when woken, backoff after failures, health, and a clean stop.
"""

from chassis.lifecycle.background import cancel
from chassis.lifecycle.component import Component, Components, Health, StartupRefused
from chassis.lifecycle.loop import BackgroundLoop, Backoff

__all__ = [
    "BackgroundLoop",
    "Backoff",
    "Component",
    "Components",
    "Health",
    "StartupRefused",
    "cancel",
]
