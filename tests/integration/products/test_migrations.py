from __future__ import annotations

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from shared.migrations import downgrade, upgrade
from shared.settings import Settings
from subgraphs.products.models import Base
from tests.fixtures.migrations import (
    EmptyDatabase,
    inspect_database,
    model_differences,
    table_names,
)

PRODUCT_TABLES = {
    "categories",
    "inbox_events",
    "inventory_movements",
    "inventory_reservations",
    "outbox_events",
    "product_categories",
    "product_images",
    "product_inventory",
    "product_pairs",
    "product_reviews",
    "product_tags",
    "product_variants",
    "products",
    "review_votes",
    "skus",
    "verified_purchases",
}


@pytest.fixture
async def empty_products_database(empty_database: EmptyDatabase) -> Settings:
    return await empty_database("products")


def _search_vector_after_tagging(connection: Connection) -> str:
    connection.execute(
        text(
            "INSERT INTO products (id, sku, name, slug, description, price, created_at,"
            " updated_at) VALUES ('p1', 'SKU-1', 'Woollen scarves', 'woollen-scarves',"
            " 'Knitted by hand', 10, now(), now())"
        )
    )
    connection.execute(
        text(
            "INSERT INTO product_tags (id, product_id, tag, created_at)"
            " VALUES ('t1', 'p1', 'winter', now())"
        )
    )
    return str(connection.scalar(text("SELECT search_vector::text FROM products")))


async def test_upgrade_from_empty_creates_exactly_the_models(
    empty_products_database: Settings,
) -> None:
    # given: an empty database

    # when
    await upgrade(empty_products_database, "products")

    # then
    assert await model_differences(empty_products_database, "products", Base.metadata) == []
    assert await table_names(empty_products_database, "products") == {
        "alembic_version",
        *PRODUCT_TABLES,
    }


async def test_search_vector_weighs_name_sku_tags_and_description(
    empty_products_database: Settings,
) -> None:
    # given
    await upgrade(empty_products_database, "products")

    # when
    vector = await inspect_database(
        empty_products_database, "products", _search_vector_after_tagging
    )

    # then
    assert vector == ("'-1':4B 'hand':8C 'knit':6C 'scarv':2A 'sku':3B 'winter':5B 'woollen':1A")


def _tag_writes(connection: Connection) -> list[tuple[int, list[str]]]:
    """Tag statements of several rows each: for each, how many product rows it rewrote
    and the product's B-weighted words (SKU and tags) after it."""
    connection.execute(
        text(
            "INSERT INTO products (id, sku, name, slug, price, created_at, updated_at)"
            " VALUES ('p1', 'SKU-1', 'Scarf', 'scarf', 10, now(), now()),"
            " ('p2', 'SKU-2', 'Hat', 'hat', 10, now(), now())"
        )
    )
    statements = (
        "INSERT INTO product_tags (id, product_id, tag, created_at) VALUES"
        " ('t1', 'p1', 'winter', now()), ('t2', 'p1', 'gift', now()),"
        " ('t3', 'p1', 'wool', now())",
        "UPDATE product_tags SET tag = 'knitted' WHERE id = 't2'",
        "UPDATE product_tags SET product_id = 'p2' WHERE id = 't3'",
        "DELETE FROM product_tags WHERE id IN ('t1', 't2')",
    )
    updates = "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'products'"
    words = "SELECT tsvector_to_array(ts_filter(search_vector, '{b}')) FROM products ORDER BY id"
    outcomes = []
    for statement in statements:
        before = connection.scalar(text(updates))
        connection.execute(text(statement))
        rewritten = connection.scalar(text(updates)) - before
        outcomes.append((rewritten, [" ".join(row) for row in connection.scalars(text(words))]))
    return outcomes


async def test_a_tag_statement_rewrites_each_product_it_touches_once(
    empty_products_database: Settings,
) -> None:
    # given
    await upgrade(empty_products_database, "products")

    # when
    outcomes = await inspect_database(empty_products_database, "products", _tag_writes)

    # then
    assert outcomes == [
        (1, ["-1 gift sku winter wool", "-2 sku"]),
        (1, ["-1 knit sku winter wool", "-2 sku"]),
        (2, ["-1 knit sku winter", "-2 sku wool"]),
        (1, ["-1 sku", "-2 sku wool"]),
    ]


def _sku_outcomes(connection: Connection) -> tuple[list[str], list[str]]:
    """Write SKUs through plain SQL, as any writer could: which writes the database
    refused, and the SKUs registered at the end."""
    writes = {
        "product": "INSERT INTO products (id, sku, name, slug, price, created_at, updated_at)"
        " VALUES ('p1', 'SKU-1', 'Scarf', 'scarf', 10, now(), now())",
        "variant taking the product's sku": "INSERT INTO product_variants"
        " (id, product_id, sku, name, created_at, updated_at)"
        " VALUES ('v1', 'p1', 'SKU-1', 'Red', now(), now())",
        "product renamed": "UPDATE products SET sku = 'SKU-2' WHERE id = 'p1'",
        "variant taking the freed sku": "INSERT INTO product_variants"
        " (id, product_id, sku, name, created_at, updated_at)"
        " VALUES ('v2', 'p1', 'SKU-1', 'Blue', now(), now())",
        "product taking the variant's sku": "UPDATE products SET sku = 'SKU-1' WHERE id = 'p1'",
        "variant deleted": "DELETE FROM product_variants WHERE id = 'v2'",
    }
    refused = []
    for name, statement in writes.items():
        try:
            with connection.begin_nested():
                connection.execute(text(statement))
        except IntegrityError:
            refused.append(name)
    registered = list(connection.scalars(text("SELECT sku FROM skus ORDER BY sku")))
    return refused, registered


async def test_the_database_keeps_skus_unique_across_products_and_variants(
    empty_products_database: Settings,
) -> None:
    # given
    await upgrade(empty_products_database, "products")

    # when
    refused, registered = await inspect_database(empty_products_database, "products", _sku_outcomes)

    # then
    assert refused == ["variant taking the product's sku", "product taking the variant's sku"]
    assert registered == ["SKU-2"]


async def test_downgrade_to_base_removes_every_table(empty_products_database: Settings) -> None:
    # given
    await upgrade(empty_products_database, "products")

    # when
    await downgrade(empty_products_database, "products", "base")

    # then
    assert await table_names(empty_products_database, "products") == {"alembic_version"}


async def test_upgrade_after_downgrade_matches_the_models_again(
    empty_products_database: Settings,
) -> None:
    # given
    await upgrade(empty_products_database, "products")
    await downgrade(empty_products_database, "products", "base")

    # when
    await upgrade(empty_products_database, "products")

    # then
    assert await model_differences(empty_products_database, "products", Base.metadata) == []
