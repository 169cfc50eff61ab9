"""Components: the things a service runs besides its routes (database, bus, clients, relays).

Each has a start/stop contract with no side effects in `__init__`; the app starts them in the
order given and stops them in reverse, so the bus stops before the database it writes to.
A component that must not run on what it finds (a schema this release may not use) raises a
`StartupRefused`: the service stops with its message in one line, exit code 1, no traceback.

>>> class Clock(Component):
...     name = "clock"
...     async def start(self) -> None: ...
>>> app = create_app(settings, components=[Database(...), Clock()])
"""

from chassis.lifecycle.background import cancel
from chassis.lifecycle.component import Component, Components, Health, StartupRefused

__all__ = ["Component", "Components", "Health", "StartupRefused", "cancel"]
