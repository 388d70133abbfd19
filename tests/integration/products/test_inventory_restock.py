"""Staff's stock changes (inventoryRestock, inventoryAdjust) and what each caller sees of
stock on Product."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from subgraphs.products import models, reservations
from subgraphs.products.reservations import StockLine
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, StockFactory, stock_levels
from tests.fixtures.services import RunningService

MUTATION_INVENTORY_RESTOCK = """
mutation($input: InventoryRestockInput!) {
  inventoryRestock(input: $input) { inventory { location quantity reserved available } }
}
"""
MUTATION_INVENTORY_ADJUST = """
mutation($input: InventoryAdjustInput!) {
  inventoryAdjust(input: $input) { inventory { quantity reserved available } }
}
"""
QUERY_PRODUCT_STOCK = """
query($id: ID!) {
  product(id: $id) { stock { inStock availableQuantity } inventory { location available } }
}
"""


async def _movements(
    sessions: async_sessionmaker[AsyncSession], product_id: str
) -> list[tuple[int, str, str]]:
    stmt = (
        select(models.InventoryMovement.delta, models.InventoryMovement.reason)
        .add_columns(models.InventoryMovement.actor)
        .join(models.Inventory)
        .where(models.Inventory.product_id == product_id)
        .order_by(models.InventoryMovement.created_at)
    )
    async with sessions() as db:
        return [tuple(row) for row in (await db.execute(stmt)).all()]


async def test_restock_adds_units_and_records_why(
    products_service: RunningService, product: models.Product, catalog_admin: Caller
) -> None:
    # given
    variables = {
        "input": {
            "productId": product.id,
            "location": "berlin",
            "quantity": 12,
            "reason": "delivery 4711",
        }
    }

    # when
    body = await products_service.graphql(
        MUTATION_INVENTORY_RESTOCK, variables, token=catalog_admin.token
    )

    # then
    assert body == {
        "data": {
            "inventoryRestock": {
                "inventory": {"location": "berlin", "quantity": 12, "reserved": 0, "available": 12}
            }
        }
    }
    assert await _movements(products_service.sessions, product.id) == [
        (12, "delivery 4711", catalog_admin.user_id)
    ]
    back = await outbox_events(products_service.sessions, "inventory.back_in_stock", product.id)
    assert [event["data"]["available"] for event in back] == [12]


async def test_customers_cannot_restock(
    products_service: RunningService, product: models.Product, customer_caller: Caller
) -> None:
    # given
    variables = {"input": {"productId": product.id, "quantity": 12, "reason": "free stuff"}}

    # when
    body = await products_service.graphql(
        MUTATION_INVENTORY_RESTOCK, variables, token=customer_caller.token
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await stock_levels(products_service.sessions, product.id) == {}


async def test_a_reason_is_required(
    products_service: RunningService, product: models.Product, catalog_admin: Caller
) -> None:
    # given
    variables = {"input": {"productId": product.id, "quantity": 12, "reason": "  "}}

    # when
    body = await products_service.graphql(
        MUTATION_INVENTORY_RESTOCK, variables, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "reason is required.", "reason")]
    assert await stock_levels(products_service.sessions, product.id) == {}


async def test_adjusting_below_what_is_reserved_is_refused(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    catalog_admin: Caller,
) -> None:
    # given
    await stock_factory(product.id, 10)
    async with products_service.sessions() as db:
        await reservations.reserve_stock(db, new_id(), [StockLine(product.id, 7)])
    variables = {"input": {"productId": product.id, "delta": -4, "reason": "stock count"}}

    # when
    body = await products_service.graphql(
        MUTATION_INVENTORY_ADJUST, variables, token=catalog_admin.token
    )

    # then
    assert errors_of(body) == [
        ("STOCK_BELOW_RESERVED", "The quantity cannot go below the 7 units reserved.", "delta")
    ]
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (10, 7)}


async def test_adjusting_down_to_what_is_reserved_is_allowed(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    catalog_admin: Caller,
) -> None:
    # given
    await stock_factory(product.id, 10)
    async with products_service.sessions() as db:
        await reservations.reserve_stock(db, new_id(), [StockLine(product.id, 7)])
    variables = {"input": {"productId": product.id, "delta": -3, "reason": "two broken"}}

    # when
    body = await products_service.graphql(
        MUTATION_INVENTORY_ADJUST, variables, token=catalog_admin.token
    )

    # then
    assert body == {
        "data": {"inventoryAdjust": {"inventory": {"quantity": 7, "reserved": 7, "available": 0}}}
    }
    assert (await _movements(products_service.sessions, product.id))[-1][:2] == (
        -3,
        "two broken",
    )


async def test_customers_see_the_total_and_staff_the_locations(
    products_service: RunningService,
    product: models.Product,
    stock_factory: StockFactory,
    customer_caller: Caller,
    support_agent_caller: Caller,
) -> None:
    # given
    await stock_factory(product.id, 3, location="berlin")
    await stock_factory(product.id, 4, location="paris")

    # when
    seen_by_customer = await products_service.graphql(
        QUERY_PRODUCT_STOCK, {"id": product.id}, token=customer_caller.token
    )
    seen_by_staff = await products_service.graphql(
        QUERY_PRODUCT_STOCK, {"id": product.id}, token=support_agent_caller.token
    )

    # then
    stock = {"inStock": True, "availableQuantity": 7}
    assert seen_by_customer == {"data": {"product": {"stock": stock, "inventory": None}}}
    assert seen_by_staff == {
        "data": {
            "product": {
                "stock": stock,
                "inventory": [
                    {"location": "berlin", "available": 3},
                    {"location": "paris", "available": 4},
                ],
            }
        }
    }
