"""`./fleet new NAME`: a new service in the one shape, written from the templates in template/.

The templates (Jinja2, templates.py) are the files of a service, its events' contracts module
and its docs page, rendered with `_Shape.context`: its values, the flags `database`, `mqtt` and
`events`, and `calls`, one `_Callee.values` per service called (`{% for call in calls %}`).
Which templates are written, and how often, `_WRITTEN_WHEN` and `_WRITTEN_PER_CALL` say.

Everything is checked before anything is written: a refused service leaves no file behind.
"""

from __future__ import annotations

import importlib.resources
import json
import keyword
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fleet.config import MONITOR_PORT
from fleet.descriptor import NAME, Descriptor, DescriptorError, descriptors, identity_of
from scaffold.templates import Context, TemplateError, holds, names, render_folder

_RESOURCE = re.compile(r"^[a-z][a-z0-9]{1,29}$")
_NAME_RULE = "2-30 lowercase letters and digits, starting with a letter"
# A service's name is also a settings section of every service that calls it, and a parameter
# or fixture of the code generated around it: names that would clash with those are refused.
_SECTIONS = frozenset(
    {"auth", "database", "environment", "http", "logging", "monitor", "mqtt", "name", "outbox"}
    | {"tracing", "account", "tokens", "worker"}
)
_LOCALS = frozenset({"answer", "body", "build", "creator", "fakes", "idempotency", "new"})
_LOCALS |= frozenset({"principal", "status", "store", "tx", "work", "app", "apps"})
# Resource names the generated modules and objects already use for something else.
_TAKEN_RESOURCES = frozenset(
    {"cursor", "dep", "error", "event", "limit", "name", "new", "page", "port", "record"}
    | {"schema", "self", "store", "table", "work", "answer", "body", "model"}
)
_FIRST_PORT = 8001
# The templates (by their names under template/) only some services have: written when their
# condition holds (a Jinja expression over the context), or once per service called, as `call`.
# Every other template is written for every service.
_WRITTEN_WHEN = {
    "services/{{name}}/adapters/clients/__init__.py": "calls",
    "services/{{name}}/adapters/memory.py": "not database",
    "services/{{name}}/adapters/repository.py": "database",
    "services/{{name}}/adapters/tables.py": "database",
    "services/{{name}}/adapters/work.py": "database",
    "services/{{name}}/migrations/__init__.py": "database",
    "services/{{name}}/migrations/env.py": "database",
    "services/{{name}}/migrations/versions/r0001_{{resources}}.py": "database",
    "services/{{name}}/tests/integration/test_events.py": "events",
    "shared/contracts/{{name}}.py": "events",
}
_WRITTEN_PER_CALL = frozenset(
    {
        "services/{{name}}/adapters/clients/{{call.name}}.py",
        "services/{{name}}/tests/integration/test_{{call.name}}_references.py",
        "services/{{name}}/tests/unit/test_{{call.name}}_references.py",
    }
)


class Refused(Exception):
    """The service cannot be made as asked; nothing was written. The message says why."""


@dataclass(frozen=True)
class NewService:
    """What `./fleet new` was asked for."""

    name: str
    resource: str = "item"
    calls: tuple[str, ...] = ()
    port: int | None = None  # None: the next port after the highest a descriptor uses
    database: bool = True
    mqtt: bool = True
    summary: str | None = None


@dataclass(frozen=True)
class _Callee:
    name: str
    port: int

    @property
    def ref(self) -> str:
        """What one of its resources is called here: the service's name without a final s."""
        return self.name.removesuffix("s")

    @property
    def values(self) -> dict[str, str]:
        return {
            "name": self.name,
            "Name": self.name.capitalize(),
            "port": str(self.port),
            "ref": self.ref,
            "ref_id": f"{self.ref}_id",
            "ref_a": article(self.ref),
            "Ref_a": article(self.ref).capitalize(),
        }


