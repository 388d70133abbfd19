"""Product search on a large catalog: p50/p95 per query shape, and the plans that show
which indexes each shape uses.

Loads ``--products`` demo products into a scratch database (see products_catalog), then
runs each shape through ``subgraphs/products/search.py`` as a customer would (active,
visible products only): ``--iterations`` timed runs after two warm-ups, each a fresh
statement on one connection. Then prints EXPLAIN ANALYZE of every statement a shape sent.

Usage: python -m tests.benchmarks.products_search [--products 100000] [--iterations 30] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.database import create_engine, session_factory
from subgraphs.products import search
from subgraphs.products.catalog import public_products
from subgraphs.products.models import Category, Product
from subgraphs.products.search import AttributeFilter, ProductFilter, ProductSort
from tests.benchmarks.products_catalog import load_catalog, scratch_database

Shape = Callable[[AsyncSession], Awaitable[object]]


def shapes(category: dict[str, str], related_ids: list[str]) -> dict[str, Shape]:
    """The query shapes measured, by name."""

    def page(criteria: ProductFilter, sort: ProductSort, first: int = 20) -> Shape:
        async def run(db: AsyncSession) -> object:
            matching = search.product_search(criteria, staff=False)
            return await search.search_products(db, matching, sort, first=first)

        return run

    def tenth_page(criteria: ProductFilter, sort: ProductSort) -> Shape:
        async def run(db: AsyncSession) -> object:
            matching = search.product_search(criteria, staff=False)
            result, after = None, None
            for _ in range(10):
                result = await search.search_products(db, matching, sort, first=20, after=after)
                after = result.cursors[-1]
            return result

        return run

    def facets(criteria: ProductFilter) -> Shape:
        async def run(db: AsyncSession) -> object:
            matching = search.product_search(criteria, staff=False)
            # Started together, totalCount first, as graphql-core resolves sibling fields.
            return await asyncio.gather(
                search.count_products(db, matching), search.product_facets(db, matching)
            )

        return run

    async def related(db: AsyncSession) -> object:
        return await search.related_products_by_keys(db, [(id_, 5) for id_ in related_ids])

    electronics = ProductFilter(
        text="wireless headphones",
        category_id=category["electronics"],
        min_price=Decimal(20),
        max_price=Decimal(300),
        in_stock=True,
    )
    fashion = ProductFilter(
        category_id=category["fashion"],
        min_price=Decimal(20),
        max_price=Decimal(100),
        in_stock=True,
    )
    return {
        "text 'wireless headphones'": page(
            ProductFilter(text="wireless headphones"), ProductSort.RELEVANCE
        ),
        "typo 'headphnes'": page(ProductFilter(text="headphnes"), ProductSort.RELEVANCE),
        "text+category+price+stock, relevance": page(electronics, ProductSort.RELEVANCE),
        "category+price+stock, price asc": page(fashion, ProductSort.PRICE_ASC),
        "browse all, newest": page(ProductFilter(), ProductSort.NEWEST),
        "leaf category, rating": page(
            ProductFilter(category_id=category["audio"]), ProductSort.RATING
        ),
        "attribute+tag, price desc": page(
            ProductFilter(tags=("gifts",), attributes=(AttributeFilter("colour", ("red",)),)),
            ProductSort.PRICE_DESC,
        ),
        "browse all, newest, page 10": tenth_page(ProductFilter(), ProductSort.NEWEST),
        "count+facets of text+category+price+stock": facets(electronics),
        "count+facets of category+price+stock": facets(fashion),
        "related products of 20 products": related,
    }


@contextmanager
def recorded(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement (and its parameters) the engine sends while the block runs."""
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def timed(db: AsyncSession, shape: Shape, iterations: int) -> list[float]:
    for _ in range(2):
        await shape(db)
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        await shape(db)
        samples.append(time.perf_counter() - started)
    return samples


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered) * 1000:8.2f} ms   p95 {p95 * 1000:8.2f} ms"


async def explain(db: AsyncSession, statements: list[tuple[str, Any]]) -> list[str]:
    plans = []
    for statement, parameters in statements:
        result = await db.connection()
        rows = await result.exec_driver_sql(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + statement, parameters
        )
        plans.append("\n".join(row[0] for row in rows))
    return plans


async def main(products: int, iterations: int, keep: bool) -> None:
    async with scratch_database(keep=keep) as scratch:
        connection = await asyncpg.connect(scratch.url)
        try:
            await load_catalog(connection, products)
        finally:
            await connection.close()
        engine = create_engine(scratch.settings, "products")
        try:
            async with session_factory(engine)() as db:
                categories = dict((await db.execute(select(Category.slug, Category.id))).all())
                public = select(Product.id).where(public_products()).limit(20)
                related_ids = list(await db.scalars(public))
                measured = shapes(categories, related_ids)
                print(f"\n{products} products, {iterations} runs per shape\n")
                for name, shape in measured.items():
                    print(f"{name:45} {percentiles(await timed(db, shape, iterations))}")
                print("\nPlans (EXPLAIN ANALYZE, one run):")
                for name, shape in measured.items():
                    with recorded(engine) as statements:
                        await shape(db)
                    # The same text twice (page after page) is one plan.
                    distinct = list({sql: (sql, params) for sql, params in statements}.values())
                    for plan in await explain(db, distinct):
                        print(f"\n--- {name}\n{plan}")
        finally:
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    asyncio.run(main(args.products, args.iterations, args.keep))
