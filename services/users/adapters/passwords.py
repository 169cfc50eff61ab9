"""Password hashing with argon2id at argon2-cffi's recommended parameters."""

from __future__ import annotations

from functools import cached_property

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from chassis.lifecycle import Component


class Argon2Hasher(Component):
    """argon2id (RFC 9106 low-memory profile, the library default): ~50 ms a hash by design.

    A component so routes get the one instance; its decoy hash is made at start, off the hot path.
    """

    name = "password-hasher"
    required = False

    def __init__(self, hasher: argon2.PasswordHasher | None = None) -> None:
        self._hasher = hasher or argon2.PasswordHasher()

    async def start(self) -> None:
        _ = self.decoy_hash

    @cached_property
    def decoy_hash(self) -> str:
        return self._hasher.hash("not anyone's password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
