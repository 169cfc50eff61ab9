"""One environment's overlays (deploy/overlays/<environment>/*) applied as Argo CD and a cluster
would run them, with real processes in place of pods: per Application, in dependency order (the
Applications whose Services another one calls come first), the migrations Job runs to completion,
then each Deployment's replicas start and must pass their startup and readiness probes.

Pods see exactly the rendered container (entrypoint or command, args, env and envFrom, volumes,
working directory) with two substitutions a cluster makes by itself:

- Service DNS: a URL naming a Service of the environment (`http://users`, `http://users.<ns>`,
  `http://users.<ns>.svc.cluster.local[:<service port>]`) becomes `http://127.0.0.1:<port>`, the
  port of that Service's first replica (kube-proxy would pick any ready one).
- Pod IPs: every replica listens on its own port of 127.0.0.1, so the harness overrides only
  `<NAME>__HTTP__HOST` and `<NAME>__HTTP__PORT` per replica; probes go to that port.

The environment's Secrets come from `ClusterSecrets`; dev's in-cluster `platform` Application
(PostgreSQL, Mosquitto) is not booted: the test's own servers stand in for it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

from chassis.local import free_port
from e2e.cluster_secrets import ClusterSecrets, UnknownSecret
from e2e.manifests import ManifestError, Overlay, Workload
from e2e.pods import Pod
from e2e.sandbox import ENTRYPOINT, WORKDIR, Image, Sandbox, image_env

REPLICAS = 2
NOT_BOOTED = ("platform",)  # the in-cluster servers dev runs; the test brings its own
JOB_DEADLINE = 180.0  # at most; a Job's activeDeadlineSeconds may be shorter
_COMPLAINT = re.compile(r'"level":\s*"(error|warning|critical)"|Traceback|Error:')
_URL = re.compile(r"(https?)://([A-Za-z0-9.-]+)(?::(\d+))?")


@dataclass(frozen=True)
class _Service:
    name: str
    namespace: str
    ports: tuple[int, ...]
    selector: dict[str, str]


def overlays(environment: Path) -> list[Overlay]:
    """The environment's Applications, built, in the order they must start."""
    built = {
        folder.name: Overlay.build(folder)
        for folder in sorted(environment.iterdir())
        if folder.is_dir() and folder.name not in NOT_BOOTED
    }
    services = {s.name: app for app, o in built.items() for s in _services(o)}
    calls = {
        app: {services[h] for h in (host.split(".")[0] for host in _hosts(o)) if h in services}
        - {app}
        for app, o in built.items()
    }
    return [built[app] for app in TopologicalSorter(calls).static_order()]


