"""docker-compose.dev.yml's entries: each service in its image's `dev` stage, synced by watch.

`docker compose watch` copies the service's sources and the shared packages over the copies its
dev image keeps in the venv, and rebuilds the image when the service's pex changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from fleet.descriptor import Descriptor
from scaffold.artifacts import Artifact
from scaffold.region import region

FILE = "docker-compose.dev.yml"
# The packages in shared/ every service's venv holds (test_dev_compose.py checks the folder).
SHARED = ("chassis", "contracts")
SITE = "/opt/fleet/venv/lib/python3.11/site-packages"


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    body = "\n".join(_service(d.name, first=i == 0) for i, d in enumerate(fleet))
    return [Artifact(FILE, region(FILE, "# ", body))]


def _service(name: str, *, first: bool) -> str:
    """The first entry spells out the shared packages' rules under anchors; the rest use them."""
    own = _rule(f"./services/{name}", name)
    watch = [f"- {own[0]}", *(f"  {field}" for field in own[1:])]
    for package in SHARED:
        rule = _rule(f"./shared/{package}", package)
        watch += (
            [f"- &{package}", *(f"  {field}" for field in rule)] if first else [f"- *{package}"]
        )
    watch.append(f"- {{action: rebuild, path: ./dist/services.{name}/pex.pex}}")
    lines = [f"{name}:", f"  image: fleet/{name}:dev", "  build: {target: dev}"]
    lines += ["  read_only: false", "  develop:", "    watch:", *(f"      {w}" for w in watch)]
    return "".join(f"  {line}\n" for line in lines)


def _rule(path: str, package: str) -> list[str]:
    """Copy a saved file of `path` over the package's copy in the venv, then restart."""
    target = f"{SITE}/{package}"
    return ["action: sync+restart", f"path: {path}", f"target: {target}", "ignore: [tests/]"]
