from __future__ import annotations

from shared.auth.passwords import PasswordCheck, PasswordHasher


def _hasher(time_cost: int = 1) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost_kib=1024)


async def test_an_async_hash_verifies_its_password_only() -> None:
    # given
    hasher = _hasher()

    # when
    stored = await hasher.hash_async("correct horse")

    # then
    assert await hasher.verify_async(stored, "correct horse") == PasswordCheck(ok=True)
    assert await hasher.verify_async(stored, "wrong horse") == PasswordCheck(ok=False)


async def test_a_hash_made_with_other_parameters_gets_a_new_one() -> None:
    # given
    stored = await _hasher(time_cost=2).hash_async("correct horse")
    hasher = _hasher()

    # when
    check = await hasher.verify_async(stored, "correct horse")

    # then
    assert check.ok
    assert check.new_hash is not None
    assert check.new_hash.startswith("$argon2id$v=19$m=1024,t=1,")
    assert hasher.verify(check.new_hash, "correct horse") == PasswordCheck(ok=True)
