from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.database import create_engine, drop_database, ensure_database
from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.users.models import Base


@pytest.fixture
async def empty_users_database(settings: Settings) -> AsyncIterator[Settings]:
    """Settings naming a users database of its own, created empty and dropped afterwards."""
    own = replace(settings, database_prefix=f"{settings.database_prefix}migrations_")
    await ensure_database(own, "users")
    yield own
    await drop_database(own, "users")


async def _inspect(settings: Settings, look: Any) -> Any:
    engine: AsyncEngine = create_engine(settings, "users")
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_server_default": True})
    return compare_metadata(context, Base.metadata)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_upgrade_from_empty_creates_exactly_the_models(
    empty_users_database: Settings,
) -> None:
    # given: an empty database

    # when
    await upgrade(empty_users_database, "users")

    # then
    assert await _inspect(empty_users_database, _differences) == []
    assert await _inspect(empty_users_database, _tables) == {
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
    assert await _inspect(empty_users_database, _tables) == {"alembic_version"}


async def test_upgrade_after_downgrade_matches_the_models_again(
    empty_users_database: Settings,
) -> None:
    # given
    await upgrade(empty_users_database, "users")
    await downgrade(empty_users_database, "users", "base")

    # when
    await upgrade(empty_users_database, "users")

    # then
    assert await _inspect(empty_users_database, _differences) == []