@dataclass(frozen=True)
class _Shape:
    """A new service, checked: everything the templates need."""

    ask: NewService
    port: int
    identity_port: int
    callees: tuple[_Callee, ...]
    flags: Mapping[str, bool]

    @property
    def values(self) -> dict[str, str]:
        ask, resources = self.ask, plural(self.ask.resource)
        summary = ask.summary or f"{resources}: created, read and listed"
        options = "".join(f" --calls {c.name}" for c in self.callees)
        options += "" if ask.resource == "item" else f" --resource {ask.resource}"
        options += "" if ask.database else " --no-database"
        options += "" if ask.mqtt else " --no-mqtt"
        return {
            "name": ask.name,
            "Name": ask.name.capitalize(),
            "NAME": ask.name.upper(),
            "resource": ask.resource,
            "Resource": ask.resource.capitalize(),
            "resources": resources,
            "a": article(ask.resource),
            "A": article(ask.resource).capitalize(),
            "port": str(self.port),
            "identity_port": str(self.identity_port),
            "calls_toml": ", ".join(json.dumps(c.name) for c in self.callees),
            "summary_toml": json.dumps(summary),
            "summary_py": _python_text(summary),
            "summary_sentence": summary[:1].upper() + summary[1:].rstrip(".") + ".",
            "options": options,
            "fields_doc": "".join(f", {c.ref}_id" for c in self.callees),
        }

    @property
    def context(self) -> dict[str, object]:
        """What the templates are rendered with; `calls` is empty, so false, when none is."""
        return {**self.values, **self.flags, "calls": [c.values for c in self.callees]}


def plural(word: str) -> str:
    """The English plural of a resource's name, as far as a rule goes: item -> items."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def article(word: str) -> str:
    """The article before `word`: an item, a part."""
    return "an" if word[:1] in ("a", "e", "i", "o", "u") else "a"


def create(root: Path, ask: NewService) -> list[str]:
    """Check `ask` against the fleet in `root`, then write the new service's files and tidy
    their imports and layout (ruff, as the repository configures it). The paths written."""
    files = render(root, ask)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    _tidy(root, [p for p in files if p.endswith(".py")])
    return list(files)


def render(root: Path, ask: NewService) -> dict[str, str]:
    """The new service's files by path from `root`, or Refused naming every reason why not."""
    shape = _checked(root, ask)
    context = shape.context
    folder = importlib.resources.files("scaffold") / "template"
    unknown = sorted((_WRITTEN_WHEN.keys() | _WRITTEN_PER_CALL) - set(names(folder)))
    if unknown:
        raise TemplateError(f"no such template: {', '.join(unknown)}")

    def contexts(template: str) -> Sequence[Context]:
        if template in _WRITTEN_PER_CALL:
            return [{**context, "call": callee.values} for callee in shape.callees]
        when = _WRITTEN_WHEN.get(template)
        return [context] if when is None or holds(when, context) else []

    files = dict(render_folder(folder, contexts))
    existing = sorted(p for p in files if (root / p).exists())
    if existing:
        raise Refused(f"{ask.name}: would overwrite {', '.join(existing)}")
    return files


def _checked(root: Path, ask: NewService) -> _Shape:
    try:
        fleet = descriptors(root)
    except DescriptorError as exc:
        raise Refused(f"the fleet's descriptors are not valid: {exc}") from None
    problems = _name_problems(root, ask.name, fleet) + _resource_problems(ask, fleet)
    callees = []
    for name in dict.fromkeys(ask.calls):  # in order, once each
        if name not in fleet:
            known = ", ".join(sorted(fleet)) or "none"
            problems.append(f"--calls {name}: no such service (services: {known})")
        elif name in _LOCALS:
            problems.append(f"--calls {name}: the generated code uses {name!r} for itself")
        else:
            callees.append(_Callee(name, fleet[name].port))
    refs = [c.ref for c in callees]
    problems += [
        f"--calls: two services make {r}_id" for r in sorted(set(refs)) if refs.count(r) > 1
    ]
    port = ask.port if ask.port is not None else _next_port(fleet)
    problems += _port_problems(port, fleet)
    if problems:
        raise Refused("; ".join(problems))
    identity = identity_of(fleet)
    flags = {
        "database": ask.database,
        "mqtt": ask.mqtt,
        "events": ask.database and ask.mqtt,  # events leave through the outbox, in the database
    }
    return _Shape(
        ask=ask,
        port=port,
        identity_port=identity.port if identity else _FIRST_PORT,
        callees=tuple(sorted(callees, key=lambda c: c.name)),
        flags=flags,
    )


