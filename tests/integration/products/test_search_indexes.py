"""Which index answers each kind of product lookup: the plans, with sequential scans
priced out, so that a small test table shows what a large catalog would use."""

from __future__ import annotations

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import search
from subgraphs.products.models import Product
from subgraphs.products.search import AttributeFilter, ProductFilter


async def plan_of(sessions: async_sessionmaker[AsyncSession], stmt: Select[tuple[str]]) -> str:
    async with sessions() as db:
        connection = await db.connection()
        compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        sql = str(compiled)
        await connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        rows = await connection.exec_driver_sql(f"EXPLAIN (COSTS OFF) {sql}")
        return "\n".join(row[0] for row in rows)


def matching(criteria: ProductFilter) -> Select[tuple[str]]:
    return select(Product.id).where(*search.product_search(criteria, staff=True).conditions)


async def test_an_attribute_filter_is_answered_from_the_attributes_index(
    products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given
    criteria = ProductFilter(attributes=(AttributeFilter("colour", ("red", "blue")),))

    # when
    plan = await plan_of(products_db, matching(criteria))

    # then
    assert "Bitmap Index Scan on ix_products_attributes" in plan


async def test_only_the_unique_index_holds_the_sku_itself(
    products_db: async_sessionmaker[AsyncSession],
) -> None:
    # given: an index on the column can answer `sku = ANY(...)`; one on lower(sku) cannot
    on_sku_column = text(
        "SELECT indexrelid::regclass::text FROM pg_index"
        " WHERE indrelid = 'products'::regclass AND ("
        "  SELECT attnum FROM pg_attribute"
        "  WHERE attrelid = 'products'::regclass AND attname = 'sku'"
        " ) = ANY(indkey)"
    )

    # when
    async with products_db() as db:
        indexes = list(await db.scalars(on_sku_column))

    # then
    assert indexes == ["uq_products_sku"]


async def test_text_search_finds_skus_through_the_lower_sku_trigram_index(
    products_db: async_sessionmaker[AsyncSession],
) -> None:
    # when
    plan = await plan_of(products_db, matching(ProductFilter(text="mug-01")))

    # then
    assert "Bitmap Index Scan on ix_products_lower_sku_trgm" in plan
    assert "Bitmap Index Scan on ix_products_name_trgm" in plan
    assert "Bitmap Index Scan on ix_products_search_vector" in plan
