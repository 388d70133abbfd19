from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, ProductFactory
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product {
      sku name slug price compareAtPrice costPrice status isVisible publishedAt
      attributes tags categories { id }
    }
  }
}
"""
MUTATION_PRODUCT_CREATE_ID = """
mutation Create($input: ProductCreateInput!) { productCreate(input: $input) { product { id } } }
"""


def create_input(category_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "input": {
            "sku": "hat-1",
            "name": "Wool Hat",
            "price": "19.90",
            "categoryIds": [category_id],
            **fields,
        }
    }


async def product_count(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as db:
        return await db.scalar(select(func.count()).select_from(models.Product)) or 0


async def test_admin_creates_a_draft_with_a_slug_from_its_name(
    products_service: RunningService, catalog_admin: Caller, category: models.Category
) -> None:
    # given
    sku = f"hat-{category.id[:8]}"

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE,
        create_input(
            category.id,
            sku=sku,
            name=f"Wool Hat {category.id[:8]}",
            costPrice="7.5",
            attributes={"material": "wool", "handmade": True},
            tags=[" Winter ", "winter", "Wool"],
        ),
        token=catalog_admin.token,
    )

    # then
    assert body == {
        "data": {
            "productCreate": {
                "product": {
                    "sku": sku.upper(),
                    "name": f"Wool Hat {category.id[:8]}",
                    "slug": f"wool-hat-{category.id[:8]}",
                    "price": "19.90",
                    "compareAtPrice": None,
                    "costPrice": "7.50",
                    "status": "DRAFT",
                    "isVisible": True,
                    "publishedAt": None,
                    "attributes": {"material": "wool", "handmade": True},
                    "tags": ["winter", "wool"],
                    "categories": [{"id": category.id}],
                }
            }
        }
    }


async def test_the_event_names_the_product_and_its_category(
    products_service: RunningService, catalog_admin: Caller, category: models.Category
) -> None:
    # given
    sku = f"EVT-{category.id[:8]}".upper()

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE_ID,
        create_input(category.id, sku=sku, status="ACTIVE"),
        token=catalog_admin.token,
    )

    # then
    product_id = body["data"]["productCreate"]["product"]["id"]
    [event] = await outbox_events(products_service.sessions, "product.created", product_id)
    assert event["source"] == "products"
    assert event["data"] | {"updatedAt": None} == {
        "productId": product_id,
        "sku": sku,
        "name": "Wool Hat",
        "slug": event["data"]["slug"],
        "price": "19.90",
        "compareAtPrice": None,
        "currency": "USD",
        "status": "active",
        "isVisible": True,
        "categoryIds": [category.id],
        "imageUrl": None,
        "updatedAt": None,
        "actor": catalog_admin.user_id,
    }


async def test_a_customer_is_forbidden_and_nothing_is_written(
    products_service: RunningService, customer_caller: Caller, category: models.Category
) -> None:
    # given
    before = await product_count(products_service.sessions)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE, create_input(category.id), token=customer_caller.token
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await product_count(products_service.sessions) == before


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"price": "0"}, ("INVALID_PRICE", "price must be greater than 0.", "price")),
        ({"price": "-3"}, ("INVALID_PRICE", "price must be greater than 0.", "price")),
        (
            {"compareAtPrice": "10.00"},
            (
                "INVALID_PRICE",
                "compareAtPrice must be at least the price (19.90).",
                "compareAtPrice",
            ),
        ),
        (
            {"categoryIds": []},
            ("CATEGORY_REQUIRED", "A product needs at least one category.", "categoryIds"),
        ),
        ({"name": "  "}, ("BAD_USER_INPUT", "name is required.", "name")),
        (
            {"weight": "-1"},
            (
                "BAD_USER_INPUT",
                "weight must be between 0 and 9999999.999 with at most 3 decimals.",
                "weight",
            ),
        ),
        (
            {"attributes": {"colour": ["red"]}},
            (
                "INVALID_ATTRIBUTES",
                "attributes value of 'colour' must be a string, number or boolean.",
                "attributes",
            ),
        ),
        (
            {"attributes": ["red"]},
            ("INVALID_ATTRIBUTES", "attributes must be an object.", "attributes"),
        ),
    ],
)
async def test_invalid_input_is_rejected_and_nothing_is_written(
    products_service: RunningService,
    catalog_admin: Caller,
    category: models.Category,
    fields: dict[str, Any],
    error: tuple[str, str, str],
) -> None:
    # given
    before = await product_count(products_service.sessions)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE, create_input(category.id, **fields), token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [error]
    assert await product_count(products_service.sessions) == before


async def test_an_unknown_category_is_not_found(
    products_service: RunningService, catalog_admin: Caller
) -> None:
    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE, create_input("no-such-category"), token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Category not found.", "categoryIds")]


async def test_a_taken_sku_is_rejected_even_in_other_case(
    products_service: RunningService,
    catalog_admin: Caller,
    category: models.Category,
    product_factory: ProductFactory,
) -> None:
    # given
    existing = await product_factory()
    before = await product_count(products_service.sessions)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_CREATE,
        create_input(category.id, sku=existing.sku.lower()),
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [("DUPLICATE_SKU", f"SKU {existing.sku} is already in use.", "sku")]
    assert await product_count(products_service.sessions) == before


async def test_a_taken_slug_from_the_name_gets_a_numeric_suffix(
    product_factory: ProductFactory,
) -> None:
    # given
    first = await product_factory(name="Clash Of Names")

    # when
    second = await product_factory(name="Clash of names!")
    third = await product_factory(name="clash-of-names")

    # then
    assert (first.slug, second.slug, third.slug) == (
        "clash-of-names",
        "clash-of-names-2",
        "clash-of-names-3",
    )
