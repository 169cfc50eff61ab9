"""Components: the things a service runs besides its routes (database, bus, clients, relays).

Each has a start/stop contract with no side effects in `__init__`; the app starts them in the
order given and stops them in reverse, so the bus stops before the database it writes to.

>>> class Clock(Component):
...     name = "clock"
...     async def start(self) -> None: ...
>>> app = create_app(settings, components=[Database(...), Clock()])
"""

from chassis.lifecycle.background import cancel
from chassis.lifecycle.component import Component, Components, Health

__all__ = ["Component", "Components", "Health", "cancel"]
