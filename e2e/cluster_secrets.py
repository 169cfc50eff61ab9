"""The Secrets a platform team creates by hand in each namespace, generated for one test run.

A value is chosen by what reads it: the setting a variable feeds (`<NAME>__DATABASE__URL`) or, for
a mounted file, the key's name (`*.pem`). A Secret the harness cannot place fails the test naming
it, so a new Secret in the chart is a decision, not a silent empty string.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass, field

import argon2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chassis.testing.postgres import TestDatabase


class UnknownSecret(Exception):
    """A secretKeyRef whose value the test does not know how to make."""


def _setting(consumer: str) -> str:
    """`USERS__TOKENS__SIGNING_KEY` -> `TOKENS__SIGNING_KEY`; a file path stays as it is."""
    return consumer.split("__", 1)[1] if "__" in consumer else consumer


@dataclass
class ClusterSecrets:
    """Every Secret of one environment: a fresh PostgreSQL database per service on
    `database_server`, the broker at `broker_url`, an Ed25519 signing key, a client secret per
    service account (its client id: the service's name, the settings' default) whose argon2 hash
    users receives. Resolve the callers' pods before users', so the hashes list every account."""

    database_server: str
    broker_url: str
    accounts: dict[str, str] = field(default_factory=dict)  # client id -> its secret
    databases: dict[str, TestDatabase] = field(default_factory=dict)
    _values: dict[tuple[str, str], str] = field(default_factory=dict)

    def value(self, service: str, secret: str, key: str, consumer: str) -> str:
        """What `secret`/`key` holds, the same for every pod that reads it."""
        if (secret, key) not in self._values:
            self._values[secret, key] = self._make(service, secret, key, _setting(consumer))
        return self._values[secret, key]

    def _make(self, service: str, secret: str, key: str, setting: str) -> str:
        if setting == "DATABASE__URL":
            return self._database(service).url
        if setting == "MQTT__URL":
            return self.broker_url
        if setting in ("TOKENS__SIGNING_KEY", "TOKENS__PREVIOUS_SIGNING_KEY") or key.endswith(
            ".pem"
        ):
            return _signing_key()
        if setting == "ACCOUNT__CLIENT_ID":
            return service
        if setting == "ACCOUNT__CLIENT_SECRET":
            return self.accounts.setdefault(service, secrets.token_urlsafe(32))
        if setting == "SERVICE_ACCOUNTS":
            hasher = argon2.PasswordHasher()
            return json.dumps({c: hasher.hash(s) for c, s in self.accounts.items()})
        raise UnknownSecret(
            f"Secret {secret} key {key} (read as {setting}): the test generates no value for it; "
            "teach e2e/cluster_secrets.py what a cluster would put there"
        )

    def _database(self, service: str) -> TestDatabase:
        if service not in self.databases:
            name = f"boot_{uuid.uuid4().hex[:8]}_{service}"
            self.databases[service] = TestDatabase(self.database_server, name).create()
        return self.databases[service]

    def drop(self) -> None:
        for database in self.databases.values():
            database.drop()


def _signing_key() -> str:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()
