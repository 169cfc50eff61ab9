import dataclasses
import difflib

import pytest

from fleet.descriptor import Descriptor
from scaffold import overlays
from scaffold.artifacts import Artifact
from scaffold.overlays import EnvironmentFileError, ReplicasMissing
from scaffold.tests.fleets import ROOT, this_repository

TASKS = next(d for d in this_repository() if d.name == "tasks")
ENVIRONMENTS = overlays.environments(ROOT)


def _overlay(d: Descriptor, env: str) -> Artifact:
    path = f"{overlays.FOLDER}/{env}/{d.name}/kustomization.yaml"
    [artifact] = [a for a in overlays.artifacts([d], ENVIRONMENTS) if a.path == path]
    return artifact


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def _released() -> list[tuple[Descriptor, str]]:
    """This repository's overlays that a release has tagged (a held one is still its seed)."""
    return [
        (d, env)
        for d in this_repository()
        for env in (e.name for e in ENVIRONMENTS)
        if "newTag: unreleased" not in (ROOT / _overlay(d, env).path).read_text()
    ]


@pytest.mark.parametrize(("d", "env"), _released(), ids=lambda v: getattr(v, "name", v))
def test_a_seeded_overlay_has_the_shape_of_the_committed_ones(d: Descriptor, env: str) -> None:
    committed = (ROOT / _overlay(d, env).path).read_text()
    seeded = _overlay(d, env).render(None)
    tag = next(line for line in committed.splitlines() if "newTag:" in line)
    assert _changed_lines(committed, seeded) == [
        f"-{tag}",
        "+    newTag: unreleased",
        "+components:",
        f"+  - ../../../unreleased  # held at zero replicas until its first release"
        f" (no image of {d.name} yet)",
    ]


def test_an_existing_overlay_takes_the_descriptors_replicas_and_nothing_else() -> None:
    committed = (ROOT / _overlay(TASKS, "staging").path).read_text()
    scaled = dataclasses.replace(TASKS, replicas={**TASKS.replicas, "staging": (4, 12)})
    assert _changed_lines(committed, _overlay(scaled, "staging").render(committed)) == [
        "-      - {op: replace, path: /spec/minReplicas, value: 2}",
        "-      - {op: replace, path: /spec/maxReplicas, value: 3}",
        "+      - {op: replace, path: /spec/minReplicas, value: 4}",
        "+      - {op: replace, path: /spec/maxReplicas, value: 12}",
    ]


def test_an_existing_overlay_keeps_the_tag_a_release_wrote() -> None:
    committed = (ROOT / _overlay(TASKS, "dev").path).read_text()
    assert _overlay(TASKS, "dev").render(committed) == committed


def test_an_overlay_without_its_hpa_patch_is_refused_naming_it() -> None:
    committed = (ROOT / _overlay(TASKS, "dev").path).read_text()
    edited = committed.replace("/spec/maxReplicas", "/spec/behavior")
    with pytest.raises(ReplicasMissing, match=r"dev/tasks/kustomization\.yaml: .*maxReplicas"):
        _overlay(TASKS, "dev").render(edited)


def test_prod_gets_a_stand_in_for_its_pinned_render_only_when_it_has_none() -> None:
    path = f"{overlays.FOLDER}/prod/tasks/rendered/kustomization.yaml"
    [stand_in] = [a for a in overlays.artifacts([TASKS], ENVIRONMENTS) if a.path == path]
    assert "  - ../../../../rendered/tasks\n" in stand_in.render(None)
    assert stand_in.render("a promoted copy\n") == "a promoted copy\n"


def test_a_descriptor_naming_an_environment_without_a_folder_is_refused_naming_it() -> None:
    typo = dataclasses.replace(TASKS, replicas={"stagin": (2, 4)})
    with pytest.raises(EnvironmentFileError, match=r"services/tasks: replicas\.stagin"):
        overlays.artifacts([typo], ENVIRONMENTS)


def test_each_environment_says_what_new_overlays_start_from() -> None:
    by_name = {e.name: e for e in ENVIRONMENTS}
    assert {name: e.replicas for name, e in by_name.items()} == {
        "dev": (1, 2),
        "staging": (2, 3),
        "prod": (3, 10),
    }
    assert [e.name for e in ENVIRONMENTS if e.pinned] == ["prod"]
