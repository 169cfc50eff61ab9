"""docker-compose.yml's service lists: each service's container, and every place that names one.

The file stays hand-written (the platform's containers, the anchors every service merges, the
comments); its named regions are derived from the descriptors: the one-shot secrets container's
accounts, the broker's passwords, the services' entries, the monitor's list and the identity
service's keys volume. Each service is wired as its descriptor says, as the local fleet and the
rendered manifests wire it (tools/fleet/tests/test_wiring_agrees.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from fleet.demo import DEVICE_REGISTRY, SIMULATOR_MODULE
from fleet.descriptor import Descriptor, identity_of
from scaffold.artifacts import Artifact
from scaffold.region import regions

FILE = "docker-compose.yml"
HEALTHY = "{condition: service_healthy}"
# Where the identity service keeps its generated signing keys: a volume of its own.
KEYS_DIR = "/var/lib/fleet/keys"


def artifacts(fleet: Sequence[Descriptor]) -> list[Artifact]:
    bodies = {
        "secrets": _secrets(fleet),
        "broker accounts": _broker_accounts(fleet),
        "services": "\n".join(_service(d, fleet) for d in fleet),
        "simulator": _simulator(fleet),
        "monitor": _monitor(fleet),
        "volumes": "".join(f"  {_keys(d)}:\n" for d in fleet if d.identity),
    }
    return [Artifact(FILE, regions(FILE, "# ", bodies))]


def _identity(fleet: Sequence[Descriptor]) -> Descriptor | None:
    return identity_of({d.name: d for d in fleet})


def _secrets(fleet: Sequence[Descriptor]) -> str:
    """The one-shot secrets container: the identity service's image (its `hash-secret` hashes
    the accounts' secrets) and whom docker/secrets/generate.py makes secrets for."""
    hasher = _identity(fleet) or fleet[0]  # no identity service: no accounts to hash
    accounts = {
        "FLEET_MQTT_ACCOUNTS": " ".join(d.name for d in fleet if d.mqtt),
        "FLEET_CLIENT_ACCOUNTS": " ".join(d.name for d in fleet if d.account),
        "FLEET_HASH_SECRET_ENV": f"{hasher.name.upper()}_CLIENT_SECRET",
    }
    lines = [*_image(hasher), "environment:"]
    lines += [f"  {key}: {json.dumps(value)}" for key, value in accounts.items()]
    return _indent(lines, 4)


def _broker_accounts(fleet: Sequence[Descriptor]) -> str:
    """Lines of the shell script writing the broker's password file: an account per service."""
    lines = [
        f'mosquitto_passwd -b "$$f" {d.name} "$${d.name.upper()}_MQTT_PASSWORD"'
        for d in fleet
        if d.mqtt
    ]
    return _indent(lines, 8)


def _service(d: Descriptor, fleet: Sequence[Descriptor]) -> str:
    lines = [f"# {d.name}: {d.summary}" if d.summary else f"# {d.name}", f"{d.name}:"]
    body = ["<<: *service", *_image(d), f'ports: ["{d.port}:{d.port}"]']
    body += _depends_on(d, fleet)
    body += ["environment:", *(f"  {line}" for line in _environment(d, fleet))]
    if d.identity:
        body += ["volumes:", "  - secrets:/run/fleet-secrets:ro"]
        body += ["  - ./docker/secrets:/fleet/secrets:ro", f"  - {_keys(d)}:{KEYS_DIR}"]
    probe = f"u.urlopen('http://127.0.0.1:{d.port}/health/ready', timeout=3)"
    test = f'["CMD", "python", "-c", "import urllib.request as u; {probe}"]'
    body += ["healthcheck:", "  <<: *healthcheck", f"  test: {test}"]
    return _indent(lines, 2) + _indent(body, 4)


def _depends_on(d: Descriptor, fleet: Sequence[Descriptor]) -> list[str]:
    """What must be up first: the platform it uses (the whole `*platform` when it uses all of
    it), then the services it calls."""
    callees = [f"  {callee}: {HEALTHY}" for callee in d.calls]
    if d.database and d.mqtt:
        return ["depends_on:", "  <<: *platform", *callees] if callees else []
    # Without postgres or mosquitto in front, wait for the secrets they would have waited for.
    platform = ["  secrets: {condition: service_completed_successfully}"]
    platform += [f"  postgres: {HEALTHY}"] if d.database else []
    platform += [f"  mosquitto: {HEALTHY}"] if d.mqtt else []
    return ["depends_on:", *platform, f"  jaeger: {HEALTHY}", *callees]


