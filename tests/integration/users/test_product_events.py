"""Wishlist snapshots follow the products service's events, through the real broker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id, utcnow
from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher
from shared.settings import Settings
from subgraphs.products import catalog, images
from subgraphs.users import models, service
from tests.fixtures.products import ProductFactory
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, eventually
from tests.integration.users.operations import QUERY_WISHLIST, user_data_of

IMAGE_URL = "https://cdn.example.com/cashmere.jpg"


@pytest.fixture
async def publisher(settings: Settings) -> AsyncIterator[KafkaPublisher]:
    kafka = KafkaPublisher(settings.kafka_servers())
    yield kafka
    await kafka.close()


async def _wishlist_item(users_service: RunningService, user_id: str, product_id: str) -> str:
    async with users_service.sessions() as db:
        return (await service.add_wishlist_item(db, user_id, product_id)).id


async def _stored_item(sessions: async_sessionmaker[AsyncSession], item_id: str) -> Any:
    async with sessions() as db:
        return await db.get(models.WishlistItem, item_id, populate_existing=True)


async def test_product_changes_reach_the_wishlist_snapshot(
    users_service: RunningService,
    products_service: RunningService,
    product_factory: ProductFactory,
    shopper: Shopper,
) -> None:
    # given
    product = await product_factory(name="Merino scarf", currency="EUR")
    item_id = await _wishlist_item(users_service, shopper.user_id, product.id)

    # when
    async with products_service.sessions() as db:
        await images.add_image(db, product.id, url=IMAGE_URL, actor="test")
    async with products_service.sessions() as db:
        changes = {"name": "Cashmere scarf", "price": Decimal("30.00")}
        changed = await catalog.update_product(db, product.id, changes, actor="test")

    # then
    item = await eventually(
        lambda: _stored_item(users_service.sessions, item_id),
        lambda found: found.product_name == "Cashmere scarf",
    )
    assert item.product_snapshot_at == changed.updated_at
    body = await users_service.graphql(
        QUERY_WISHLIST, user_data_of(shopper.user_id), token=shopper.token
    )
    assert body == {
        "data": {
            "_entities": [
                {
                    "wishlist": [
                        {
                            "product": {"id": product.id},
                            "productName": "Cashmere scarf",
                            "productImageUrl": IMAGE_URL,
                            "productPrice": "30.00",
                            "productCurrency": "EUR",
                            "productSnapshotAt": changed.updated_at.isoformat(),
                        }
                    ]
                }
            ]
        }
    }


def _product_updated(product_id: str, name: str, updated_at: str) -> Event:
    data = {
        "productId": product_id,
        "name": name,
        "price": "12.50",
        "currency": "USD",
        "status": "active",
        "isVisible": True,
        "imageUrl": None,
        "updatedAt": updated_at,
    }
    return Event(type="product.updated", source="products", key=product_id, data=data)


async def test_product_event_delivered_twice_is_applied_and_logged_once(
    users_service: RunningService, publisher: KafkaPublisher, shopper: Shopper
) -> None:
    # given
    product_id = new_id()
    item_id = await _wishlist_item(users_service, shopper.user_id, product_id)
    first = _product_updated(product_id, "Linen shirt", utcnow().isoformat())
    # Same key, so same partition: once it is handled, both copies before it were too.
    second = _product_updated(product_id, "Linen shirt, washed", utcnow().isoformat())

    # when
    for event in (first, first, second):
        await publisher.publish(event.topic, event.key, event.to_json())

    # then
    item = await eventually(
        lambda: _stored_item(users_service.sessions, item_id),
        lambda found: found.product_name == "Linen shirt, washed",
    )
    assert (item.product_price, item.product_currency, item.product_image_url) == (
        Decimal("12.50"),
        "USD",
        None,
    )
    logs = models.user_event_logs
    stmt = (
        select(logs.c.event_id, logs.c.processed)
        .where(logs.c.event_id.in_([first.id, second.id]))
        .order_by(logs.c.created_at)
    )
    async with users_service.sessions() as db:
        assert (await db.execute(stmt)).all() == [(first.id, True), (second.id, True)]
