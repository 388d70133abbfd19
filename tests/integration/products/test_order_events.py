"""The orders service's events: payment commits the order's stock, cancellation gives it
back, delivery verifies the buyer's reviews and counts products bought together."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from shared.database import new_id
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher
from subgraphs.products import events, models, reservations, reviews
from subgraphs.products.reservations import StockLine
from tests.fixtures.products import ProductFactory, StockFactory, stock_levels
from tests.fixtures.services import RunningService
from tests.fixtures.users import eventually


@pytest.fixture
async def publisher(products_service: RunningService) -> AsyncIterator[KafkaPublisher]:
    kafka = KafkaPublisher(products_service.settings.kafka_servers())
    yield kafka
    await kafka.close()


@pytest.fixture
def consumer(products_service: RunningService, publisher: KafkaPublisher) -> EventConsumer:
    """The products service's consumer, fed events by hand rather than by the broker."""
    return EventConsumer(
        events.subscription,
        sessions=products_service.sessions,
        servers=products_service.settings.kafka_servers(),
        publisher=publisher,
    )


def _order_event(kind: str, order_id: str, **data: object) -> Event:
    return Event(type=kind, source="orders", key=order_id, data={"orderId": order_id, **data})


async def _reserve_for_order(
    products_service: RunningService, order_id: str, *lines: StockLine
) -> None:
    async with products_service.sessions() as db:
        await reservations.reserve_stock(db, new_id(), list(lines), order_id=order_id)


async def test_payment_commits_the_order_stock_once(
    products_service: RunningService,
    consumer: EventConsumer,
    product: models.Product,
    stock_factory: StockFactory,
) -> None:
    # given
    await stock_factory(product.id, 10)
    order_id = new_id()
    await _reserve_for_order(products_service, order_id, StockLine(product.id, 3))
    paid = _order_event(events.ORDER_PAID, order_id, userId=new_id())

    # when
    await consumer.handle(paid)
    await consumer.handle(paid)

    # then
    assert await stock_levels(products_service.sessions, product.id) == {(None, "default"): (7, 0)}


async def test_cancellation_through_the_broker_releases_the_order_stock(
    products_service: RunningService,
    publisher: KafkaPublisher,
    product: models.Product,
    stock_factory: StockFactory,
) -> None:
    # given
    await stock_factory(product.id, 10)
    order_id = new_id()
    await _reserve_for_order(products_service, order_id, StockLine(product.id, 3))
    cancelled = _order_event(events.ORDER_CANCELLED, order_id, userId=new_id())

    # when
    await publisher.publish(cancelled.topic, cancelled.key, cancelled.to_json())

    # then
    levels = await eventually(
        lambda: stock_levels(products_service.sessions, product.id),
        lambda found: found == {(None, "default"): (10, 0)},
    )
    assert levels == {(None, "default"): (10, 0)}


async def test_delivery_verifies_reviews_and_counts_pairs_once(
    products_service: RunningService,
    consumer: EventConsumer,
    product_factory: ProductFactory,
) -> None:
    # given
    scarf, hat, gloves = [await product_factory() for _ in range(3)]
    buyer = new_id()
    async with products_service.sessions() as db:
        before = await reviews.create_review(
            db, product_id=scarf.id, user_id=buyer, fields={"rating": 5}
        )
    items = [{"productId": scarf.id, "variantId": None, "quantity": 1}]
    items.append({"productId": hat.id, "variantId": None, "quantity": 2})
    delivered = _order_event(events.ORDER_DELIVERED, new_id(), userId=buyer, items=items)

    # when
    await consumer.handle(delivered)
    await consumer.handle(delivered)
    async with products_service.sessions() as db:
        after = await reviews.create_review(
            db, product_id=hat.id, user_id=buyer, fields={"rating": 4}
        )
        not_bought = await reviews.create_review(
            db, product_id=gloves.id, user_id=buyer, fields={"rating": 3}
        )

    # then
    async with products_service.sessions() as db:
        verified = await db.scalar(
            select(models.Review.is_verified_purchase).where(models.Review.id == before.id)
        )
        pairs = (
            await db.execute(
                select(
                    models.ProductPair.product_id,
                    models.ProductPair.other_product_id,
                    models.ProductPair.times_bought_together,
                ).where(models.ProductPair.product_id.in_([scarf.id, hat.id, gloves.id]))
            )
        ).all()
    assert (verified, after.is_verified_purchase, not_bought.is_verified_purchase) == (
        True,
        True,
        False,
    )
    assert sorted(pairs) == sorted([(scarf.id, hat.id, 1), (hat.id, scarf.id, 1)])
