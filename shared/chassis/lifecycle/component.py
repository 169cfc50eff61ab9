"""The component contract and the ordered set of components an app runs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from chassis.logging import tagged_logger

_log = tagged_logger("APP")

C = TypeVar("C", bound="Component")


class StartupRefused(RuntimeError):
    """A component refuses to start on purpose: the state it finds is one it must not run on
    (a schema this release may not use, no worker id free, no signing key). The message says
    why and what to do; `serve` prints it as one line and exits 1, without a traceback. Any
    other exception at start is a bug, and keeps its traceback."""


@dataclass(frozen=True)
class Health:
    """A dependency's state as /health/ready reports it."""

    status: Literal["up", "down"]
    detail: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def up(cls, **info: Any) -> Health:
        return cls("up", None, info)

    @classmethod
    def down(cls, detail: str, **info: Any) -> Health:
        return cls("down", detail, info)


class Component:
    """Something a service runs. Subclasses override what they need.

    `required`: when its health is down, /health/ready answers 503 (the pod leaves the load
    balancer). Optional components degrade the service without taking it out.
    """

    name: str = "component"
    required: bool = True

    async def start(self) -> None:
        """Connect, open pools, spawn background work. Raise to abort startup."""

    async def stop(self) -> None:
        """Finish or hand back work in progress, then release resources. Must not raise."""

    def health(self) -> Health:
        return Health.up()


class Components:
    """The ordered components of one app, found by type (`components.get(Database)`)."""

    def __init__(self, components: Sequence[Component]) -> None:
        names = [c.name for c in components]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"two components share the name(s) {sorted(duplicates)}")
        self._items = list(components)
        self._swapped: dict[type[Component], Component] = {}
        self._started: list[Component] = []

    def __iter__(self) -> Iterator[Component]:
        return iter(self._items)

    def get(self, kind: type[C]) -> C:
        if kind in self._swapped:
            return self._swapped[kind]  # type: ignore[return-value]
        for component in self._items:
            if isinstance(component, kind):
                return component
        raise LookupError(f"no {kind.__name__} component; the app has {self.names()}")

    def swap(self, kind: type[Component], replacement: Component) -> None:
        """Put `replacement` where the component of type `kind` was (same start order), and
        hand it to whoever asks for `kind`. Unknown kinds fail loudly: a typo must not leave
        the real adapter in place."""
        for index, component in enumerate(self._items):
            if isinstance(component, kind):
                self._items[index] = replacement
                self._swapped[kind] = replacement
                return
        raise LookupError(f"no {kind.__name__} component to swap; the app has {self.names()}")

    def names(self) -> list[str]:
        return [c.name for c in self._items]

    async def start(self) -> None:
        for component in self._items:
            _log.debug("starting %s", component.name)
            try:
                await component.start()
            except StartupRefused as refusal:
                _log.error("%s refused to start: %s", component.name, refusal)
                await self.stop()
                raise
            except BaseException:
                _log.error("%s failed to start; stopping the ones already started", component.name)
                await self.stop()
                raise
            self._started.append(component)
        if self._items:
            _log.info("started %s", ", ".join(self.names()))

    async def stop(self) -> None:
        while self._started:
            component = self._started.pop()
            try:
                await component.stop()
            except Exception:
                _log.exception("%s failed to stop cleanly", component.name)
