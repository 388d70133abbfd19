from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from shared.database import create_engine, drop_database, ensure_database
from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.auth.models import Base

T = TypeVar("T")


@pytest.fixture
async def empty_auth_database(settings: Settings) -> AsyncIterator[Settings]:
    """Settings whose auth database exists and holds nothing."""
    scratch = replace(settings, database_prefix=f"{settings.database_prefix}migrations_")
    await ensure_database(scratch, "auth")
    yield scratch
    await drop_database(scratch, "auth")


async def run(settings: Settings, query: Callable[[Connection], T]) -> T:
    """``query`` on a synchronous connection to the auth database, as Alembic needs."""
    engine = create_engine(settings, "auth")
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(query)
    finally:
        await engine.dispose()


def model_differences(conn: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def table_names(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names())


def role_names(conn: Connection) -> list[str]:
    return list(conn.scalars(text("SELECT name FROM roles ORDER BY name")))


async def test_upgrade_from_empty_matches_the_models(empty_auth_database: Settings) -> None:
    # when
    await upgrade(empty_auth_database, "auth", "head")

    # then
    assert await run(empty_auth_database, model_differences) == []
    assert await run(empty_auth_database, role_names) == ["admin", "customer", "support"]


async def test_downgrade_to_base_removes_every_table(empty_auth_database: Settings) -> None:
    # given
    await upgrade(empty_auth_database, "auth", "head")

    # when
    await downgrade(empty_auth_database, "auth", "base")

    # then
    assert await run(empty_auth_database, table_names) == ["alembic_version"]


async def test_upgrade_after_downgrade_restores_the_schema(empty_auth_database: Settings) -> None:
    # given
    await upgrade(empty_auth_database, "auth", "head")
    await downgrade(empty_auth_database, "auth", "base")

    # when
    await upgrade(empty_auth_database, "auth", "head")

    # then
    assert await run(empty_auth_database, model_differences) == []