def _name_problems(root: Path, name: str, fleet: Mapping[str, Descriptor]) -> list[str]:
    if not NAME.match(name):
        return [f"{name!r} is not a service name ({_NAME_RULE})"]
    if name in fleet or (root / "services" / name).exists():
        return [f"a service named {name} exists (services/{name})"]
    # Packages share one namespace (pants.toml's source roots): one would hide the other.
    roots = ("shared/", "tools/", "e2e/clients/", "")
    taken = [f"{folder}{name}" for folder in roots if (root / f"{folder}{name}").exists()]
    if taken:
        return [f"{name} is taken: {taken[0]} exists, and Python imports both by that name"]
    if keyword.iskeyword(name) or name in sys.stdlib_module_names or name in _requirements(root):
        return [f"{name} is taken: a Python module of that name comes with Python or a requirement"]
    if name in _SECTIONS or name in _LOCALS:
        return [f"{name} is taken: every service has a setting or code named {name!r}"]
    return []


def _resource_problems(ask: NewService, fleet: Mapping[str, Descriptor]) -> list[str]:
    resource = ask.resource
    if not _RESOURCE.match(resource):
        return [f"--resource {resource!r}: {_NAME_RULE}"]
    if resource in _TAKEN_RESOURCES or any(map(keyword.iskeyword, (resource, plural(resource)))):
        return [f"--resource {resource}: the generated code uses {resource!r} for itself"]
    event = f"{resource}.created"
    publisher = next((d.name for d in fleet.values() if d.mqtt and event in d.mqtt.publishes), None)
    if ask.database and ask.mqtt and publisher is not None:
        return [f"--resource {resource}: {publisher} publishes {event} already (pick another)"]
    return []


def _next_port(fleet: Mapping[str, Descriptor]) -> int:
    port = max((d.port for d in fleet.values()), default=_FIRST_PORT - 1) + 1
    return port + 1 if port == MONITOR_PORT else port


def _port_problems(port: int, fleet: Mapping[str, Descriptor]) -> list[str]:
    if not 0 < port < 65536:
        return [f"--port {port}: a port is 1-65535"]
    if port == MONITOR_PORT:
        return [f"--port {port}: the fleet monitor's port"]
    holders = sorted(d.name for d in fleet.values() if d.port == port)
    if holders:
        return [f"--port {port}: {holders[0]} uses it (services/{holders[0]}/service.toml)"]
    return []


def _requirements(root: Path) -> set[str]:
    """Import names the third-party requirements likely take (their project names)."""
    path = root / "3rdparty" / "python" / "requirements.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    names = (re.split(r"[\s\[<>=!~;]", line.strip(), maxsplit=1)[0] for line in lines)
    return {n.lower().replace("-", "_") for n in names if n and not n.startswith("#")}


def _python_text(text: str) -> str:
    """`text` as a Python string literal that keeps lines short (split in parentheses)."""
    if len(text) <= 60:
        return json.dumps(text)
    words, chunks, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + len(word) > 60:
            chunks.append(line)
            line = ""
        line += word + " "
    chunks.append(line.rstrip())
    inner = "\n".join(f"        {json.dumps(chunk)}" for chunk in chunks)
    return f"(\n{inner}\n    )"


def _tidy(root: Path, paths: list[str]) -> None:
    """Sort the imports and format the new Python files as the repository's ruff wants them:
    where a service's name sorts among the chassis's, its imports go first, say."""
    if not paths:
        return
    # Collapsed where it fits: the templates explode lists whose items they repeat or leave out.
    compact = ["--config", "format.skip-magic-trailing-comma = true"]
    for args in (["check", "--fix", "--select", "I", "--quiet"], ["format", *compact, "--quiet"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, *paths],
            cwd=root,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"ruff {args[0]} failed on the new service:\n{done.stdout}{done.stderr}"
            )
