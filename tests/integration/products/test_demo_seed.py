"""The demo catalog: seeded once into an empty products database, the same every time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import create_engine, drop_database, session_factory
from shared.events.outbox import OUTBOX
from shared.migrations import migrate_all
from shared.settings import Settings
from subgraphs.products import categories, models
from subgraphs.products.demo import CATEGORIES, DemoProduct, demo_products, seed_demo_catalog

COUNTED = (
    models.Category,
    models.Product,
    models.ProductVariant,
    models.ProductImage,
    models.ProductTag,
    models.Inventory,
    models.InventoryMovement,
    models.Review,
)


@pytest.fixture
async def empty_products_db(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated products database of its own, empty."""
    own = replace(settings, database_prefix=f"{settings.database_prefix}demo_")
    await migrate_all(own, ["products"])
    engine = create_engine(own, "products")
    yield session_factory(engine)
    await engine.dispose()
    await drop_database(own, "products")


async def row_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as db:
        counts = {
            model.__tablename__: await db.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }
        events = select(OUTBOX.c.type, func.count()).group_by(OUTBOX.c.type)
        counts.update({kind: total for kind, total in (await db.execute(events)).all()})
        return counts


def expected_counts(count: int) -> dict[str, int]:
    """What seeding ``count`` products writes, from the generator itself."""
    items = list(demo_products(count))
    stocked = sum(bool(item.stock) + sum(bool(v.stock) for v in item.variants) for item in items)
    return {
        "categories": len(CATEGORIES),
        "products": count,
        "product_variants": sum(len(item.variants) for item in items),
        "product_images": sum(len(item.image_urls) for item in items),
        "product_tags": sum(len(item.tags) for item in items),
        "product_inventory": stocked,
        "inventory_movements": stocked,
        "product_reviews": sum(len(item.reviews) for item in items),
        "category.created": len(CATEGORIES),
        "product.created": count,
    }


async def test_seeding_writes_the_demo_catalog_once(
    empty_products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    async with empty_products_db() as db:
        first = await seed_demo_catalog(db, count=24)
    seeded = await row_counts(empty_products_db)

    # when
    async with empty_products_db() as db:
        second = await seed_demo_catalog(db, count=24)

    # then
    assert (first, second) == (24, 0)
    assert seeded == expected_counts(24)
    assert await row_counts(empty_products_db) == seeded


async def test_seeded_products_carry_their_stock_and_ratings(
    empty_products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    items = {item.sku: item for item in demo_products(24)}

    # when
    async with empty_products_db() as db:
        await seed_demo_catalog(db, count=24)

    # then
    async with empty_products_db() as db:
        rows = await db.scalars(select(models.Product))
        summary = {
            row.sku: (row.status, row.stock_quantity, row.review_count, row.average_rating)
            for row in rows
        }
    assert summary == {sku: _summary(item) for sku, item in items.items()}


def _summary(item: DemoProduct) -> tuple[str, int, int, Decimal]:
    ratings = [review.rating for review in item.reviews]
    average = Decimal(sum(ratings)) / len(ratings) if ratings else Decimal(0)
    stock = item.stock + sum(variant.stock for variant in item.variants)
    return ("active", stock, len(ratings), average.quantize(Decimal("0.01")))


async def test_a_database_with_a_catalog_of_its_own_is_left_alone(
    empty_products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    async with empty_products_db() as db:
        await categories.create_category(db, {"name": "Our own"})
    before = await row_counts(empty_products_db)

    # when
    async with empty_products_db() as db:
        seeded = await seed_demo_catalog(db, count=24)

    # then
    assert seeded == 0
    assert await row_counts(empty_products_db) == before