def _environment(d: Descriptor, fleet: Sequence[Descriptor]) -> list[str]:
    """The `<NAME>__...` settings wiring `d` into the fleet in containers."""
    by_name = {s.name: s for s in fleet}
    p = f"{d.name.upper()}__"
    env = [f"{p}HTTP__HOST: 0.0.0.0", f'{p}HTTP__PORT: "{d.port}"']
    if d.database:
        server = "postgres:$${POSTGRES_PASSWORD}@postgres:5432"
        env.append(f"{p}DATABASE__URL: postgresql://{server}/{d.name}")
    if d.mqtt:
        env.append(f"{p}MQTT__URL: mqtt://{d.name}:{_secret(d, 'MQTT_PASSWORD')}@mosquitto:1883")
    identity = _identity(fleet)
    if identity is not None:
        env.append(f"{p}AUTH__JWKS_URL: {_url(identity)}/.well-known/jwks.json")
        # For browsers (Swagger's Authorize button): the identity service where the host has it.
        env.append(f"{p}AUTH__TOKEN_URL: http://localhost:{identity.port}/v1/auth/token")
    env += [f'{p}TRACING__ENABLED: "true"', f"{p}TRACING__ENDPOINT: http://jaeger:4318/v1/traces"]
    if d.identity:
        env.append(f"{p}TOKENS__KEYS_DIR: {KEYS_DIR}")
        hashes = {a.name: _secret(a, "CLIENT_SECRET_HASH") for a in fleet if a.account}
        env.append(
            "# The client-credentials accounts: each id -> the hash of its generated secret."
        )
        env.append(f"{p}SERVICE_ACCOUNTS: '{json.dumps(hashes)}'")
    env += [f"{p}{callee.upper()}__BASE_URL: {_url(by_name[callee])}" for callee in d.calls]
    if d.account:
        env.append(f"{p}ACCOUNT__CLIENT_ID: {d.name}")
        env.append(f"{p}ACCOUNT__CLIENT_SECRET: {_secret(d, 'CLIENT_SECRET')}")
    if d.single_replica:
        env.append("# One container: what the service sets when it runs as one process.")
        env += [f"{p}{key}: {json.dumps(value)}" for key, value in d.single_replica.items()]
    return env


def _simulator(fleet: Sequence[Descriptor]) -> str:
    """The demo devices (fleet.demo), through the pex of the sample that has them, if it runs."""
    sample = next((d for d in fleet if d.name == DEVICE_REGISTRY), None)
    if sample is None:
        return ""
    options = ["--devices", "3", "--api", _url(sample), "--broker", "mqtt://mosquitto:1883"]
    lines = ["simulator:", "  <<: *service", f"  image: fleet/{sample.name}:local"]
    lines += ["  profiles: [simulator]", f"  command: {json.dumps(options)}"]
    lines += ["  depends_on:", f"    {sample.name}: {HEALTHY}"]
    lines += ["  environment:", f"    PEX_MODULE: {SIMULATOR_MODULE}", "  healthcheck:"]
    lines += ['    test: ["CMD", "python", "-c", "import os; os.kill(1, 0)"]', "    interval: 10s"]
    return _indent(lines, 2)


def _monitor(fleet: Sequence[Descriptor]) -> str:
    """The fleet monitor waits for every service and is given each one's URL, in the fleet's
    order, and the identity service's token endpoint."""
    lines = ["depends_on:", *(f"  {d.name}: {HEALTHY}" for d in fleet)]
    options = [f'"--service", "{d.name}={_url(d)}"' for d in fleet]
    identity = _identity(fleet)
    if identity is not None:
        options.append(f'"--token-url", "{_url(identity)}/v1/auth/token"')
    lines.append('command: ["serve",')
    lines += [f"          {option}," for option in options]
    lines[-1] = lines[-1].removesuffix(",") + "]"
    return _indent(lines, 4)


def _image(d: Descriptor) -> list[str]:
    return [f"image: fleet/{d.name}:local", f"build: {{<<: *build, args: {{SERVICE: {d.name}}}}}"]


def _url(d: Descriptor) -> str:
    return f"http://{d.name}:{d.port}"


def _keys(d: Descriptor) -> str:
    return f"{d.name}-keys"


def _secret(d: Descriptor, what: str) -> str:
    """`d`'s secret `what` from secrets.env (docker/secrets/generate.py), as with_secrets.py
    fills it in: `$${DEVICES_CLIENT_SECRET}` (`$$` keeps compose from reading it)."""
    return "$${" + f"{d.name.upper()}_{what}" + "}"


def _indent(lines: Sequence[str], width: int) -> str:
    return "".join(f"{' ' * width}{line}\n" for line in lines)
