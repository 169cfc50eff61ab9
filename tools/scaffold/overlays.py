"""deploy/overlays/<env>/<service>/kustomization.yaml: what Argo CD syncs, seeded once per service.

An overlay is seeded when it is missing, in the shape every overlay has, and from then on belongs
to people and releases (`release bump` edits its tag): only its autoscaling bounds follow the
descriptor's [replicas], rewritten in place. A new service has no image yet (no release built
one), so its seeded overlays hold it at zero replicas (release.hold) until its first release.
What a seed sets per environment comes from that environment's `environment.yaml` (`seed:`), so
an environment is one folder: copy one, edit its file, and new services get overlays there too.
An environment with `pinned: true` (prod) builds on a pinned copy of the render (`resources:
[rendered]`) that `release promote` writes; a new service gets a stand-in there until its first
promotion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fleet.descriptor import Descriptor
from release import yamlio
from release.hold import HOLD, PLACEHOLDER
from release.pinned import PINNED
from scaffold.artifacts import Artifact, Renderer
from scaffold.region import RegionMissing
from scaffold.values import host, image_repository

FOLDER = "deploy/overlays"
REGISTRY = "fleetacr.azurecr.io"
COLLECTOR = "http://otel-collector.observability:4318/v1/traces"


@dataclass(frozen=True)
class Environment:
    """What a new service's overlays in one environment start from: the `seed` section of
    deploy/overlays/<name>/environment.yaml (the file Argo CD reads for cluster and namespace)."""

    name: str
    namespace: str
    replicas: tuple[int, int]  # autoscaling bounds, unless a descriptor's [replicas] says others
    subdomain: str  # hosts are <service>.<subdomain>fleet.example.com
    logging: str
    tracing: float | None  # the share of new traces sent to the collector, or off
    resources: str | None  # the container's resources (YAML flow style), or the chart's
    ranges: tuple[str, str] | None  # address ranges of its managed PostgreSQL and broker
    released: str  # how a tag reaches it
    pinned: bool  # builds on its own copy of the render (release.pinned)

    @property
    def header(self) -> str:
        return _PINNED if self.pinned else _LIVE


class EnvironmentFileError(ValueError):
    """An environment file whose `seed` section is missing or wrong."""


def environments(root: Path) -> list[Environment]:
    """Every environment with a folder under deploy/overlays, by name."""
    return [_environment(p) for p in sorted((root / FOLDER).glob("*/environment.yaml"))]


def _environment(path: Path) -> Environment:
    where = f"{FOLDER}/{path.parent.name}/{path.name}"
    data = yamlio.load(path.read_text()) or {}
    seed = data.get("seed")
    if not isinstance(seed, dict):
        raise EnvironmentFileError(
            f"{where}: needs a `seed` section (what new overlays start from)"
        )
    try:
        low, high = seed["replicas"]
        ranges = seed.get("ranges")
        tracing = seed.get("tracing")
        return Environment(
            name=path.parent.name,
            namespace=str(data["namespace"]),
            replicas=(int(low), int(high)),
            subdomain=str(seed.get("subdomain") or ""),
            logging=str(seed["logging"]),
            tracing=None if tracing is None else float(tracing),
            resources=None if seed.get("resources") is None else _flow(seed["resources"]),
            ranges=None if ranges is None else (str(ranges["database"]), str(ranges["broker"])),
            released=str(seed["released"]),
            pinned=bool(seed.get("pinned", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EnvironmentFileError(f"{where}: seed: {exc!r}") from exc


def _flow(value: object) -> str:
    """`value` as a one-line YAML flow mapping, as the overlays write their patches' values."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


_LIVE = "# Only what differs per environment lives here; everything else is deploy/rendered/{s}.\n"
_PINNED = """\
# Only what differs per environment lives here; everything else is the chart's render, pinned:
# rendered/ is the copy of the render staging ran, written by `release promote` with the tags, so
# a chart change reaches prod only through staging (docs/deploy.md, "How a change flows").
"""
_TRACES = 'to the platform\'s OpenTelemetry Collector (docs/deploy.md, "Traces").'


class ReplicasMissing(RegionMissing):
    """The overlay has no HPA patch whose bounds could follow the descriptor."""


def artifacts(fleet: Sequence[Descriptor], envs: Sequence[Environment]) -> list[Artifact]:
    names = {env.name for env in envs}
    unknown = [
        f"services/{d.name}: replicas.{e}" for d in fleet for e in d.replicas if e not in names
    ]
    if unknown:
        raise EnvironmentFileError(
            f"no deploy/overlays/<env>/environment.yaml for {', '.join(unknown)}"
        )
    found = []
    for d in fleet:
        for env in envs:
            folder = f"{FOLDER}/{env.name}/{d.name}"
            found.append(Artifact(f"{folder}/kustomization.yaml", _overlay(folder, d, env)))
            if env.pinned:
                found.append(Artifact(f"{folder}/{PINNED}/kustomization.yaml", _stand_in(d, env)))
    return found


