"""The contract gate: each service's client in e2e/clients/ was generated from the API the service
has now. When a test here fails: `./fleet clients`, review the diff, commit it."""

from __future__ import annotations

import shutil
from pathlib import Path

from fleet.catalog import Service
from fleet.clients import CLIENTS_DIR, differences, generate

COMMITTED = Path(__file__).resolve().parents[3] / CLIENTS_DIR


def _services(dist: Path) -> list[Service]:
    pexes = sorted(dist.glob("services.*/pex.pex"))
    return [Service(p.parent.name.removeprefix("services."), 0, p) for p in pexes]


def test_every_service_has_a_committed_client(dist: Path) -> None:
    missing = [s.name for s in _services(dist) if not (COMMITTED / f"{s.name}_client").is_dir()]
    assert not missing, f"no client in {CLIENTS_DIR} for {missing}: run ./fleet clients"


def test_each_committed_client_matches_its_service_api(dist: Path, tmp_path: Path) -> None:
    stale = []
    for service in _services(dist):
        fresh = generate(service, tmp_path)
        stale += differences(COMMITTED / fresh.name, fresh)
    assert not stale, f"generated from an older API (run ./fleet clients): {stale}"


def test_a_client_behind_its_api_is_caught(dist: Path, tmp_path: Path) -> None:
    fresh = generate(_services(dist)[0], tmp_path / "fresh")
    behind = tmp_path / "behind" / fresh.name
    shutil.copytree(fresh, behind)
    (behind / "openapi.json").write_text("{}")
    (behind / "errors.py").unlink()
    assert differences(behind, fresh) == [f"{fresh.name}/errors.py", f"{fresh.name}/openapi.json"]
