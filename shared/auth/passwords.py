"""argon2id password hashing with rehash-on-login when the cost parameters change.

argon2 is slow on purpose: a service awaits ``hash_async`` and ``verify_async``, which run
it in a thread, so the event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.settings import Settings


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    # A fresh hash when the stored one was made with other parameters; store it.
    new_hash: str | None = None


class PasswordHasher:
    def __init__(self, *, time_cost: int, memory_cost_kib: int) -> None:
        self._hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost_kib)

    @classmethod
    def from_settings(cls, settings: Settings) -> PasswordHasher:
        return cls(
            time_cost=settings.argon2_time_cost, memory_cost_kib=settings.argon2_memory_cost_kib
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    async def hash_async(self, password: str) -> str:
        return await asyncio.to_thread(self.hash, password)

    def verify(self, stored_hash: str, password: str) -> PasswordCheck:
        try:
            self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return PasswordCheck(ok=False)
        if self._hasher.check_needs_rehash(stored_hash):
            return PasswordCheck(ok=True, new_hash=self._hasher.hash(password))
        return PasswordCheck(ok=True)

    async def verify_async(self, stored_hash: str, password: str) -> PasswordCheck:
        return await asyncio.to_thread(self.verify, stored_hash, password)
