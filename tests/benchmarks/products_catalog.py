"""What the products benchmarks share: a scratch products database, migrated as the
service's is, and a large catalog drawn from the demo generator, loaded with COPY.

The scratch database is ``bench_products`` on COMMERCE_DATABASE_URL (default: the local
server), dropped afterwards unless asked to keep it.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta

import asyncpg

from shared.database import drop_database, new_id, utcnow
from shared.migrations import migrate_all
from shared.settings import Settings
from subgraphs.products.demo import CATEGORIES, demo_products

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432"
# Of the products loaded: 90 % active (a few hidden), 5 % drafts, 5 % archived.
STATUSES = ("active",) * 18 + ("draft", "archived")


@dataclass(frozen=True)
class Scratch:
    settings: Settings
    url: str


@asynccontextmanager
async def scratch_database(*, keep: bool = False) -> AsyncIterator[Scratch]:
    """A fresh, migrated products database for one benchmark run."""
    server = os.environ.get("COMMERCE_DATABASE_URL", DEFAULT_DATABASE_URL).rstrip("/")
    settings = replace(Settings(), database_url=server, database_prefix="bench_")
    await drop_database(settings, "products")
    await migrate_all(settings, ["products"])
    try:
        yield Scratch(settings, f"{server}/{settings.database_name('products')}")
    finally:
        if not keep:
            await drop_database(settings, "products")


async def load_categories(connection: asyncpg.Connection) -> dict[str, str]:
    """The demo category tree; returns category ids by slug."""
    ids: dict[str, str] = {}
    paths: dict[str, str] = {}
    now = utcnow()
    for order, category in enumerate(CATEGORIES):
        ids[category.slug] = new_id()
        parent = category.parent_slug
        paths[category.slug] = (paths[parent] if parent else "") + ids[category.slug] + "/"
        await connection.execute(
            "INSERT INTO categories (id, name, slug, parent_id, level, sort_order, is_active,"
            " path, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8, $8)",
            ids[category.slug],
            category.name,
            category.slug,
            ids[parent] if parent else None,
            1 if parent else 0,
            order,
            paths[category.slug],
            now,
        )
    return ids


async def load_catalog(connection: asyncpg.Connection, count: int) -> None:
    """``count`` products with categories, tags and stock, by COPY.

    The search-vector triggers are off while loading and the vectors computed in one
    statement after: row by row, each tag would rewrite its product's vector.
    """
    started = time.perf_counter()
    category_ids = await load_categories(connection)
    rng = random.Random(7)
    now = utcnow()
    products, links, tags, stock = [], [], [], []
    for item in demo_products(count):
        product_id = new_id()
        created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        rated = rng.random() < 0.5
        products.append(
            (
                product_id,
                item.sku,
                item.name,
                item.sku.lower(),
                item.description,
                item.price,
                item.compare_at_price,
                rng.choice(STATUSES),
                rng.random() > 0.03,
                json.dumps(item.attributes),
                round(rng.uniform(1, 5), 2) if rated else 0,
                rng.randint(1, 40) if rated else 0,
                created,
                created,
            )
        )
        links.append((new_id(), product_id, category_ids[item.category_slug], now))
        tags += [(new_id(), product_id, tag, now) for tag in item.tags]
        stock.append((new_id(), product_id, item.stock, 0, 5, now, now))
    await connection.execute("ALTER TABLE products DISABLE TRIGGER products_search_vector")
    await connection.execute("ALTER TABLE product_tags DISABLE TRIGGER USER")
    await connection.copy_records_to_table(
        "products",
        records=products,
        columns=[
            "id",
            "sku",
            "name",
            "slug",
            "description",
            "price",
            "compare_at_price",
            "status",
            "is_visible",
            "attributes",
            "average_rating",
            "review_count",
            "created_at",
            "updated_at",
        ],
    )
    await connection.copy_records_to_table(
        "product_categories",
        records=links,
        columns=["id", "product_id", "category_id", "created_at"],
    )
    await connection.copy_records_to_table(
        "product_tags", records=tags, columns=["id", "product_id", "tag", "created_at"]
    )
    await connection.copy_records_to_table(
        "product_inventory",
        records=stock,
        columns=[
            "id",
            "product_id",
            "quantity",
            "reserved",
            "low_stock_threshold",
            "created_at",
            "updated_at",
        ],
    )
    await connection.execute(
        "UPDATE products SET search_vector = product_search_document(id, name, sku, description)"
    )
    await connection.execute("ALTER TABLE products ENABLE TRIGGER products_search_vector")
    await connection.execute("ALTER TABLE product_tags ENABLE TRIGGER USER")
    await connection.execute("VACUUM ANALYZE")
    print(f"loaded {count} products in {time.perf_counter() - started:.1f} s")
