"""Two writers racing for one slug on real PostgreSQL: the second looked the slug up
free before the first committed it, and meets it only at its write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import catalog, categories, models
from subgraphs.products.errors import ProductError
from tests.fixtures.products import count_rows, race

Write = Callable[[AsyncSession], Awaitable[Any]]


def product_named(name: str, category: models.Category, **fields: Any) -> Write:
    def create(db: AsyncSession) -> Awaitable[models.Product]:
        values = {"sku": f"SLUG-{new_id()[:8]}", "name": name, "price": Decimal("5"), **fields}
        return catalog.create_product(db, values, category_ids=[category.id], actor="test")

    return create


def category_named(name: str) -> Write:
    def create(db: AsyncSession) -> Awaitable[models.Category]:
        return categories.create_category(db, {"name": name}, actor="test")

    return create


async def test_a_generated_product_slug_taken_meanwhile_gets_the_next_suffix(
    products_db: async_sessionmaker[AsyncSession], category: models.Category
) -> None:
    # given
    name = f"Racing Boots {new_id()[:8]}"
    write = product_named(name, category)

    # when
    first, second = await race(products_db, write, write)

    # then
    base = name.lower().replace(" ", "-")
    assert (first.slug, second.slug) == (base, f"{base}-2")


async def test_a_generated_category_slug_taken_meanwhile_gets_the_next_suffix(
    products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    name = f"Racing Gear {new_id()[:8]}"
    write = category_named(name)

    # when
    first, second = await race(products_db, write, write)

    # then
    base = name.lower().replace(" ", "-")
    assert (first.slug, second.slug) == (base, f"{base}-2")


async def test_a_given_slug_taken_meanwhile_is_refused_and_nothing_is_written(
    products_db: async_sessionmaker[AsyncSession], category: models.Category
) -> None:
    # given
    slug = f"racing-hats-{new_id()[:8]}"
    first_write = product_named("Racing Hat", category, slug=slug)
    second_write = product_named("Racing Hat", category, slug=slug)

    # when
    first, second = await race(products_db, first_write, second_write)

    # then
    assert first.slug == slug
    assert isinstance(second, ProductError)
    assert (second.code, second.message, second.field) == (
        "DUPLICATE_SLUG",
        "This slug is already in use.",
        "slug",
    )
    assert await count_rows(products_db, models.Product, models.Product.slug == slug) == 1
