"""Subscriptions: a topic filter, its handler, the model the handler declares, and decoding."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from paho.mqtt.client import topic_matches_sub
from pydantic import TypeAdapter, ValidationError

from chassis.mqtt.settings import DedicatedConnection
from contracts import Event, event_model

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
    _adapter: TypeAdapter[Any] | None = field(default=None, init=False, repr=False)
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
        if self.model is not bytes and self.model is not Event:
            self._adapter = TypeAdapter(self.model)
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
        if self.model is bytes:
            return payload
        try:
            if self._adapter is not None:
                return self._adapter.validate_json(payload)
            return _any_event(payload)
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


def _any_event(payload: bytes) -> Event[Any]:
    # A handler of bare `Event` takes any event Fleet knows; its data is typed by the registry.
    envelope = Event[dict[str, Any]].model_validate_json(payload)
    model = event_model(envelope.type, envelope.version)
    if model is None:
        raise Undecodable("unknown_event", f"no contract for {envelope.type} v{envelope.version}")
    return Event[model].model_validate_json(payload)  # type: ignore[valid-type]


def _summary(exc: ValidationError) -> str:
    parts = [f"{'.'.join(map(str, e['loc'])) or '(payload)'}: {e['msg']}" for e in exc.errors()]
    return "; ".join(parts[:10])
