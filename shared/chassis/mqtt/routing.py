"""Subscriptions: a topic filter, its handler, the model the handler declares, and decoding.

A handler names the events it takes: `Event[TaskCompleted]`, or a union such as
`Event[TaskCreated] | Event[TaskCompleted]` for several on one filter, each decoded by the type and
version its envelope names; one it does not name is an `unknown_event`. There is no fleet-wide
list of events to look types up in: a service depends on the events it handles, no others.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from paho.mqtt.client import topic_matches_sub
from pydantic import BaseModel, TypeAdapter, ValidationError

from chassis.mqtt.settings import DedicatedConnection
from contracts import Event, EventData

Handler = Callable[..., Awaitable[None]]
"""`async def handle(message: Model) -> None`, or `(message: Model, delivery: Delivery)`."""


@dataclass(frozen=True)
class Delivery:
    """What a handler may want besides the payload: where it came from and in which work."""

    topic: str
    correlation_id: str
    redelivered: bool = False
    retained: bool = False
    payload: bytes = b""


class Undecodable(Exception):
    """A payload no retry can fix; `reason` names the kind for the dead letter and metrics."""

    def __init__(self, reason: str, error: str) -> None:
        super().__init__(error)
        self.reason = reason
        self.error = error


@dataclass
class Subscription:
    """One topic filter (`+`, `#`, `$share/<group>/...`) and the handler of its messages."""

    topic_filter: str
    handler: Handler
    model: Any = None
    name: str = ""
    concurrency: int = 1
    dedicated: DedicatedConnection | None = None
    # The payload as it came (a handler of `bytes`), else the model's or the events' decoder.
    _decode: Callable[[bytes], Any] = field(default=bytes, init=False, repr=False)
    _wants_delivery: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        params = list(inspect.signature(self.handler).parameters.values())
        if not 1 <= len(params) <= 2:
            raise TypeError(f"{self.handler!r} must take (message) or (message, delivery)")
        self._wants_delivery = len(params) == 2
        if self.model is None:
            self.model = _declared_model(self.handler, params[0].name)
        if self.model is Event:
            raise TypeError(
                f"{self.handler!r} takes a bare Event: name its events (Event[TaskCompleted], "
                "or a union Event[A] | Event[B]), or Event[dict[str, Any]] for any event's raw data"
            )
        if (events := _events_of(self.model)) is not None:
            self._decode = functools.partial(_one_of, events)
        elif self.model is not bytes:
            self._decode = TypeAdapter(self.model).validate_json
        self.name = self.name or getattr(self.handler, "__qualname__", self.topic_filter)

    @property
    def plain_filter(self) -> str:
        """The filter without its `$share/<group>/` prefix: what topics it matches."""
        if self.topic_filter.startswith("$share/"):
            return self.topic_filter.split("/", 2)[2]
        return self.topic_filter

    def matches(self, topic: str) -> bool:
        return bool(topic_matches_sub(self.plain_filter, topic))

    def decode(self, payload: bytes) -> Any:
        """The handler's model from `payload`, or Undecodable naming why not."""
        try:
            return self._decode(payload)
        except ValidationError as exc:
            malformed = any(e["type"] == "json_invalid" for e in exc.errors())
            reason = "malformed_json" if malformed else "invalid_schema"
            raise Undecodable(reason, _summary(exc)) from exc

    async def call(self, message: Any, delivery: Delivery) -> None:
        if self._wants_delivery:
            await self.handler(message, delivery)
        else:
            await self.handler(message)


def _declared_model(handler: Handler, param: str) -> Any:
    try:
        hints = typing.get_type_hints(handler)
    except NameError as exc:
        raise TypeError(f"cannot resolve the annotations of {handler!r}; pass model=") from exc
    if param not in hints:
        raise TypeError(f"annotate the first parameter of {handler!r} or pass model=")
    return hints[param]


def _events_of(model: Any) -> dict[tuple[str, int], TypeAdapter[Any]] | None:
    """For `Event[Data]` or a union of them: each one's adapter by its (type, version); for
    any other model, None."""
    union = typing.get_origin(model) in (typing.Union, types.UnionType)
    events = {}
    for member in typing.get_args(model) if union else (model,):
        data = _event_data(member)
        if data is None:
            return None  # a union of other models: pydantic tries each in turn
        events[data.event_type, data.event_version] = TypeAdapter(member)
    return events


def _event_data(model: Any) -> type[EventData] | None:
    """`Data` of `Event[Data]`, or None for any other model."""
    if not (isinstance(model, type) and issubclass(model, Event)):
        return None
    args = model.__pydantic_generic_metadata__["args"]
    data = args[0] if args else None
    return data if isinstance(data, type) and issubclass(data, EventData) else None


class _Kind(BaseModel):
    """What an envelope says it holds: enough to pick the model that decodes it."""

    type: str
    version: int = 1


def _one_of(events: dict[tuple[str, int], TypeAdapter[Any]], payload: bytes) -> Event[Any]:
    # The envelope's own fields pick the model: a payload is validated against one, not each.
    kind = _Kind.model_validate_json(payload)
    adapter = events.get((kind.type, kind.version))
    if adapter is None:
        raise Undecodable("unknown_event", f"no contract for {kind.type} v{kind.version}")
    event: Event[Any] = adapter.validate_json(payload)
    return event


def _summary(exc: ValidationError) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or '(payload)'}: {e['msg']}" for e in exc.errors()]
    return "; ".join(parts[:10])
