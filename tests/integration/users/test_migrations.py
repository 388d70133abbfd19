from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, text

from shared.crypto import DecryptionError, Keyring, new_key
from shared.database import create_engine, new_id
from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.users.models import Base
from tests.fixtures.migrations import (
    EmptyDatabase,
    inspect_database,
    model_differences,
    table_names,
)

KEYS_ENV = "COMMERCE_PAYMENT_TOKEN_KEYS"
TOKENS = ["pm_card_visa", "BA-8A802366G0648845A"]


@pytest.fixture
async def empty_users_database(empty_database: EmptyDatabase) -> Settings:
    return await empty_database("users")


async def test_upgrade_from_empty_creates_exactly_the_models(
    empty_users_database: Settings,
) -> None:
    # given: an empty database

    # when
    await upgrade(empty_users_database, "users")

    # then
    assert await model_differences(empty_users_database, "users", Base.metadata) == []
    assert await table_names(empty_users_database, "users") == {
        "alembic_version",
        "outbox_events",
        "user_addresses",
        "user_event_logs",
        "user_payment_methods",
        "user_preferences",
        "user_profiles",
        "user_wishlist_items",
    }


async def test_downgrade_to_base_removes_every_table(empty_users_database: Settings) -> None:
    # given
    await upgrade(empty_users_database, "users")

    # when
    await downgrade(empty_users_database, "users", "base")

    # then
    assert await table_names(empty_users_database, "users") == {"alembic_version"}


async def test_upgrade_after_downgrade_matches_the_models_again(
    empty_users_database: Settings,
) -> None:
    # given
    await upgrade(empty_users_database, "users")
    await downgrade(empty_users_database, "users", "base")

    # when
    await upgrade(empty_users_database, "users")

    # then
    assert await model_differences(empty_users_database, "users", Base.metadata) == []


async def _sql(settings: Settings, statement: str, **params: Any) -> list[Any]:
    engine = create_engine(settings, "users")
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def _saved_plaintext_tokens(settings: Settings) -> None:
    """One user with a payment method per token, written as revision 0001 stored them."""
    user_id = new_id()
    await _sql(
        settings,
        "INSERT INTO user_profiles (id, user_id, email, created_at, updated_at)"
        " VALUES (:id, :user_id, :email, now(), now())",
        id=new_id(),
        user_id=user_id,
        email=f"{user_id}@example.com",
    )
    for token in TOKENS:
        await _sql(
            settings,
            "INSERT INTO user_payment_methods"
            " (id, user_id, type, provider_token, created_at, updated_at)"
            " VALUES (:id, :user_id, 'paypal', :token, now(), now())",
            id=new_id(),
            user_id=user_id,
            token=token,
        )


async def _stored_tokens(settings: Settings) -> list[str]:
    rows = await _sql(settings, "SELECT provider_token FROM user_payment_methods ORDER BY id")
    return [token for (token,) in rows]


async def _unique_constraints(settings: Settings) -> list[str]:
    return await inspect_database(
        settings,
        "users",
        lambda connection: [
            constraint["name"]
            for constraint in inspect(connection).get_unique_constraints("user_payment_methods")
        ],
    )


async def test_upgrade_encrypts_saved_tokens(
    empty_users_database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    key = new_key()
    monkeypatch.setenv(KEYS_ENV, key)
    await upgrade(empty_users_database, "users", "0001")
    await _saved_plaintext_tokens(empty_users_database)

    # when
    await upgrade(empty_users_database, "users")

    # then
    stored = await _stored_tokens(empty_users_database)
    assert not set(stored) & set(TOKENS)
    assert sorted(Keyring([key]).decrypt(token) for token in stored) == sorted(TOKENS)
    assert await _unique_constraints(empty_users_database) == []


async def test_downgrade_decrypts_saved_tokens_and_restores_their_uniqueness(
    empty_users_database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv(KEYS_ENV, new_key())
    await upgrade(empty_users_database, "users", "0001")
    await _saved_plaintext_tokens(empty_users_database)
    await upgrade(empty_users_database, "users")

    # when
    await downgrade(empty_users_database, "users", "0001")

    # then
    assert sorted(await _stored_tokens(empty_users_database)) == sorted(TOKENS)
    assert await _unique_constraints(empty_users_database) == ["uq_user_payment_methods_token"]


async def test_downgrade_without_the_encrypting_key_fails_and_changes_nothing(
    empty_users_database: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setenv(KEYS_ENV, new_key())
    await upgrade(empty_users_database, "users", "0001")
    await _saved_plaintext_tokens(empty_users_database)
    await upgrade(empty_users_database, "users")
    before = await _stored_tokens(empty_users_database)
    monkeypatch.setenv(KEYS_ENV, new_key())

    # when
    with pytest.raises(DecryptionError):
        await downgrade(empty_users_database, "users", "0001")

    # then
    assert await _stored_tokens(empty_users_database) == before
    assert await _sql(empty_users_database, "SELECT version_num FROM alembic_version") == [
        ("0003",)
    ]
