"""Saved payment methods' provider tokens: encrypted at rest, compared by plaintext."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.crypto import DecryptionError, Keyring, key_id, new_key
from shared.database import new_id
from shared.errors import DomainError
from shared.settings import Settings
from subgraphs.users import models, service
from subgraphs.users.keys import payment_token_keyring
from tests.fixtures.auth import unique_email
from tests.fixtures.users import CARD

Sessions = async_sessionmaker[AsyncSession]


async def _new_user(sessions: Sessions) -> str:
    user_id = new_id()
    async with sessions() as db:
        await service.create_profile(db, user_id=user_id, email=unique_email(), email_verified=True)
    return user_id


async def _stored_tokens(sessions: Sessions, user_id: str) -> list[str]:
    async with sessions() as db:
        stmt = select(models.PaymentMethod.provider_token).filter_by(user_id=user_id)
        return list(await db.scalars(stmt))


async def test_token_is_stored_encrypted_with_the_current_key(users_sessions: Sessions) -> None:
    # given
    user_id, key = await _new_user(users_sessions), new_key()
    keyring = Keyring([key])

    # when
    async with users_sessions() as db:
        await service.add_payment_method(db, user_id, CARD, keyring=keyring)

    # then
    [stored] = await _stored_tokens(users_sessions, user_id)
    assert CARD["provider_token"] not in stored
    assert stored.startswith(f"{key_id(key)}:")
    assert keyring.decrypt(stored) == CARD["provider_token"]


async def test_token_saved_under_an_older_key_is_still_recognised(
    users_sessions: Sessions,
) -> None:
    # given
    user_id, old = await _new_user(users_sessions), new_key()
    async with users_sessions() as db:
        await service.add_payment_method(db, user_id, CARD, keyring=Keyring([old]))
    before = await _stored_tokens(users_sessions, user_id)

    # when
    rotated = Keyring([new_key(), old])
    async with users_sessions() as db:
        with pytest.raises(DomainError) as error:
            await service.add_payment_method(db, user_id, CARD, keyring=rotated)

    # then
    assert (error.value.code, error.value.field) == ("CONFLICT", "providerToken")
    assert await _stored_tokens(users_sessions, user_id) == before


async def test_saved_token_under_a_missing_key_fails_clearly(users_sessions: Sessions) -> None:
    # given
    user_id, lost = await _new_user(users_sessions), new_key()
    async with users_sessions() as db:
        await service.add_payment_method(db, user_id, CARD, keyring=Keyring([lost]))
    before = await _stored_tokens(users_sessions, user_id)

    # when
    other = Keyring([new_key()])
    async with users_sessions() as db:
        with pytest.raises(DecryptionError) as error:
            await service.add_payment_method(
                db, user_id, {**CARD, "provider_token": "pm_other"}, keyring=other
            )

    # then
    assert str(error.value).startswith(f"The value was encrypted with key {key_id(lost)!r}")
    assert await _stored_tokens(users_sessions, user_id) == before


def test_configured_keys_are_the_keyring(tmp_path: Path) -> None:
    # given
    key = new_key()
    settings = Settings(data_dir=tmp_path, payment_token_keys=key)

    # when
    keyring = payment_token_keyring(settings)

    # then
    assert keyring.current_id == key_id(key)
    assert not (tmp_path / "keys").exists()


def test_without_configured_keys_a_key_file_is_made_under_the_data_dir(tmp_path: Path) -> None:
    # given
    settings = Settings(data_dir=tmp_path)

    # when
    keyring = payment_token_keyring(settings)

    # then
    [key] = (tmp_path / "keys" / "payment-tokens.key").read_text().split()
    assert keyring.current_id == key_id(key)
