"""A ``productCreate`` or ``productUpdate`` names fields, categories, tags and a slug in
one input: when its last part is refused, none of the first parts is written (no
product, category link, tag or SKU row, no event), though some are flushed by then."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.events.outbox import OUTBOX
from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import (
    PRODUCT_TABLES,
    Caller,
    CategoryFactory,
    ProductFactory,
    product_snapshot,
)
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) { productCreate(input: $input) { product { id } } }
"""
MUTATION_PRODUCT_UPDATE = """
mutation Update($input: ProductUpdateInput!) { productUpdate(input: $input) { product { id } } }
"""


async def catalog_rows(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows of every table a product write touches, the outbox included."""
    tables = [*(model.__table__ for model in (*PRODUCT_TABLES, models.Sku)), OUTBOX]
    async with sessions() as db:
        return {
            table.name: await db.scalar(select(func.count()).select_from(table)) or 0
            for table in tables
        }


# The input's last part, given the ids of the product's two categories and another
# product; then the error it gets.
LastPart = Callable[[list[str], models.Product], dict[str, Any]]


@pytest.mark.parametrize(
    ("last_part", "error"),
    [
        (
            lambda _, __: {"tags": ["wool", "winter", "t" * 65]},
            ("BAD_USER_INPUT", "Each tag must be 1 to 64 characters.", "tags"),
        ),
        (
            lambda categories, _: {"categoryIds": [*categories, "no-such-category"]},
            ("NOT_FOUND", "Category not found.", "categoryIds"),
        ),
        (
            lambda _, other: {"slug": other.slug},
            ("DUPLICATE_SLUG", "Slug {slug} is already in use.", "slug"),
        ),
    ],
    ids=["a tag too long", "an unknown category", "a taken slug"],
)
async def test_a_create_refused_in_its_last_part_writes_nothing(
    products_service: RunningService,
    catalog_admin: Caller,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
    last_part: LastPart,
    error: tuple[str, str, str],
) -> None:
    # given
    categories = [(await category_factory()).id, (await category_factory()).id]
    other = await product_factory()
    product = {
        "sku": f"CREATE-{categories[0][:8]}",
        "name": "Wool hat",
        "price": "19.90",
        "categoryIds": categories,
        "tags": ["wool", "winter"],
        "attributes": {"size": "M"},
        **last_part(categories, other),
    }
    before = await catalog_rows(products_service.sessions)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE, {"input": product}, token=catalog_admin.token
    )

    # then
    code, message, field = error
    assert errors_of(body) == [(code, message.format(slug=other.slug), field)]
    assert await catalog_rows(products_service.sessions) == before


async def test_an_update_refused_after_its_slug_is_written_changes_nothing(
    products_service: RunningService,
    catalog_admin: Caller,
    category: models.Category,
    product_factory: ProductFactory,
) -> None:
    # given
    product = await product_factory(tags=["wool"])
    snapshot = await product_snapshot(products_service.sessions, product.id)
    before = await catalog_rows(products_service.sessions)
    changes = {
        "id": product.id,
        "name": "Renamed scarf",
        "price": "31.00",
        "slug": None,
        "categoryIds": [category.id, "no-such-category"],
    }

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE, {"input": changes}, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Category not found.", "categoryIds")]
    assert await product_snapshot(products_service.sessions, product.id) == snapshot
    assert await catalog_rows(products_service.sessions) == before
