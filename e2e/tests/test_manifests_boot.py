"""What Argo CD would apply, booted without a cluster: every overlay's rendered pods as real
processes of the service pexes (e2e/cluster.py, e2e/pods.py), on real PostgreSQL and Mosquitto.
dev runs the whole story through the generated clients; staging and prod boot to ready."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from chassis.local import Mosquitto
from e2e.actors import People
from e2e.cluster import Cluster, overlays
from e2e.cluster_secrets import ClusterSecrets, UnknownSecret
from e2e.manifests import Overlay, Volume
from e2e.pods import Pod, PodFailed, install_image
from e2e.sandbox import ENTRYPOINT, PEX, VENV, WORKDIR, Image, Sandbox, image_env
from e2e.story import a_breach_opens_one_task_whose_completion_resolves_the_alarm

_REPO = Path(__file__).resolve().parents[2]  # the sandbox's root under Pants
SERVICES = tuple(sorted(p.parent.name for p in (_REPO / "services").glob("*/service.toml")))
OVERLAYS = _REPO / "deploy" / "overlays"
ADMIN_PASSWORD = "boot-admin-password"


@pytest.fixture(scope="session")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image]:
    """Each service's image, built as the Dockerfile builds it, from the pex Pants packaged."""
    found = {}
    for service in SERVICES:
        pex = next(
            (d / f"services.{service}" / "pex.pex" for d in (Path.cwd(), _REPO / "dist")
             if (d / f"services.{service}" / "pex.pex").exists()),
            None,
        )  # fmt: skip
        if pex is None:
            pytest.skip(f"no {service} pex: ./pants package services/{service}:pex first")
        found[service] = install_image(service, pex, tmp_path_factory.mktemp(f"image-{service}"))
    return found


def _released(environment: str) -> list[str]:
    """The services `environment` runs: a new one is held until its first release (no pod)."""
    overlay = OVERLAYS / environment
    return [
        s
        for s in SERVICES
        if "newTag: unreleased" not in (overlay / s / "kustomization.yaml").read_text()
    ]


def _database_server() -> str:
    """Where the pods' databases are created: DATABASE_URL's server, else this machine's."""
    return os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def booted(
    environment: str, images: dict[str, Image], broker: Mosquitto, workspace: Path
) -> Iterator[Cluster]:
    secrets = ClusterSecrets(_database_server(), broker.address.url)
    cluster = Cluster(environment, overlays(OVERLAYS / environment), images, secrets, workspace)
    try:
        cluster.boot()
        yield cluster
    finally:
        cluster.stop()
        secrets.drop()


def test_the_dev_overlay_boots_and_carries_the_story_from_reading_to_resolved_alarm(
    images: dict[str, Image], broker: Mosquitto, tmp_path: Path
) -> None:
    with booted("dev", images, broker, tmp_path) as cluster:
        # A platform team's first admin: the users image's own command, with the pods' env.
        cluster.run_once(
            "users",
            ["create-admin", "--username", "admin", "--email", "admin@boot.example.com"],
            {"USERS_ADMIN_PASSWORD": ADMIN_PASSWORD},
        )
        people = People({service: cluster.url_of(service) for service in _released("dev")})
        try:
            admin = people.log_in("admin", ADMIN_PASSWORD)
            operator = people.new_operator(admin)
            technician = people.new_technician()
            a_breach_opens_one_task_whose_completion_resolves_the_alarm(
                operator, technician, broker.address.url
            )
        except AssertionError as failed:
            raise AssertionError(
                f"{failed}\n--- the pods said ---\n{cluster.complaints()}"
            ) from None
        finally:
            people.close()


@pytest.mark.parametrize("environment", ["staging", "prod"])
def test_the_overlay_boots_every_pod_to_ready(
    environment: str, images: dict[str, Image], broker: Mosquitto, tmp_path: Path
) -> None:
    with booted(environment, images, broker, tmp_path) as cluster:
        assert len(cluster.pods) == len(_released(environment)) * 3  # a Job, two replicas each


