"""Two writers racing for one SKU on real PostgreSQL, each on a connection of its own:
the second meets the first's uncommitted row, so only the database can refuse it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import catalog, models, variants
from subgraphs.products.errors import ProductError
from tests.fixtures.products import count_rows, race

Write = Callable[[AsyncSession], Awaitable[object]]


def product_with(sku: str, category: models.Category) -> Write:
    def create(db: AsyncSession) -> Awaitable[models.Product]:
        fields = {"sku": sku, "name": f"Racer {new_id()[:8]}", "price": Decimal("5")}
        return catalog.create_product(db, fields, category_ids=[category.id], actor="test")

    return create


def variant_with(sku: str, product: models.Product) -> Write:
    def create(db: AsyncSession) -> Awaitable[models.ProductVariant]:
        return variants.create_variant(
            db, product.id, {"sku": sku, "attributes": {"racer": sku}}, actor="test"
        )

    return create


@pytest.mark.parametrize(
    ("first", "second"),
    [("product", "variant"), ("variant", "product"), ("product", "product")],
)
async def test_the_second_writer_of_a_sku_is_refused_and_writes_nothing(
    products_db: async_sessionmaker[AsyncSession],
    category: models.Category,
    product: models.Product,
    first: str,
    second: str,
) -> None:
    # given
    sku = f"RACE-{new_id()[:8]}".upper()
    writers = {"product": product_with(sku, category), "variant": variant_with(sku, product)}

    # when
    won, lost = await race(products_db, writers[first], writers[second])

    # then
    assert not isinstance(won, BaseException)
    assert isinstance(lost, ProductError)
    assert (lost.code, lost.message, lost.field) == (
        "DUPLICATE_SKU",
        "This sku is already in use.",
        "sku",
    )
    products = await count_rows(products_db, models.Product, models.Product.sku == sku)
    variant_rows = await count_rows(
        products_db, models.ProductVariant, models.ProductVariant.sku == sku
    )
    assert products + variant_rows == 1
    assert await count_rows(products_db, models.Sku, models.Sku.sku == sku) == 1
