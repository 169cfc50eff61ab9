"""The services the scale benchmark generates: `svc01`, `svc02`, ... in the shapes a platform
team's fleet has. Most keep a database and use the broker and call a sample service or the
generated service before them; every fourth has no database or no broker."""

from __future__ import annotations

from dataclasses import dataclass

# What each one keeps: its events (`<resource>.created`) must not clash, and none is a word the
# generated code or the samples use for something else.
_RESOURCES = (
    "part", "shipment", "invoice", "supplier", "pallet", "shift", "vehicle", "permit",
    "inspection", "meter", "valve", "tool", "crew", "gauge", "spare", "hose", "motor", "belt",
    "label", "badge", "ticket", "visit", "quote", "lot",
)  # fmt: skip


@dataclass(frozen=True)
class Shape:
    """One `fleet new` to run."""

    name: str
    resource: str
    calls: tuple[str, ...]
    database: bool = True
    mqtt: bool = True

    @property
    def args(self) -> list[str]:
        """`fleet new`'s arguments for it."""
        args = [self.name, "--resource", self.resource]
        args += [f"--calls={callee}" for callee in self.calls]
        args += [] if self.database else ["--no-database"]
        args += [] if self.mqtt else ["--no-mqtt"]
        return args


def name_of(number: int) -> str:
    return f"svc{number:02d}"


def shapes(count: int, sample: str) -> list[Shape]:
    """`count` services: odd ones call `sample` (a sample service), even ones the one before;
    the 2nd, 10th, 18th... have no database, the 6th, 14th... no broker; each 10th calls both."""
    made = []
    for number in range(1, count + 1):
        calls: tuple[str, ...] = (sample,) if number % 2 else (name_of(number - 1),)
        if number % 10 == 0:
            calls = (sample, *calls)
        resource = _RESOURCES[(number - 1) % len(_RESOURCES)]
        if number > len(_RESOURCES):  # one word per service, so each event type is its own
            resource += str(number)
        made.append(
            Shape(
                name=name_of(number),
                resource=resource,
                calls=calls,
                database=number % 8 != 2,
                mqtt=number % 8 != 6,
            )
        )
    return made
