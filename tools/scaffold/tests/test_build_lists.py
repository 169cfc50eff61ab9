"""A new service joins the build's lists: Pants' pexes (the BUILD prelude) and ruff's first-party
packages (pyproject.toml), both generated from the descriptors."""

import tomllib
from pathlib import Path
from typing import Any

from fleet.descriptor import Descriptor
from scaffold import build_lists

ROOT = Path.cwd()  # the sandbox's root: build-support/ and pyproject.toml (//:build-config)
FLEET = [Descriptor("users", 8001, identity=True), Descriptor("billing", 8010)]


def _render(path: str) -> str:
    artifact = next(a for a in build_lists.artifacts(FLEET) if a.path == path)
    return artifact.render((ROOT / path).read_text())


def test_the_prelude_gives_build_files_every_service_pex_in_the_fleets_order() -> None:
    symbols: dict[str, Any] = {}
    exec(_render(build_lists.PRELUDE), symbols)  # noqa: S102 (how Pants loads a prelude)
    assert symbols["service_pexes"]() == ["services/users:pex", "services/billing:pex"]


def test_ruff_takes_each_service_and_its_client_for_first_party() -> None:
    config = tomllib.loads(_render(build_lists.PYPROJECT))
    first_party = config["tool"]["ruff"]["lint"]["isort"]["known-first-party"]
    assert {"users", "users_client", "billing", "billing_client"} <= set(first_party)
    assert "chassis" in first_party  # the hand-written names stay


def test_a_fleet_of_one_is_still_a_tuple_and_of_none_an_empty_list() -> None:
    assert build_lists.prelude(FLEET[:1]) == "SERVICES = ('users',)\n"
    assert build_lists.prelude([]) == "SERVICES = ()\n"
    assert build_lists.first_party([]) == ""
