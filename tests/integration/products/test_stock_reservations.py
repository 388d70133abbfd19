"""Reservations through the service: all or nothing, idempotent by key, and what commit,
release, cancellation and expiry do to quantity and reserved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id, utcnow
from shared.errors import DomainError
from subgraphs.products import models, reservations, variants
from subgraphs.products.reservations import Reservation, ReservedLine, StockLine
from tests.fixtures.auth import outbox_events
from tests.fixtures.products import ProductFactory, StockFactory, stock_levels

Sessions = async_sessionmaker[AsyncSession]


async def _reserve(
    sessions: Sessions, key: str, *lines: StockLine, order_id: str | None = None
) -> Reservation:
    async with sessions() as db:
        return await reservations.reserve_stock(db, key, list(lines), order_id=order_id)


async def test_reservation_holds_stock_at_the_fullest_location(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 3, location="berlin")
    await stock_factory(product.id, 8, location="paris")
    key = new_id()

    # when
    reservation = await _reserve(products_db, key, StockLine(product.id, 5))

    # then
    assert (reservation.key, reservation.status, reservation.lines) == (
        key,
        models.ReservationStatus.RESERVED,
        (ReservedLine(product.id, None, "paris", 5),),
    )
    assert await stock_levels(products_db, product.id) == {
        (None, "berlin"): (3, 0),
        (None, "paris"): (8, 5),
    }


async def test_one_short_line_reserves_nothing(
    products_db: Sessions, product_factory: ProductFactory, stock_factory: StockFactory
) -> None:
    # given
    scarf, hat = await product_factory(), await product_factory()
    await stock_factory(scarf.id, 10)
    await stock_factory(hat.id, 1)

    # when
    with pytest.raises(DomainError) as error:
        await _reserve(products_db, new_id(), StockLine(scarf.id, 4), StockLine(hat.id, 2))

    # then
    assert (error.value.code, error.value.params) == (
        "INSUFFICIENT_STOCK",
        {"productId": hat.id, "variantId": None, "requested": 2},
    )
    assert await stock_levels(products_db, scarf.id) == {(None, "default"): (10, 0)}
    assert await stock_levels(products_db, hat.id) == {(None, "default"): (1, 0)}


async def test_lines_of_one_item_are_added_up(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 5)

    # when
    with pytest.raises(DomainError) as error:
        await _reserve(products_db, new_id(), StockLine(product.id, 3), StockLine(product.id, 3))

    # then
    assert error.value.code == "INSUFFICIENT_STOCK"
    assert await stock_levels(products_db, product.id) == {(None, "default"): (5, 0)}


async def test_a_retry_returns_the_first_answer_and_holds_nothing_more(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    key, order_id = new_id(), new_id()
    first = await _reserve(products_db, key, StockLine(product.id, 4), order_id=order_id)

    # when
    retry = await _reserve(products_db, key, StockLine(product.id, 4), order_id=order_id)

    # then
    assert retry == first
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 4)}


async def test_other_lines_under_a_used_key_are_refused(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    await _reserve(products_db, key, StockLine(product.id, 4))

    # when
    with pytest.raises(DomainError) as error:
        await _reserve(products_db, key, StockLine(product.id, 5))

    # then
    assert (error.value.code, error.value.field) == ("RESERVATION_KEY_REUSED", "reservationKey")
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 4)}


async def test_commit_takes_the_units_out_of_stock_once(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    await _reserve(products_db, key, StockLine(product.id, 4))

    # when
    async with products_db() as db:
        committed = await reservations.commit_reservation(db, key)
        again = await reservations.commit_reservation(db, key)

    # then
    assert committed.status == again.status == models.ReservationStatus.COMMITTED
    assert await stock_levels(products_db, product.id) == {(None, "default"): (6, 0)}


async def test_release_makes_the_units_available_again(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    await _reserve(products_db, key, StockLine(product.id, 4))

    # when
    async with products_db() as db:
        released = await reservations.release_reservation(db, key)

    # then
    assert released.status == models.ReservationStatus.RELEASED
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 0)}


async def test_a_released_reservation_cannot_be_committed(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    await _reserve(products_db, key, StockLine(product.id, 4))
    async with products_db() as db:
        await reservations.release_reservation(db, key)

    # when
    with pytest.raises(DomainError) as error:
        async with products_db() as db:
            await reservations.commit_reservation(db, key)

    # then
    assert (error.value.code, error.value.params) == (
        "RESERVATION_NOT_ACTIVE",
        {"status": "released"},
    )
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 0)}


async def test_an_unknown_key_is_not_found(products_db: Sessions) -> None:
    # when
    with pytest.raises(DomainError) as error:
        async with products_db() as db:
            await reservations.commit_reservation(db, new_id())

    # then
    assert (error.value.code, error.value.field) == ("NOT_FOUND", "reservationKey")


async def test_expired_reservations_give_their_units_back(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    short, long = new_id(), new_id()
    async with products_db() as db:
        await reservations.reserve_stock(
            db, short, [StockLine(product.id, 3)], ttl=timedelta(hours=1)
        )
        await reservations.reserve_stock(
            db, long, [StockLine(product.id, 2)], ttl=timedelta(hours=3)
        )

    # when
    async with products_db() as db:
        await reservations.expire_reservations(db, now=utcnow() + timedelta(hours=2))
        with pytest.raises(DomainError) as error:
            await reservations.commit_reservation(db, short)

    # then
    assert error.value.params == {"status": "expired"}
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 2)}


async def test_cancelling_a_paid_order_puts_its_units_back(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 10)
    order_id = new_id()
    await _reserve(products_db, new_id(), StockLine(product.id, 4), order_id=order_id)
    async with products_db() as db:
        await reservations.commit_order_reservations(db, order_id)

    # when
    async with products_db() as db:
        cancelled = await reservations.cancel_order_reservations(db, order_id)

    # then
    assert [reservation.status for reservation in cancelled] == [models.ReservationStatus.RELEASED]
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 0)}


async def test_holding_the_last_units_announces_out_of_stock(
    products_db: Sessions, product: models.Product, stock_factory: StockFactory
) -> None:
    # given
    await stock_factory(product.id, 2)

    # when
    await _reserve(products_db, new_id(), StockLine(product.id, 2))

    # then
    events = await outbox_events(products_db, "inventory.out_of_stock", product.id)
    assert [event["data"] for event in events] == [
        {
            "productId": product.id,
            "variantId": None,
            "location": "default",
            "quantity": 2,
            "reserved": 2,
            "available": 0,
            "lowStockThreshold": 0,
        }
    ]
    async with products_db() as db:
        stored = await db.get(models.Product, product.id)
    assert stored is not None
    assert (stored.stock_quantity, stored.stock_status) == (0, "out_of_stock")


@pytest.mark.parametrize("unknown", ["product", "variant", "variant of another product"])
async def test_an_item_that_does_not_exist_is_product_not_found_and_nothing_is_held(
    products_db: Sessions,
    product_factory: ProductFactory,
    stock_factory: StockFactory,
    unknown: str,
) -> None:
    # given
    scarf, other = await product_factory(), await product_factory()
    await stock_factory(scarf.id, 10)
    async with products_db() as db:
        foreign = await variants.create_variant(db, other.id, {"sku": f"{other.sku}-V"}, actor="t")
    missing = {
        "product": StockLine("no-such-product", 1),
        "variant": StockLine(scarf.id, 1, "no-such-variant"),
        "variant of another product": StockLine(scarf.id, 1, foreign.id),
    }[unknown]

    # when
    with pytest.raises(DomainError) as error:
        await _reserve(products_db, new_id(), StockLine(scarf.id, 2), missing)

    # then
    assert (error.value.code, error.value.message, error.value.field, error.value.params) == (
        "PRODUCT_NOT_FOUND",
        "This item does not exist.",
        "lines",
        {"productId": missing.product_id, "variantId": missing.variant_id},
    )
    assert await stock_levels(products_db, scarf.id) == {(None, "default"): (10, 0)}


@pytest.mark.parametrize("status", ["draft", "archived"])
async def test_a_product_that_is_not_active_cannot_be_reserved(
    products_db: Sessions, product_factory: ProductFactory, stock_factory: StockFactory, status: str
) -> None:
    # given
    product = await product_factory(status=status)
    await stock_factory(product.id, 10)

    # when
    with pytest.raises(DomainError) as error:
        await _reserve(products_db, new_id(), StockLine(product.id, 1))

    # then
    assert (error.value.code, error.value.message, error.value.params) == (
        "PRODUCT_NOT_ACTIVE",
        f"This product is {status}: it cannot be sold.",
        {"productId": product.id, "variantId": None, "status": status},
    )
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 0)}
