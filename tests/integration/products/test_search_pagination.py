"""`products`: keyset pages under each sort, and the limits of `first` and `after`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import CategoryFactory, ProductFactory
from tests.fixtures.services import RunningService

QUERY_PRODUCTS = """
query Products($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
  products(filter: $filter, sort: $sort, first: $first, after: $after) {
    edges { node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# name, price, average rating: ties on price and rating, so the id must break them.
PRODUCTS = [
    ("Anorak", "30.00", "4.50"),
    ("Boots", "80.00", "3.00"),
    ("Cap", "15.00", "4.50"),
    ("Duffel", "80.00", "5.00"),
    ("Earmuffs", "15.00", "0"),
]


async def every_page(
    service: RunningService, filter: dict[str, Any], sort: str, first: int
) -> list[list[str]]:
    """The names on each page, following endCursor until the last page."""
    pages: list[list[str]] = []
    after = None
    while True:
        variables = {"filter": filter, "sort": sort, "first": first, "after": after}
        body = await service.graphql(QUERY_PRODUCTS, variables)
        connection = body["data"]["products"]
        pages.append([edge["node"]["name"] for edge in connection["edges"]])
        if not connection["pageInfo"]["hasNextPage"]:
            return pages
        after = connection["pageInfo"]["endCursor"]


@dataclass(frozen=True)
class Shop:
    """The PRODUCTS, alone in a category: ``filter`` finds just them."""

    filter: dict[str, str]
    products: dict[str, models.Product]

    def names_by_id(self) -> dict[str, str]:
        return {product.id: name for name, product in self.products.items()}


@pytest.fixture
async def outdoor_shop(
    products_db: async_sessionmaker[AsyncSession],
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> Shop:
    shop = await category_factory()
    made = {}
    for name, price, rating in PRODUCTS:
        made[name] = await product_factory(
            name=name, price=Decimal(price), tags=["outdoor"], category_ids=[shop.id]
        )
        async with products_db() as db:
            await db.execute(
                update(models.Product)
                .where(models.Product.id == made[name].id)
                .values(average_rating=Decimal(rating))
            )
            await db.commit()
    return Shop({"categoryId": shop.id}, made)


async def test_price_pages_neither_skip_nor_repeat_products(
    products_service: RunningService, outdoor_shop: Shop
) -> None:
    # given
    shop = outdoor_shop.filter
    cap, earmuffs = sorted([outdoor_shop.products["Cap"].id, outdoor_shop.products["Earmuffs"].id])
    boots, duffel = sorted([outdoor_shop.products["Boots"].id, outdoor_shop.products["Duffel"].id])
    name = outdoor_shop.names_by_id()

    # when
    ascending = await every_page(products_service, shop, "PRICE_ASC", 2)
    descending = await every_page(products_service, shop, "PRICE_DESC", 2)

    # then
    assert ascending == [[name[cap], name[earmuffs]], ["Anorak", name[boots]], [name[duffel]]]
    assert descending == [[name[duffel], name[boots]], ["Anorak", name[earmuffs]], [name[cap]]]


async def test_newest_and_rating_pages_follow_their_order(
    products_service: RunningService, outdoor_shop: Shop
) -> None:
    # given
    shop = outdoor_shop.filter
    anorak, cap = sorted(
        [outdoor_shop.products["Anorak"].id, outdoor_shop.products["Cap"].id], reverse=True
    )
    name = outdoor_shop.names_by_id()

    # when
    newest = await every_page(products_service, shop, "NEWEST", 3)
    rating = await every_page(products_service, shop, "RATING", 3)

    # then
    assert newest == [["Earmuffs", "Duffel", "Cap"], ["Boots", "Anorak"]]
    assert rating == [["Duffel", name[anorak], name[cap]], ["Boots", "Earmuffs"]]


async def test_relevance_pages_break_equal_ranks_by_id(
    products_service: RunningService, outdoor_shop: Shop
) -> None:
    # given
    query = {**outdoor_shop.filter, "text": "outdoor"}
    name = outdoor_shop.names_by_id()
    by_id = [name[product_id] for product_id in sorted(name, reverse=True)]

    # when
    pages = await every_page(products_service, query, "RELEVANCE", 2)

    # then
    assert pages == [by_id[0:2], by_id[2:4], by_id[4:]]


@pytest.mark.parametrize(
    ("variables", "code", "message", "field"),
    [
        ({"first": 0}, "BAD_USER_INPUT", "first must be between 1 and 100.", "first"),
        ({"first": 101}, "BAD_USER_INPUT", "first must be between 1 and 100.", "first"),
        (
            {"after": "not-a-cursor"},
            "INVALID_CURSOR",
            "The cursor is not valid for this sort.",
            "after",
        ),
        (
            {"filter": {"minPrice": "20", "maxPrice": "10"}},
            "BAD_USER_INPUT",
            "maxPrice must not be below minPrice.",
            "maxPrice",
        ),
        (
            {"filter": {"minRating": "6"}},
            "BAD_USER_INPUT",
            "minRating must be between 0 and 5.",
            "minRating",
        ),
        (
            {"filter": {"text": "x" * 201}},
            "BAD_USER_INPUT",
            "text must be at most 200 characters.",
            "text",
        ),
    ],
)
async def test_bad_arguments_are_refused_with_their_field(
    products_service: RunningService,
    variables: dict[str, Any],
    code: str,
    message: str,
    field: str,
) -> None:
    # when
    body = await products_service.graphql(QUERY_PRODUCTS, variables)

    # then
    assert body["data"] is None
    assert errors_of(body) == [(code, message, field)]


async def test_a_cursor_of_another_sort_is_refused(
    products_service: RunningService, outdoor_shop: Shop
) -> None:
    # given
    shop = outdoor_shop.filter
    variables = {"filter": shop, "sort": "PRICE_ASC", "first": 1}
    first_page = await products_service.graphql(QUERY_PRODUCTS, variables)
    cursor = first_page["data"]["products"]["pageInfo"]["endCursor"]

    # when
    body = await products_service.graphql(
        QUERY_PRODUCTS, {**variables, "sort": "NEWEST", "after": cursor}
    )

    # then
    assert errors_of(body) == [
        ("INVALID_CURSOR", "The cursor is not valid for this sort.", "after")
    ]
