"""deploy/helm/values/<service>.yaml: what the chart knows of a service, from its descriptor.

The descriptor decides the service's name, image, the Secrets it reads (its database's and its
broker account's URLs), its migrations, what its NetworkPolicy opens and its Ingress; those fill
the file's generated region. Anything a service adds by hand (devices' broker alerts) stays
outside the region. The port, calls, auth URLs and account are not written here at all:
`release render` lays them under the file (release.wiring). A new service's file is written whole.
A values file is what makes a service deployed (release.layout finds services by them).
"""

from __future__ import annotations

from collections.abc import Sequence

from fleet.descriptor import Descriptor
from scaffold.artifacts import Artifact
from scaffold.region import BEGIN, END, region

FOLDER = "deploy/helm/values"
DOMAIN = "fleet.example.com"
# What the identity service's Ingress routes besides the API: everyone's token keys.
JWKS_PATH = "/.well-known/jwks.json"


def image_repository(service: str) -> str:
    """The image name the render uses; each overlay maps it to the registry and a tag."""
    return f"fleet/{service}"


def host(service: str, subdomain: str = "") -> str:
    """Where the service answers: users.fleet.example.com, users.dev.fleet.example.com."""
    return f"{service}.{subdomain}{DOMAIN}"


def values(d: Descriptor) -> str:
    """The generated region of `d`'s values file."""
    lines = [f"# {d.name}: {d.summary.rstrip('.')}." if d.summary else f"# {d.name}"]
    lines += [
        f"name: {d.name}",
        "image:",
        f"  repository: {image_repository(d.name)}",
        "# Port, calls, auth URLs, accounts: added by `release render`"
        f" (services/{d.name}/service.toml).",
    ]
    secrets = [("DATABASE__URL", "database")] if d.database else []
    secrets += [("MQTT__URL", "mqtt")] if d.mqtt else []
    if secrets:
        lines.append("secretEnv:")
        lines += [f"  {env}: {{secret: {d.name}-{s}, key: url}}" for env, s in secrets]
    if d.database:
        lines += ["migrations:", "  enabled: true"]
    lines += [
        "ingress:",
        "  enabled: true",
        f"  host: {host(d.name)}",
        f"  tlsSecretName: {d.name}-tls",
    ]
    if d.identity:
        lines += [
            "  # Every service and client verifies tokens with the keys published here.",
            f"  exactPaths: [{JWKS_PATH}]",
        ]
    servers = [s for s, used in (("database", d.database), ("broker", d.mqtt)) if used]
    if servers:
        lines.append("networkPolicy:")
        lines += [f"  {s}: {{enabled: true}}" for s in servers]
    return "".join(f"{line}\n" for line in lines)


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    return [_values_file(d) for d in fleet]


def _values_file(d: Descriptor) -> Artifact:
    path = f"{FOLDER}/{d.name}.yaml"
    body = values(d)
    fill = region(path, "# ", body)

    def render(current: str | None) -> str:
        # A new service's file is the region alone; an existing one keeps what is around it.
        return fill(current if current is not None else f"# {BEGIN}\n# {END}\n")

    return Artifact(path, render)
