"""``categoryProducts`` and ``Product.reviews`` take opaque cursors: one holding a time
that has no UTC equivalent (the calendar's first and last hours, far from UTC) once
crashed the query; it is a cursor like any other that this service did not make."""

from __future__ import annotations

import base64

import pytest

from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import ProductFactory
from tests.fixtures.services import RunningService

QUERY_CATEGORY_PRODUCTS = """
query Products($id: ID!, $after: String) {
  categoryProducts(categoryId: $id, first: 5, after: $after) { edges { node { sku } } }
}
"""
QUERY_PRODUCT_REVIEWS = """
query Reviews($id: ID!, $after: String) {
  product(id: $id) { reviews(first: 5, after: $after) { edges { node { id } } } }
}
"""
EDGES_OF_TIME = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"]


def cursor_at(created_at: str) -> str:
    return base64.urlsafe_b64encode(f"{created_at}|some-id".encode()).decode()


@pytest.mark.parametrize("created_at", EDGES_OF_TIME)
async def test_a_cursor_at_the_edge_of_time_is_not_valid(
    products_service: RunningService,
    category: models.Category,
    product_factory: ProductFactory,
    created_at: str,
) -> None:
    # given
    await product_factory()

    # when
    body = await products_service.graphql(
        QUERY_CATEGORY_PRODUCTS, {"id": category.id, "after": cursor_at(created_at)}
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "The cursor is not valid.", "after")]


@pytest.mark.parametrize("created_at", EDGES_OF_TIME)
async def test_a_review_cursor_at_the_edge_of_time_is_not_valid(
    products_service: RunningService, product: models.Product, created_at: str
) -> None:
    # when
    body = await products_service.graphql(
        QUERY_PRODUCT_REVIEWS, {"id": product.id, "after": cursor_at(created_at)}
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "The cursor is not valid.", "after")]
