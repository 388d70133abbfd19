"""`productImport(input: {format, content})`: admins import a file sent inline."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import models
from subgraphs.products.importer import MAX_CONTENT_CHARS
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, CategoryFactory, ProductsExecutor
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_IMPORT = """
mutation Import($format: ProductImportFormat!, $content: String!) {
  productImport(input: {format: $format, content: $content}) {
    created updated unchanged rejected
    rejectedRows { line code message field }
  }
}
"""


async def stored_skus(sessions: async_sessionmaker[AsyncSession], *skus: str) -> list[str]:
    async with sessions() as db:
        stmt = select(models.Product.sku).where(models.Product.sku.in_(skus))
        return sorted(await db.scalars(stmt))


async def test_an_admin_imports_json_lines(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category_factory: CategoryFactory,
) -> None:
    # given
    shelf = await category_factory(slug=f"shelf-{new_id()[:8]}")
    good, bad = f"JL-{new_id()[:8].upper()}", f"JL-{new_id()[:8].upper()}"
    lines = [
        {"sku": good, "name": "Oak Desk", "price": 199.0, "categories": [shelf.slug]},
        {"sku": bad, "name": "Odd Desk", "price": "cheap", "categories": [shelf.slug]},
        {"sku": bad, "name": 7, "price": 5, "categories": [shelf.slug]},
    ]
    content = "\n".join(json.dumps(line) for line in lines)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_IMPORT, {"format": "JSONL", "content": content}, token=catalog_admin.token
    )

    # then
    assert body == {
        "data": {
            "productImport": {
                "created": 1,
                "updated": 0,
                "unchanged": 0,
                "rejected": 2,
                "rejectedRows": [
                    {
                        "line": 2,
                        "code": "BAD_USER_INPUT",
                        "message": "price must be a decimal number.",
                        "field": "price",
                    },
                    {
                        "line": 3,
                        "code": "BAD_USER_INPUT",
                        "message": "name must be a string.",
                        "field": "name",
                    },
                ],
            }
        }
    }
    assert await stored_skus(products_db, good, bad) == [good]


async def test_a_customer_may_not_import(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    customer_caller: Caller,
    category: models.Category,
) -> None:
    # given
    sku = f"NO-{new_id()[:8].upper()}"
    content = f"sku,name,price,categories\n{sku},Sneaky,1,{category.slug}\n"

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_IMPORT, {"format": "CSV", "content": content}, token=customer_caller.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await stored_skus(products_db, sku) == []


async def test_a_bad_header_rejects_the_whole_file(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    catalog_admin: Caller,
    category: models.Category,
) -> None:
    # given
    sku = f"HDR-{new_id()[:8].upper()}"
    content = f"sku,name,price,categories,colour\n{sku},Fine,1,{category.slug},red\n"

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_IMPORT, {"format": "CSV", "content": content}, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("INVALID_IMPORT_FILE", "Unknown column(s): colour.", "content")]
    assert await stored_skus(products_db, sku) == []


async def test_content_beyond_the_cap_is_refused(
    products_in_process: ProductsExecutor, catalog_admin: Caller
) -> None:
    # given
    content = "sku,name,price\n" + "x" * MAX_CONTENT_CHARS

    # when
    result = await products_in_process(
        MUTATION_PRODUCT_IMPORT, {"format": "CSV", "content": content}, token=catalog_admin.token
    )

    # then
    assert result.data is None
    assert [(e.extensions or {}).get("code") for e in result.errors or []] == ["IMPORT_TOO_LARGE"]
    assert [e.message for e in result.errors or []] == [
        f"content must be at most {MAX_CONTENT_CHARS} characters; import larger files"
        " with `commerce import-products`."
    ]
