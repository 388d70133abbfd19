from __future__ import annotations

import pytest

from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.users.models import Base
from tests.fixtures.migrations import EmptyDatabase, model_differences, table_names


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
