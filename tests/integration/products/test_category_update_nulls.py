"""``categoryUpdate`` takes null for a field to clear it; a null ``sortOrder`` once went
on to the NOT NULL column and failed in SQL (INTERNAL_SERVER_ERROR). Fields a category
cannot be without refuse null, and the category stays as it was."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller
from tests.fixtures.services import RunningService

MUTATION_CATEGORY_UPDATE = """
mutation Update($input: CategoryUpdateInput!) { categoryUpdate(input: $input) { category { id } } }
"""


async def category_row(
    sessions: async_sessionmaker[AsyncSession], category_id: str
) -> dict[str, Any]:
    async with sessions() as db:
        table = models.Category.__table__
        row = (await db.execute(select(table).where(table.c.id == category_id))).mappings().one()
    return dict(row)


@pytest.mark.parametrize(
    ("field", "error"),
    [
        ("sortOrder", ("BAD_USER_INPUT", "sortOrder is required.", "sortOrder")),
        ("name", ("BAD_USER_INPUT", "name is required.", "name")),
        ("isActive", ("BAD_USER_INPUT", "isActive must be true or false.", "isActive")),
    ],
)
async def test_null_for_a_field_a_category_needs_changes_nothing(
    products_service: RunningService,
    catalog_admin: Caller,
    category: models.Category,
    field: str,
    error: tuple[str, str, str],
) -> None:
    # given
    before = await category_row(products_service.sessions, category.id)

    # when
    body = await products_service.graphql(
        MUTATION_CATEGORY_UPDATE,
        {"input": {"id": category.id, "description": "Changed", field: None}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [error]
    assert await category_row(products_service.sessions, category.id) == before
    assert await outbox_events(products_service.sessions, "category.updated", category.id) == []
