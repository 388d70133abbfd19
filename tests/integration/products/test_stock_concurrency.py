"""Reservations racing each other on real PostgreSQL, each on a connection of its own:
available never drops below zero, and a reservation is settled once."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import create_engine, new_id, session_factory
from shared.errors import DomainError
from subgraphs.products import models, reservations
from subgraphs.products.reservations import Reservation, StockLine
from tests.fixtures.products import ProductFactory, StockFactory, stock_levels
from tests.fixtures.services import RunningService

Sessions = async_sessionmaker[AsyncSession]
CALLERS = 50


@pytest.fixture
async def many_connections(products_service: RunningService) -> AsyncIterator[Sessions]:
    """Sessions on a pool of CALLERS connections, so every caller runs at once."""
    engine = create_engine(products_service.settings, "products", pool_size=CALLERS, max_overflow=0)
    yield session_factory(engine)
    await engine.dispose()


async def _outcomes(
    sessions: Sessions, attempts: list[Callable[[AsyncSession], Awaitable[Reservation]]]
) -> list[str]:
    """Run every attempt at once, each in its own session: how each ended, in order."""

    async def run(attempt: Callable[[AsyncSession], Awaitable[Reservation]]) -> str:
        async with sessions() as db:
            try:
                return (await attempt(db)).status.value
            except DomainError as error:
                return str(error.code)

    return list(await asyncio.gather(*(run(attempt) for attempt in attempts)))


async def _reservation_rows(sessions: Sessions, product_id: str) -> Counter[str]:
    stmt = (
        select(models.InventoryReservation.status, func.sum(models.InventoryReservation.quantity))
        .join(models.Inventory)
        .where(models.Inventory.product_id == product_id)
        .group_by(models.InventoryReservation.status)
    )
    async with sessions() as db:
        return Counter(dict((await db.execute(stmt)).all()))


async def test_fifty_callers_for_ten_units_get_exactly_ten(
    many_connections: Sessions,
    products_db: Sessions,
    product: models.Product,
    stock_factory: StockFactory,
) -> None:
    # given
    await stock_factory(product.id, 10)
    line = [StockLine(product.id, 1)]

    # when
    outcomes = await _outcomes(
        many_connections,
        [
            partial(reservations.reserve_stock, reservation_key=new_id(), lines=line)
            for _ in range(CALLERS)
        ],
    )

    # then
    assert Counter(outcomes) == {"reserved": 10, "INSUFFICIENT_STOCK": 40}
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 10)}
    assert await _reservation_rows(products_db, product.id) == {"reserved": 10}


async def test_racing_multi_line_reservations_in_opposite_orders_never_oversell(
    many_connections: Sessions,
    products_db: Sessions,
    product: models.Product,
    product_factory: ProductFactory,
    stock_factory: StockFactory,
) -> None:
    # given
    other = await product_factory()
    await stock_factory(product.id, 10)
    await stock_factory(other.id, 10)
    orders = ([StockLine(product.id, 2), StockLine(other.id, 1)], [StockLine(other.id, 2)])

    # when
    outcomes = await _outcomes(
        many_connections,
        [
            partial(reservations.reserve_stock, reservation_key=new_id(), lines=orders[n % 2])
            for n in range(CALLERS)
        ],
    )

    # then
    assert set(outcomes) <= {"reserved", "INSUFFICIENT_STOCK"}
    both = outcomes[0::2].count("reserved")
    other_only = outcomes[1::2].count("reserved")
    assert 2 * both <= 10 and both + 2 * other_only <= 10
    assert await stock_levels(products_db, product.id) == {(None, "default"): (10, 2 * both)}
    assert await stock_levels(products_db, other.id) == {
        (None, "default"): (10, both + 2 * other_only)
    }


async def test_racing_commits_and_releases_of_one_reservation_settle_it_once(
    many_connections: Sessions,
    products_db: Sessions,
    product: models.Product,
    stock_factory: StockFactory,
) -> None:
    # given
    await stock_factory(product.id, 10)
    key = new_id()
    async with products_db() as db:
        await reservations.reserve_stock(db, key, [StockLine(product.id, 4)])

    # when
    outcomes = await _outcomes(
        many_connections,
        [
            partial(reservations.commit_reservation, reservation_key=key),
            partial(reservations.release_reservation, reservation_key=key),
        ]
        * (CALLERS // 2),
    )

    # then
    winner = "committed" if "committed" in outcomes else "released"
    assert Counter(outcomes) == {winner: CALLERS // 2, "RESERVATION_NOT_ACTIVE": CALLERS // 2}
    expected = {"committed": (6, 0), "released": (10, 0)}[winner]
    assert await stock_levels(products_db, product.id) == {(None, "default"): expected}
    assert await _reservation_rows(products_db, product.id) == {winner: 4}
