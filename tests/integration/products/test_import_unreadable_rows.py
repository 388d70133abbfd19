"""Rows the fuzz tests found crashing ``productImport`` (INTERNAL_SERVER_ERROR, and the
rows before them left half imported): JSON Python cannot read, text PostgreSQL cannot
store, a CSV field over the reader's limit. Each is now that row's rejection; the
other rows are imported."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import models
from tests.fixtures.products import Caller, CategoryFactory
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_IMPORT = """
mutation Import($format: ProductImportFormat!, $content: String!) {
  productImport(input: {format: $format, content: $content}) {
    created rejected rejectedRows { line code message }
  }
}
"""


async def stored_skus(sessions: async_sessionmaker[AsyncSession], prefix: str) -> list[str]:
    async with sessions() as db:
        stmt = select(models.Product.sku).where(models.Product.sku.startswith(prefix))
        return sorted(await db.scalars(stmt))


async def test_json_lines_python_cannot_read_or_postgresql_cannot_store_are_rejected(
    products_service: RunningService, catalog_admin: Caller, category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory()
    prefix = f"JL-{new_id()[:8].upper()}"
    row = f'"name": "Desk", "price": "10", "categories": ["{shelf.slug}"]'
    content = "\n".join(
        [
            f'{{"sku": "{prefix}-1", {row}, "attributes": ' + "[" * 5000 + "]" * 5000 + "}",
            f'{{"sku": "{prefix}-2", {row}, "weight": {"9" * 5000}}}',
            f'{{"sku": "{prefix}-3", {row}, "description": "half a pair: \\ud800"}}',
            f'{{"sku": "{prefix}-4", {row}, "attributes": {{"colour\\u0000": "oak"}}}}',
            f'{{"sku": "{prefix}-5", {row}, "attributes": {{"depth": NaN}}}}',
            f'{{"sku": "{prefix}-6", {row}}}',
        ]
    )

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_IMPORT, {"format": "JSONL", "content": content}, token=catalog_admin.token
    )

    # then
    surrogate = "Text must be valid Unicode: no unpaired surrogates (U+D800 to U+DFFF)."
    assert body["data"]["productImport"] == {
        "created": 1,
        "rejected": 5,
        "rejectedRows": [
            {"line": 1, "code": "BAD_USER_INPUT", "message": "Not valid JSON: nested too deeply."},
            {
                "line": 2,
                "code": "BAD_USER_INPUT",
                "message": "Not valid JSON: a number is too long.",
            },
            {"line": 3, "code": "BAD_USER_INPUT", "message": surrogate},
            {
                "line": 4,
                "code": "BAD_USER_INPUT",
                "message": "Text must not contain the NUL character (U+0000).",
            },
            {
                "line": 5,
                "code": "INVALID_ATTRIBUTES",
                "message": "attributes value of 'depth' must be a finite number.",
            },
        ],
    }
    assert await stored_skus(products_service.sessions, prefix) == [f"{prefix}-6"]


async def test_a_csv_field_over_the_readers_limit_rejects_its_row_only(
    products_service: RunningService, catalog_admin: Caller, category_factory: CategoryFactory
) -> None:
    # given
    shelf = await category_factory()
    prefix = f"CSV-{new_id()[:8].upper()}"
    content = "\n".join(
        [
            "sku,name,price,categories,description",
            f'{prefix}-1,Desk,10,{shelf.slug},"{"x" * 200_000}"',
            f"{prefix}-2,Chair,20,{shelf.slug},Oak",
        ]
    )

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_IMPORT, {"format": "CSV", "content": content}, token=catalog_admin.token
    )

    # then
    assert body["data"]["productImport"] == {
        "created": 1,
        "rejected": 1,
        "rejectedRows": [
            {
                "line": 2,
                "code": "BAD_USER_INPUT",
                "message": "The row cannot be read: field larger than field limit (131072).",
            }
        ],
    }
    assert await stored_skus(products_service.sessions, prefix) == [f"{prefix}-2"]