def seed(d: Descriptor, env: Environment) -> str:
    """`d`'s overlay in `env` before its first release: today's shape, held at zero replicas."""
    s, prefix = d.name, d.name.upper()
    low, high = bounds(d, env)
    render = PINNED if env.pinned else f"../../../rendered/{s}"
    lines = [
        f"# {s} in {env.name}: what Argo CD syncs into the {env.namespace} namespace.",
        *env.header.format(s=s).splitlines(),
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        f"namespace: {env.namespace}",
        "resources:",
        f"  - {render}",
        "# Settings for this environment. The hash suffix kustomize adds rolls the pods when they"
        " change.",
        "configMapGenerator:",
        f"  - name: {s}-environment",
        "    literals:",
        f"      - {prefix}__ENVIRONMENT={env.name}",
        f"      - {prefix}__LOGGING__LEVEL={env.logging}",
    ]
    if env.tracing is not None:
        ratio = env.tracing
        share = "Every trace" if ratio >= 1 else f"One new trace in {round(1 / ratio)}"
        lines += [
            f"      # {share}, {_TRACES}",
            f"      - {prefix}__TRACING__ENABLED=true",
            f"      - {prefix}__TRACING__ENDPOINT={COLLECTOR}",
            f"      - {prefix}__TRACING__SAMPLING_RATIO={ratio}",
        ]
    lines += [
        "generatorOptions:",
        "  annotations:",
        '    argocd.argoproj.io/sync-wave: "-1"',
        "patches:",
        *_patch("HorizontalPodAutoscaler", s),
        f"      - {{op: replace, path: /spec/minReplicas, value: {low}}}",
        f"      - {{op: replace, path: /spec/maxReplicas, value: {high}}}",
    ]
    if env.resources:
        lines += [
            *_patch("Deployment", s),
            "      - op: replace",
            "        path: /spec/template/spec/containers/0/resources",
            f"        value: {env.resources}",
        ]
    lines += _egress(d, env)
    lines += [
        *_patch("Ingress", s),
        f"      - {{op: replace, path: /spec/rules/0/host, value: {host(s, env.subdomain)}}}",
        f"      - {{op: replace, path: /spec/tls/0/hosts/0, value: {host(s, env.subdomain)}}}",
        "images:",
        f"  - name: {image_repository(s)}",
        f"    newName: {REGISTRY}/{image_repository(s)}",
        f"    # Bumped by the release workflow ({env.released}); revert that commit to roll back.",
        f"    newTag: {PLACEHOLDER}",
        "components:",
        f"  - {HOLD}  # held at zero replicas until its first release (no image of {s} yet)",
    ]
    return "".join(f"{line}\n" for line in lines)


def _patch(kind: str, service: str) -> list[str]:
    return [f"  - target: {{kind: {kind}, name: {service}}}", "    patch: |-"]


# The chart's egress rules: DNS first, then the database's and the broker's when it uses them.
_SERVERS = (("database", "PostgreSQL", "postgres"), ("broker", "broker", "mosquitto"))
_BOTH = """\
  # Egress to {env}'s managed PostgreSQL and broker, by address range (examples: put yours).
  # Only adds ipBlock peers to the chart's database (egress 1) and broker (egress 2) rules, their
  # ports unchanged; each `test` fails the build if the chart moved the rule (docs/deploy.md).
"""
_ONE = """\
  # Egress to {env}'s managed {label}, by address range (example: put yours).
  # Only adds ipBlock peers to the chart's {kind} rule (egress 1), its port unchanged; the `test`
  # fails the build if the chart moved the rule (docs/deploy.md).
"""


def _egress(d: Descriptor, env: Environment) -> list[str]:
    """The NetworkPolicy patch adding `env`'s address ranges to the database and broker rules."""
    if env.ranges is None:
        return []
    wanted = (d.database, d.mqtt is not None)
    used = [(s, cidr) for s, cidr, w in zip(_SERVERS, env.ranges, wanted, strict=True) if w]
    if not used:
        return []
    [((kind, label, _), _), *more] = used
    note = _BOTH if more else _ONE
    ops = []
    for rule, ((_, _, pods), cidr) in enumerate(used, start=1):
        guard = f"/spec/egress/{rule}/to/0/podSelector/matchLabels/app.kubernetes.io~1name"
        peer = f"{{ipBlock: {{cidr: {cidr}}}}}"
        ops += [
            f"      - {{op: test, path: {guard}, value: {pods}}}",
            f"      - {{op: add, path: /spec/egress/{rule}/to/-, value: {peer}}}",
        ]
    text = note.format(env=env.name, label=label, kind=kind)
    return [*text.splitlines(), *_patch("NetworkPolicy", d.name), *ops]


def bounds(d: Descriptor, env: Environment) -> tuple[int, int]:
    """`d`'s autoscaling bounds in `env`: its descriptor's, or the environment's default."""
    return d.replicas.get(env.name, env.replicas)


def _overlay(folder: str, d: Descriptor, env: Environment) -> Renderer:
    low, high = bounds(d, env)

    def render(current: str | None) -> str:
        if current is None:
            return seed(d, env)
        return _bounds(f"{folder}/kustomization.yaml", current, low, high)

    return render


_BOUND = r"^(\s*- \{{op: replace, path: /spec/{field}, value: )\d+(\}})$"


def _bounds(path: str, text: str, low: int, high: int) -> str:
    """`text` with its HPA patch's minReplicas and maxReplicas set to `low` and `high`."""
    for field, value in (("minReplicas", low), ("maxReplicas", high)):
        pattern = re.compile(_BOUND.format(field=field), re.MULTILINE)
        text, found = pattern.subn(rf"\g<1>{value}\g<2>", text)
        if found != 1:
            raise ReplicasMissing(
                f"{path}: needs one HPA patch line `- {{op: replace, path: /spec/{field},"
                f" value: N}}`, for the replicas its descriptor sets"
            )
    return text


_STAND_IN = """\
# A stand-in: {env} has no pinned copy of this render before the first promotion writes one here
# (`release promote`). Until then, the live render; the service is held at zero replicas meanwhile.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../../rendered/{s}
"""


def _stand_in(d: Descriptor, env: Environment) -> Renderer:
    def render(current: str | None) -> str:
        return current if current is not None else _STAND_IN.format(env=env.name, s=d.name)

    return render
