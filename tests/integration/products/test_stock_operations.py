"""Checkout's stock operations on the products subgraph, called directly as the orders
service calls them: only with a service token, and never through the router."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from router.app import create_router_app
from router.composition import SubgraphSource, compose
from shared.database import new_id
from shared.runtime.platform import existing_subgraphs
from shared.runtime.sdl import sdl_file
from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import StockFactory, stock_levels
from tests.fixtures.services import RunningService
from tests.router.fixtures.servers import serve

QUERY_STOCK_CHECK = """
query($lines: [StockLineInput!]!) {
  stockCheck(lines: $lines) { productId requested available sufficient }
}
"""
MUTATION_STOCK_RESERVE = """
mutation($input: StockReserveInput!) {
  stockReserve(input: $input) {
    reservationKey status orderId lines { productId variantId location quantity }
  }
}
"""
MUTATION_STOCK_COMMIT = """
mutation($input: StockReservationInput!) {
  stockCommit(input: $input) { reservationKey status }
}
"""
QUERY_PRODUCT_STOCK = "query($id: ID!) { product(id: $id) { id stock { inStock } } }"
# Nothing listens on port 9 (discard) on loopback.
UNREACHABLE_URL = "http://127.0.0.1:9/graphql"


@pytest.fixture
async def router_url(products_service: RunningService) -> AsyncIterator[str]:
    """Our router on the checked-in SDL, products routed to the running service."""
    sources = [
        SubgraphSource(
            name,
            f"{products_service.url}/graphql" if name == "products" else UNREACHABLE_URL,
            sdl_file(name).read_text(),
        )
        for name in existing_subgraphs()
    ]
    result = compose(sources)
    assert result.errors == [] and result.supergraph_sdl is not None
    router = await serve(create_router_app(result.supergraph_sdl))
    yield f"{router.url}/graphql"
    await router.stop()


async def _post(url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(url, json={"query": query, "variables": variables})
    return dict(response.json())


async def test_service_reserves_and_commits(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    service_token: str,
) -> None:
    # given
    await stock_factory(product.id, 10)
    key, order_id = new_id(), new_id()
    lines = [{"productId": product.id, "quantity": 3}]

    # when
    reserved = await products_service.graphql(
        MUTATION_STOCK_RESERVE,
        {"input": {"reservationKey": key, "lines": lines, "orderId": order_id}},
        token=service_token,
    )
    committed = await products_service.graphql(
        MUTATION_STOCK_COMMIT, {"input": {"reservationKey": key}}, token=service_token
    )

    # then
    assert reserved == {
        "data": {
            "stockReserve": {
                "reservationKey": key,
                "status": "RESERVED",
                "orderId": order_id,
                "lines": [
                    {
                        "productId": product.id,
                        "variantId": None,
                        "location": "default",
                        "quantity": 3,
                    }
                ],
            }
        }
    }
    assert committed == {"data": {"stockCommit": {"reservationKey": key, "status": "COMMITTED"}}}
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (7, 0)}


async def test_stock_check_tells_what_one_location_can_supply(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    service_token: str,
) -> None:
    # given
    await stock_factory(product.id, 4, location="berlin")
    await stock_factory(product.id, 6, location="paris")

    # when
    body = await products_service.graphql(
        QUERY_STOCK_CHECK,
        {"lines": [{"productId": product.id, "quantity": 8}]},
        token=service_token,
    )

    # then
    assert body == {
        "data": {
            "stockCheck": [
                {"productId": product.id, "requested": 8, "available": 6, "sufficient": False}
            ]
        }
    }


@pytest.mark.parametrize(
    ("caller", "code"),
    [(None, "UNAUTHENTICATED"), ("customer_caller", "FORBIDDEN"), ("catalog_admin", "FORBIDDEN")],
)
async def test_without_a_service_token_nothing_is_reserved(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    request: pytest.FixtureRequest,
    caller: str | None,
    code: str,
) -> None:
    # given
    await stock_factory(product.id, 10)
    token = request.getfixturevalue(caller).token if caller else None
    lines = [{"productId": product.id, "quantity": 3}]

    # when
    body = await products_service.graphql(
        MUTATION_STOCK_RESERVE, {"input": {"reservationKey": new_id(), "lines": lines}}, token=token
    )

    # then
    assert body["data"] is None
    assert [error[0] for error in errors_of(body)] == [code]
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (10, 0)}


async def test_the_router_does_not_expose_the_stock_operations(
    router_url: str,
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
) -> None:
    # given
    await stock_factory(product.id, 10)
    lines = [{"productId": product.id, "quantity": 3}]

    # when
    check = await _post(router_url, QUERY_STOCK_CHECK, {"lines": lines})
    reserve = await _post(
        router_url, MUTATION_STOCK_RESERVE, {"input": {"reservationKey": new_id(), "lines": lines}}
    )
    visible = await _post(router_url, QUERY_PRODUCT_STOCK, {"id": product.id})

    # then
    assert [(error["extensions"]["code"], error["message"]) for error in check["errors"]] == [
        ("GRAPHQL_VALIDATION_FAILED", "Unknown type 'StockLineInput'. Did you mean 'LoginInput'?"),
        ("GRAPHQL_VALIDATION_FAILED", "Cannot query field 'stockCheck' on type 'Query'."),
    ]
    assert [(error["extensions"]["code"], error["message"]) for error in reserve["errors"]] == [
        ("GRAPHQL_VALIDATION_FAILED", "Unknown type 'StockReserveInput'."),
        ("GRAPHQL_VALIDATION_FAILED", "Cannot query field 'stockReserve' on type 'Mutation'."),
    ]
    assert "data" not in check and "data" not in reserve
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (10, 0)}
    assert visible == {"data": {"product": {"id": product.id, "stock": {"inStock": True}}}}