@dataclass
class Cluster:
    """The pods of one environment, booted and stopped together."""

    environment: str
    applications: list[Overlay]
    images: dict[str, Image]
    secrets: ClusterSecrets
    workspace: Path
    pods: list[Pod] = field(default_factory=list)
    _ports: dict[str, list[int]] = field(default_factory=dict)  # Deployment -> replica ports
    _services: list[_Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._services = [s for o in self.applications for s in _services(o)]
        for o in self.applications:
            for d in o.of_kind("Deployment"):
                # A service held until its first release runs no pod (`replicas: 0`).
                count = min(REPLICAS, d["spec"].get("replicas", REPLICAS))
                self._ports[d["metadata"]["name"]] = [free_port() for _ in range(count)]

    def url_of(self, service: str) -> str:
        return f"http://127.0.0.1:{self._ports[service][0]}"

    def boot(self) -> None:
        """Every Application's Job, then its replicas, each ready before the next starts."""
        # Callers first: their service accounts' secrets exist before users hashes them all.
        plans = {str(w): self._env(w) for o in reversed(self.applications) for w in o.workloads()}
        for overlay in self.applications:
            for workload in overlay.workloads():
                env = plans[str(workload)]
                if workload.kind == "Job":
                    deadline = workload.template["spec"].get("activeDeadlineSeconds", JOB_DEADLINE)
                    self._start(workload, env, str(workload)).run_to_completion(
                        min(float(deadline), JOB_DEADLINE)
                    )
                    continue
                replicas = [
                    self._start(workload, env | self._pod_address(workload, port), name, port)
                    for port, name in self._replicas(workload)
                ]
                for pod in replicas:
                    pod.wait_ready(workload.probes())

    def run_once(self, deployment: str, args: list[str], extra_env: dict[str, str]) -> str:
        """A one-off command in a Deployment's container (`kubectl exec` into its image, with
        its env); its output."""
        workload = next(w for o in self.applications for w in o.workloads() if w.name == deployment)
        pod = self._start(
            workload, self._env(workload) | extra_env, f"{workload} ({args[0]})", args=args
        )
        pod.run_to_completion(JOB_DEADLINE)
        return pod.tail()

    def complaints(self, per_pod: int = 3) -> str:
        """Each pod's last error and warning lines: what to read when the story fails."""
        said = []
        for pod in self.pods:
            lines = [line for line in pod.tail(400).splitlines() if _COMPLAINT.search(line)]
            said += [f"{pod.name}: {line[:400]}" for line in lines[-per_pod:]]
        return "\n".join(said)

    def stop(self) -> None:
        """Every pod at once, as deleting the namespace would."""
        for pod in self.pods:
            pod.terminate()
        for pod in self.pods:
            pod.stop(grace=10)

    def _replicas(self, workload: Workload) -> list[tuple[int, str]]:
        ports = self._ports[workload.name]
        return [(port, f"{workload} replica {i + 1}") for i, port in enumerate(ports)]

    def _pod_address(self, workload: Workload, port: int) -> dict[str, str]:
        prefix = f"{workload.image_name.upper()}__"
        return {f"{prefix}HTTP__HOST": "127.0.0.1", f"{prefix}HTTP__PORT": str(port)}

    def _env(self, workload: Workload) -> dict[str, str]:
        def secret(name: str, key: str, consumer: str) -> str:
            try:
                return self.secrets.value(workload.image_name, name, key, consumer)
            except UnknownSecret as unknown:
                raise UnknownSecret(f"{workload}: {unknown}") from None

        env = {k: self._local(workload, v) for k, v in workload.env(secret).items()}
        return image_env(workload.image_name) | env

    def _start(
        self,
        workload: Workload,
        env: dict[str, str],
        name: str,
        port: int = 0,
        args: list[str] | None = None,
    ) -> Pod:
        container = workload.container
        image = self.images.get(workload.image_name)
        if image is None:
            raise ManifestError(f"{workload}: no pex for image {container['image']}")
        argv = container.get("command") or [str(ENTRYPOINT)]
        default_args = [] if container.get("command") else ["serve"]  # the image's CMD
        argv = argv + (args or container.get("args", default_args))
        argv = [re.sub(r"\$\((\w+)\)", lambda m: env.get(m[1], m[0]), a) for a in argv]

        def secret(secret_name: str, key: str, consumer: str) -> str:
            return self.secrets.value(workload.image_name, secret_name, key, consumer)

        hostname = f"{workload.name}-{uuid.uuid4().hex[:5]}"  # like a pod's generated name
        sandbox = Sandbox(
            image,
            self.workspace / hostname,
            workload.volumes(env, secret),
            working_dir=container.get("workingDir", WORKDIR),
            hostname=hostname,
        )
        pod = Pod.start(name, sandbox, argv, env | {"HOSTNAME": hostname}, port)
        self.pods.append(pod)
        return pod

    def _local(self, workload: Workload, value: str) -> str:
        return _URL.sub(lambda m: self._mapped(workload, m), value)

    def _mapped(self, workload: Workload, url: re.Match[str]) -> str:
        scheme, host, port = url[1], url[2], url[3]
        for service in self._services:
            ns, name = service.namespace, service.name
            if host in (name, f"{name}.{ns}", f"{name}.{ns}.svc", f"{name}.{ns}.svc.cluster.local"):
                if port is not None and int(port) not in service.ports:
                    raise ManifestError(f"{workload}: {url[0]}: Service {name} has no port {port}")
                pods = self._ports[self._deployment_of(service)]
                # A held Deployment runs no pod: its Service has no endpoints, and a connection
                # to it is refused, as to a port nothing listens on.
                return f"{scheme}://127.0.0.1:{pods[0] if pods else free_port()}"
        in_cluster = "." not in host or host.endswith((".svc", ".svc.cluster.local"))
        if in_cluster and host != "localhost":
            raise ManifestError(f"{workload}: {url[0]} names no Service of {self.environment}")
        return url[0]

    def _deployment_of(self, service: _Service) -> str:
        for o in self.applications:
            for d in o.of_kind("Deployment"):
                labels = d["spec"]["template"]["metadata"].get("labels", {})
                if service.selector.items() <= labels.items():
                    return str(d["metadata"]["name"])
        raise ManifestError(f"Service {service.name} selects no Deployment of {self.environment}")


def _services(overlay: Overlay) -> list[_Service]:
    return [
        _Service(
            s["metadata"]["name"],
            s["metadata"].get("namespace", "default"),
            tuple(int(p["port"]) for p in s["spec"].get("ports", [])),
            s["spec"].get("selector", {}),
        )
        for s in overlay.of_kind("Service")
    ]


def _hosts(overlay: Overlay) -> set[str]:
    """Hosts of the URLs in the overlay's plain settings (ConfigMaps and literal values)."""
    texts: list[str] = [
        v for c in overlay.of_kind("ConfigMap") for v in (c.get("data") or {}).values()
    ]
    for workload in overlay.workloads():
        texts += [str(v.get("value", "")) for v in workload.container.get("env") or []]
    return {m[2] for t in texts for m in _URL.finditer(str(t))}