def test_a_manifest_variable_that_is_no_setting_stops_the_pod_naming_it(
    images: dict[str, Image], broker: Mosquitto, tmp_path: Path
) -> None:
    users = Overlay.build(OVERLAYS / "dev" / "users")
    job = next(w for w in users.workloads() if w.kind == "Job")
    job.container["env"].append({"name": "USERS__AUTHX__FOO", "value": "x"})
    secrets = ClusterSecrets(_database_server(), broker.address.url)
    cluster = Cluster("dev", [users], images, secrets, tmp_path)
    try:
        with pytest.raises(PodFailed) as failed:
            cluster.boot()
    finally:
        cluster.stop()
        secrets.drop()
    assert "dev/users Job users-migrations: exited with code" in str(failed.value)
    assert "authx" in str(failed.value).lower()  # the service's own message, from its output


def test_a_secret_the_test_cannot_make_stops_the_boot_naming_it(
    images: dict[str, Image], broker: Mosquitto, tmp_path: Path
) -> None:
    users = Overlay.build(OVERLAYS / "dev" / "users")
    deployment = next(w for w in users.workloads() if w.kind == "Deployment")
    smtp = {"secretKeyRef": {"name": "users-smtp", "key": "password"}}
    deployment.container["env"].append({"name": "USERS__SMTP__PASSWORD", "valueFrom": smtp})
    secrets = ClusterSecrets(_database_server(), broker.address.url)
    cluster = Cluster("dev", [users], images, secrets, tmp_path)
    try:
        with pytest.raises(
            UnknownSecret, match="dev/users Deployment users: Secret users-smtp key password"
        ):
            cluster.boot()
    finally:
        cluster.stop()
        secrets.drop()
    assert cluster.pods == []  # refused before anything started


def test_a_pod_can_write_only_to_its_writable_volumes(
    images: dict[str, Image], tmp_path: Path
) -> None:
    probe = (
        "import sys\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print('wrote', path)\n"
        "    except OSError as exc:\n"
        "        print('refused', path, exc.strerror)\n"
    )
    outside = tmp_path / "outside"  # a folder this machine can write, hidden by nothing
    outside.mkdir()
    read_only = [f"{outside}/file", "/srv/file", "/opt/fleet/pex-root/file"]
    sandbox = Sandbox(images["users"], tmp_path / "pod", [Volume("/var/tmp", None, "1Mi")])
    argv = ["python3.11", "-c", probe, "/var/tmp/scratch", *read_only]
    pod = Pod.start("probe", sandbox, argv, image_env("users"))
    pod.run_to_completion(within=30)

    assert pod.tail().splitlines() == [
        "wrote /var/tmp/scratch",
        *(f"refused {path} Read-only file system" for path in read_only),
    ]
    assert list(outside.iterdir()) == []


def test_pods_run_the_image_the_dockerfile_builds() -> None:
    # The harness lays the image out by hand (e2e/pods.py): a Dockerfile change must change it.
    dockerfile = (_REPO / "Dockerfile").read_text().replace("\\\n", " ")
    stage = dict(re.findall(r"^FROM \S+ AS (\w+)\n(.*?)(?=^FROM |\Z)", dockerfile, re.M | re.S))
    env_line = re.search(r"^ENV (.*)$", stage["base"], re.M)
    assert env_line is not None
    env = dict(pair.split("=", 1) for pair in shlex.split(env_line[1]))
    run = image_env("users")
    assert env == {k: run[k] for k in env} | {"FLEET_SERVICE": "${SERVICE}"}
    assert f"WORKDIR {WORKDIR}\n" in stage["base"]
    assert f"PEX_TOOLS=1 {PEX} venv --compile {VENV} " in stage["install"]  # as install_image
    assert f'ENTRYPOINT ["{ENTRYPOINT}"]\nCMD ["serve"]' in stage["prod"]
