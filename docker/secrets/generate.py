"""Generate the compose fleet's secrets on its first start: `generate.py DIR HASH-COMMAND...`.

Whom for comes from the environment docker-compose.yml gives the `secrets` container (written by
`./fleet generate` from the descriptors): FLEET_MQTT_ACCOUNTS (a broker password each,
<NAME>_MQTT_PASSWORD) and FLEET_CLIENT_ACCOUNTS (a client secret each, <NAME>_CLIENT_SECRET, and
its argon2 hash, <NAME>_CLIENT_SECRET_HASH), space-separated service names. HASH-COMMAND prints
the hash of the secret in the variable FLEET_HASH_SECRET_ENV names (the identity service's
`pex hash-secret`, which reads <IDENTITY>_CLIENT_SECRET).

Writes DIR/secrets.env (NAME=value lines: those, the database password and the broker
healthcheck's) and DIR/postgres_password (for POSTGRES_PASSWORD_FILE). A DIR that already holds
them is left alone: the database volume was initialised with them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ACCOUNTS = ("FLEET_MQTT_ACCOUNTS", "FLEET_CLIENT_ACCOUNTS", "FLEET_HASH_SECRET_ENV")


def generate(folder: Path, hash_command: list[str], env: dict[str, str]) -> None:
    env_file = folder / "secrets.env"
    if env_file.exists():
        print(f"secrets: kept the ones in {folder}")
        return
    mqtt, clients = env["FLEET_MQTT_ACCOUNTS"].split(), env["FLEET_CLIENT_ACCOUNTS"].split()
    names = ["POSTGRES_PASSWORD", *(f"{n.upper()}_MQTT_PASSWORD" for n in mqtt)]
    names += ["MQTT_HEALTHCHECK_PASSWORD", *(f"{n.upper()}_CLIENT_SECRET" for n in clients)]
    values = {name: secrets.token_hex(24) for name in names}  # hex: safe in any URL
    for client in clients:
        secret = values[f"{client.upper()}_CLIENT_SECRET"]
        hashed = subprocess.run(
            hash_command,
            env={**os.environ, env["FLEET_HASH_SECRET_ENV"]: secret},
            capture_output=True,
            text=True,
            check=True,
        )
        values[f"{client.upper()}_CLIENT_SECRET_HASH"] = hashed.stdout.strip()
    (folder / "postgres_password").write_text(values["POSTGRES_PASSWORD"])
    partial = folder / "secrets.env.partial"  # renamed when whole: a crash leaves no half file
    partial.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    for file in (partial, folder / "postgres_password"):
        file.chmod(0o644)  # read by the services' user (10001), postgres and mosquitto
    partial.rename(env_file)
    print(f"secrets: generated {', '.join(values)} in {folder}")


if __name__ == "__main__":
    missing = [name for name in ACCOUNTS if name not in os.environ]
    if len(sys.argv) < 3 or missing:
        sys.exit(
            f"usage: generate.py DIR HASH-COMMAND..., with {', '.join(ACCOUNTS)} set as "
            f"docker-compose.yml's secrets container sets them (missing: {', '.join(missing)})"
        )
    generate(Path(sys.argv[1]), sys.argv[2:], dict(os.environ))
