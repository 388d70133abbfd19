"""``stockReserve`` stores the order's id with the reservation: one longer than an id
once failed in SQL (INTERNAL_SERVER_ERROR); it is refused before anything is held."""

from __future__ import annotations

import pytest

from shared.database import new_id
from subgraphs.products import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import StockFactory, count_rows, stock_levels
from tests.fixtures.services import RunningService

MUTATION_STOCK_RESERVE = """
mutation($input: StockReserveInput!) { stockReserve(input: $input) { reservationKey } }
"""


@pytest.mark.parametrize("order_id", ["o" * 37, "order\n1", ""])
async def test_an_order_id_that_is_no_id_holds_nothing(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    service_token: str,
    order_id: str,
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    reservation = {
        "reservationKey": key,
        "orderId": order_id,
        "lines": [{"productId": product.id, "quantity": 2}],
    }

    # when
    body = await products_service.graphql(
        MUTATION_STOCK_RESERVE, {"input": reservation}, token=service_token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "orderId must be an order's id.", "orderId")]
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (10, 0)}
    held = models.InventoryReservation.reservation_key == key
    assert await count_rows(products_service.sessions, models.InventoryReservation, held) == 0
