"""What Argo CD would apply: an overlay folder built with `kubectl kustomize`, read as a cluster
reads it (ConfigMaps, Services, each Deployment's and Job's pod template), with nothing added."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

Object = dict[str, Any]
# (secret name, key, the variable or file it feeds) -> the value a cluster's Secret would hold
SecretValue = Callable[[str, str, str], str]


class ManifestError(Exception):
    """The manifests ask for something the harness cannot give as a cluster would."""


@dataclass(frozen=True)
class Overlay:
    """One Argo CD Application's worth of objects: deploy/overlays/<environment>/<app>/."""

    environment: str
    app: str
    objects: tuple[Object, ...]

    @classmethod
    def build(cls, folder: Path) -> Overlay:
        try:
            built = subprocess.run(
                ["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=False
            )
        except FileNotFoundError:
            raise ManifestError("kubectl is not on PATH: it builds the overlays") from None
        if built.returncode != 0:
            raise ManifestError(f"kubectl kustomize {folder} failed: {built.stderr.strip()}")
        objects = tuple(o for o in YAML(typ="safe").load_all(built.stdout) if o)
        return cls(folder.parent.name, folder.name, objects)

    def of_kind(self, kind: str) -> list[Object]:
        return [o for o in self.objects if o.get("kind") == kind]

    def config_map(self, name: str) -> dict[str, str] | None:
        found = [o for o in self.of_kind("ConfigMap") if o["metadata"]["name"] == name]
        return {k: str(v) for k, v in (found[0].get("data") or {}).items()} if found else None

    def workloads(self) -> Iterator[Workload]:
        for kind in ("Job", "Deployment"):
            for o in self.of_kind(kind):
                yield Workload(kind, o["metadata"]["name"], self, o["spec"]["template"])


@dataclass(frozen=True)
class Probe:
    kind: str  # startup | readiness
    path: str
    budget: float  # seconds the kubelet would wait before giving up


@dataclass(frozen=True)
class Volume:
    """A mounted volume: writable (an emptyDir), or files from a Secret or ConfigMap."""

    mount_path: str
    files: dict[str, str] | None  # None: an emptyDir
    size_limit: str | None = None  # an emptyDir's sizeLimit (64Mi)


@dataclass(frozen=True)
class Workload:
    """A Deployment's or Job's pod template, and its single container."""

    kind: str
    name: str
    overlay: Overlay
    template: Object

    def __str__(self) -> str:
        return f"{self.overlay.environment}/{self.overlay.app} {self.kind} {self.name}"

    @property
    def container(self) -> Object:
        containers = self.template["spec"]["containers"]
        if len(containers) != 1:
            raise ManifestError(f"{self}: {len(containers)} containers; the harness runs one")
        container: Object = containers[0]
        return container

    @property
    def image_name(self) -> str:
        """The service the image runs: `registry/fleet/users:tag` -> users."""
        return str(self.container["image"]).rsplit("/", 1)[-1].split(":")[0]

    @property
    def http_port(self) -> int:
        ports = self.container.get("ports") or []
        http = [p for p in ports if p.get("name") == "http"] or ports
        return int(http[0]["containerPort"]) if http else 0

    def env(self, secret: SecretValue) -> dict[str, str]:
        """envFrom then env, in Kubernetes' order (later wins), valueFrom refs resolved."""
        env: dict[str, str] = {}
        for source in self.container.get("envFrom") or []:
            ref = source.get("configMapRef")
            if ref is None:
                raise ManifestError(f"{self}: envFrom {source} (only configMapRef is supported)")
            data = self.overlay.config_map(ref["name"])
            if data is None and not ref.get("optional", False):
                raise ManifestError(f"{self}: envFrom names ConfigMap {ref['name']}, not rendered")
            env |= {source.get("prefix", "") + k: v for k, v in (data or {}).items()}
        for var in self.container.get("env") or []:
            value = self._value_of(var, env, secret)
            if value is not None:
                env[var["name"]] = value
        return env

    def _value_of(self, var: Object, env: dict[str, str], secret: SecretValue) -> str | None:
        if "valueFrom" not in var:
            # $(NAME) refers to a variable defined before it, as the kubelet expands it
            return re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]), var.get("value", ""))
        source = var["valueFrom"]
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            return secret(ref["name"], ref["key"], var["name"])
        if "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            value = (self.overlay.config_map(ref["name"]) or {}).get(ref["key"])
            if value is None and not ref.get("optional", False):
                raise ManifestError(f"{self}: {var['name']} needs {ref['name']}/{ref['key']}")
            return value
        raise ManifestError(f"{self}: {var['name']} takes its value from {source} (unsupported)")

    def volumes(self, env: dict[str, str], secret: SecretValue) -> list[Volume]:
        by_name = {v["name"]: v for v in self.template["spec"].get("volumes") or []}
        mounted = []
        for mount in self.container.get("volumeMounts") or []:
            volume, path = by_name[mount["name"]], mount["mountPath"]
            if "emptyDir" in volume:
                mounted.append(Volume(path, None, (volume["emptyDir"] or {}).get("sizeLimit")))
            elif "secret" in volume:
                name = volume["secret"]["secretName"]
                keys = _keys(volume["secret"], path, env)
                if not keys:
                    raise ManifestError(
                        f"{self}: Secret {name} at {path} lists no items and no variable names "
                        "a file in it: the harness cannot tell which keys to generate"
                    )
                files = {file: secret(name, key, f"{path}/{file}") for key, file in keys.items()}
                mounted.append(Volume(path, files))
            elif "configMap" in volume:
                data = self.overlay.config_map(volume["configMap"]["name"]) or {}
                keys = _keys(volume["configMap"], path, env) or {k: k for k in data}
                mounted.append(Volume(path, {file: data[key] for key, file in keys.items()}))
            else:
                raise ManifestError(f"{self}: volume {volume} (unsupported kind)")
        return mounted

    def probes(self) -> list[Probe]:
        found = []
        for kind in ("startup", "readiness"):
            probe = self.container.get(f"{kind}Probe")
            if probe is None:
                continue
            port = probe["httpGet"]["port"]
            if port not in ("http", self.http_port):
                raise ManifestError(f"{self}: {kind} probe on port {port}, not the http port")
            budget = probe.get("initialDelaySeconds", 0) + probe.get(
                "failureThreshold", 3
            ) * probe.get("periodSeconds", 10)
            found.append(Probe(kind, probe["httpGet"]["path"], float(budget)))
        return found


def _keys(source: Object, mount_path: str, env: dict[str, str]) -> dict[str, str]:
    """key -> file name: the volume's items, else the files variables point at."""
    if source.get("items"):
        return {i["key"]: i["path"] for i in source["items"]}
    prefix = mount_path.rstrip("/") + "/"
    files = [v[len(prefix) :] for v in env.values() if v.startswith(prefix)]
    return {f: f for f in files if "/" not in f}
