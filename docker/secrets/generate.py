"""Generate the compose fleet's secrets on its first start: `generate.py DIR HASH-COMMAND...`.

Writes DIR/secrets.env (NAME=value lines: database, broker and client passwords, the argon2
hash of devices' client secret, made by HASH-COMMAND with USERS_CLIENT_SECRET set, e.g. the
users image's `pex hash-secret`) and DIR/postgres_password (for POSTGRES_PASSWORD_FILE). A DIR
that already holds them is left alone: the database volume was initialised with them.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

PASSWORDS = (
    "POSTGRES_PASSWORD",
    "USERS_MQTT_PASSWORD",
    "TASKS_MQTT_PASSWORD",
    "DEVICES_MQTT_PASSWORD",
    "MQTT_HEALTHCHECK_PASSWORD",
    "DEVICES_CLIENT_SECRET",
)


def generate(folder: Path, hash_command: list[str]) -> None:
    env_file = folder / "secrets.env"
    if env_file.exists():
        print(f"secrets: kept the ones in {folder}")
        return
    values = {name: secrets.token_hex(24) for name in PASSWORDS}  # hex: safe in any URL
    hashed = subprocess.run(
        hash_command,
        env={**os.environ, "USERS_CLIENT_SECRET": values["DEVICES_CLIENT_SECRET"]},
        capture_output=True,
        text=True,
        check=True,
    )
    values["DEVICES_CLIENT_SECRET_HASH"] = hashed.stdout.strip()
    (folder / "postgres_password").write_text(values["POSTGRES_PASSWORD"])
    partial = folder / "secrets.env.partial"  # renamed when whole: a crash leaves no half file
    partial.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    for file in (partial, folder / "postgres_password"):
        file.chmod(0o644)  # read by the services' user (10001), postgres and mosquitto
    partial.rename(env_file)
    print(f"secrets: generated {', '.join(values)} in {folder}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: generate.py DIR HASH-COMMAND...")
    generate(Path(sys.argv[1]), sys.argv[2:])
