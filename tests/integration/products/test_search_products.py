"""`products(filter, sort, first, after)`: text with typos, filters, visibility, facets.

Every test searches inside a category of its own, so products other tests make in the
shared database never match.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import inventory, models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, CategoryFactory, ProductFactory
from tests.fixtures.services import RunningService

QUERY_PRODUCTS = """
query Products($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
QUERY_PRODUCT_FACETS = """
query Facets($filter: ProductFilter) {
  products(filter: $filter) {
    facets {
      categories { category { name } count }
      priceBands { min max count }
      attributes { name values { value count } }
    }
  }
}
"""


async def search(
    service: RunningService, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    return await service.graphql(QUERY_PRODUCTS, variables, token=token)


def names(body: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in body["data"]["products"]["edges"]]


async def stock(
    sessions: async_sessionmaker[AsyncSession], product: models.Product, quantity: int
) -> None:
    async with sessions() as db:
        await inventory.restock(
            db, product_id=product.id, quantity=quantity, reason="test", actor="test"
        )


async def test_a_misspelt_word_still_finds_the_product(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    audio = await category_factory()
    await product_factory(name="Wireless Headphones", category_ids=[audio.id])
    await product_factory(name="Bluetooth Speaker", category_ids=[audio.id])

    # when
    body = await search(products_service, filter={"text": "headphnes", "categoryId": audio.id})

    # then
    found = body["data"]["products"]
    assert (found["totalCount"], names(body)) == (1, ["Wireless Headphones"])
    assert found["pageInfo"]["hasNextPage"] is False


async def test_text_matches_description_sku_and_tags_and_ranks_the_name_first(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shelf = await category_factory()
    await product_factory(name="Wool Socks", tags=["merino"], category_ids=[shelf.id])
    await product_factory(
        name="Plain Scarf", description="Knitted from merino yarn.", category_ids=[shelf.id]
    )
    await product_factory(name="Merino Beanie", category_ids=[shelf.id])
    await product_factory(name="Cotton Shirt", sku="MERINO-FREE-1", category_ids=[shelf.id])
    await product_factory(name="Silk Tie", category_ids=[shelf.id])

    # when
    body = await search(products_service, filter={"text": "merino", "categoryId": shelf.id})

    # then
    assert names(body) == ["Merino Beanie", "Cotton Shirt", "Wool Socks", "Plain Scarf"]


async def test_every_filter_narrows_the_match(
    products_service: RunningService,
    products_db: async_sessionmaker[AsyncSession],
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shop = await category_factory()
    products = {
        name: await product_factory(
            name=name,
            price=Decimal(price),
            tags=tags,
            attributes={"colour": colour},
            category_ids=[shop.id],
        )
        for name, price, tags, colour in [
            ("Red Mug", "12.00", ["kitchen"], "red"),
            ("Blue Mug", "14.00", ["kitchen"], "blue"),
            ("Red Lamp", "45.00", ["home"], "red"),
            ("Green Mug", "13.00", ["kitchen"], "green"),
            ("Red Bowl", "9.00", ["kitchen"], "red"),
        ]
    }
    for name in ("Red Mug", "Blue Mug", "Red Lamp", "Red Bowl"):
        await stock(products_db, products[name], 3)
    criteria = {
        "categoryId": shop.id,
        "minPrice": "10",
        "maxPrice": "40",
        "inStock": True,
        "tags": ["Kitchen"],
        "attributes": [{"name": "colour", "values": ["red", "blue"]}],
    }

    # when
    body = await search(products_service, filter=criteria, sort="PRICE_ASC")

    # then
    assert names(body) == ["Red Mug", "Blue Mug"]


async def test_a_category_holds_the_products_of_its_descendants(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    root = await category_factory()
    child = await category_factory(parent=root)
    grandchild = await category_factory(parent=child)
    sibling = await category_factory()
    await product_factory(name="In Root", category_ids=[root.id])
    await product_factory(name="In Grandchild", category_ids=[grandchild.id])
    await product_factory(name="Elsewhere", category_ids=[sibling.id])

    # when
    body = await search(products_service, filter={"categoryId": root.id}, sort="NEWEST")

    # then
    assert names(body) == ["In Grandchild", "In Root"]


async def test_customers_see_only_active_visible_products_and_staff_see_all(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
    customer_caller: Caller,
    support_agent_caller: Caller,
) -> None:
    # given
    shelf = await category_factory()
    await product_factory(name="Live", category_ids=[shelf.id])
    await product_factory(name="Draft", status="draft", category_ids=[shelf.id])
    await product_factory(name="Hidden", is_visible=False, category_ids=[shelf.id])
    criteria = {"categoryId": shelf.id}

    # when
    anonymous = await search(products_service, filter=criteria, sort="NEWEST")
    customer = await search(products_service, customer_caller.token, filter=criteria)
    staff = await search(products_service, support_agent_caller.token, filter=criteria)
    drafts = await search(
        products_service,
        support_agent_caller.token,
        filter={**criteria, "statuses": ["DRAFT"]},
    )

    # then
    assert (names(anonymous), names(customer)) == (["Live"], ["Live"])
    assert names(staff) == ["Hidden", "Draft", "Live"]
    assert names(drafts) == ["Draft"]


async def test_a_customer_filtering_by_status_is_forbidden(
    products_service: RunningService, customer_caller: Caller
) -> None:
    # when
    body = await search(products_service, customer_caller.token, filter={"statuses": ["DRAFT"]})

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "Only staff filter products by status.", None)]


async def test_facets_count_the_matching_products(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    root = await category_factory(name="Facet Root")
    cups = await category_factory(name="Facet Cups", parent=root)
    for name, price, colour, category in [
        ("Cup A", "8.00", "red", cups),
        ("Cup B", "20.00", "red", cups),
        ("Cup C", "30.00", "blue", cups),
        ("Plate", "120.00", "red", root),
    ]:
        await product_factory(
            name=name,
            price=Decimal(price),
            attributes={"colour": colour},
            category_ids=[category.id],
        )

    # when
    body = await products_service.graphql(QUERY_PRODUCT_FACETS, {"filter": {"categoryId": root.id}})

    # then
    assert body == {
        "data": {
            "products": {
                "facets": {
                    "categories": [
                        {"category": {"name": "Facet Cups"}, "count": 3},
                        {"category": {"name": "Facet Root"}, "count": 1},
                    ],
                    "priceBands": [
                        {"min": "0", "max": "10", "count": 1},
                        {"min": "10", "max": "25", "count": 1},
                        {"min": "25", "max": "50", "count": 1},
                        {"min": "100", "max": "250", "count": 1},
                    ],
                    "attributes": [
                        {
                            "name": "colour",
                            "values": [{"value": "red", "count": 3}, {"value": "blue", "count": 1}],
                        }
                    ],
                }
            }
        }
    }
