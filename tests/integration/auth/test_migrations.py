from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.auth.models import Base
from tests.fixtures.migrations import (
    EmptyDatabase,
    inspect_database,
    model_differences,
    table_names,
)


@pytest.fixture
async def empty_auth_database(empty_database: EmptyDatabase) -> Settings:
    return await empty_database("auth")


def role_names(conn: Connection) -> list[str]:
    return list(conn.scalars(text("SELECT name FROM roles ORDER BY name")))


async def test_upgrade_from_empty_matches_the_models(empty_auth_database: Settings) -> None:
    # when
    await upgrade(empty_auth_database, "auth", "head")

    # then
    assert await model_differences(empty_auth_database, "auth", Base.metadata) == []
    assert await inspect_database(empty_auth_database, "auth", role_names) == [
        "admin",
        "customer",
        "support",
    ]


async def test_downgrade_to_base_removes_every_table(empty_auth_database: Settings) -> None:
    # given
    await upgrade(empty_auth_database, "auth", "head")

    # when
    await downgrade(empty_auth_database, "auth", "base")

    # then
    assert await table_names(empty_auth_database, "auth") == {"alembic_version"}


async def test_upgrade_after_downgrade_restores_the_schema(empty_auth_database: Settings) -> None:
    # given
    await upgrade(empty_auth_database, "auth", "head")
    await downgrade(empty_auth_database, "auth", "base")

    # when
    await upgrade(empty_auth_database, "auth", "head")

    # then
    assert await model_differences(empty_auth_database, "auth", Base.metadata) == []
