"""Service accounts for one run: a fresh secret per account, hashed the way users verifies it."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

import argon2

from fleet.wiring import ServiceAccount


def new_accounts(client_ids: Iterable[str]) -> dict[str, ServiceAccount]:
    """A new secret per run: nothing to store, and a leaked one dies with the run."""
    hasher = argon2.PasswordHasher()  # the users service's Argon2Hasher defaults
    accounts = {}
    for client_id in client_ids:
        secret = secrets.token_urlsafe(32)
        accounts[client_id] = ServiceAccount(client_id, secret, hasher.hash(secret))
    return accounts
