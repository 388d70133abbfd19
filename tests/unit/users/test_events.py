from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id, utcnow
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event
from subgraphs.products import events as product_events
from subgraphs.products import models as product_models
from subgraphs.users import models, service
from tests.fixtures.auth import unique_email
from tests.fixtures.users import stored_profile

Sessions = async_sessionmaker[AsyncSession]
NO_SNAPSHOT = (None, None, None, None, None)
IMAGE_URL = "https://cdn.example.com/scarf.jpg"


def _registered(user_id: str, email: str) -> Event:
    data = {"userId": user_id, "email": email, "roles": ["customer"], "emailVerified": True}
    return Event(type="user.registered", source="auth", key=user_id, data=data)


async def _logged(sessions: Sessions, event: Event) -> int:
    logs = models.user_event_logs
    async with sessions() as db:
        return await db.scalar(select(func.count()).where(logs.c.event_id == event.id)) or 0


async def test_registration_handled_twice_is_applied_once(
    users_sessions: Sessions, users_consumer: EventConsumer
) -> None:
    # given
    user_id, email = new_id(), unique_email()
    event = _registered(user_id, email)

    # when
    await users_consumer.handle(event)
    await users_consumer.handle(event)

    # then
    profile = await stored_profile(users_sessions, user_id)
    assert profile is not None
    assert (profile.email, profile.email_verified, profile.is_active) == (email, True, True)
    assert await _logged(users_sessions, event) == 1


def _product_event(
    kind: str,
    product_id: str,
    updated_at: datetime,
    *,
    image_url: str | None = IMAGE_URL,
    **fields: Any,
) -> Event:
    """An event as the products service builds it, for a product that is not stored."""
    values = {
        "sku": "SKU-SCARF",
        "name": "Merino scarf",
        "slug": "merino-scarf",
        "price": Decimal("25.00"),
        "currency": "EUR",
        "status": "active",
        "is_visible": True,
        **fields,
    }
    product = product_models.Product(id=product_id, updated_at=updated_at, **values)
    return product_events.product_event(kind, product, [], image_url, actor="test")


async def _wishlisted(sessions: Sessions, product_id: str) -> str:
    """The id of a new user's wishlist item for the product."""
    user_id = new_id()
    async with sessions() as db:
        await service.create_profile(db, user_id=user_id, email=unique_email(), email_verified=True)
        return (await service.add_wishlist_item(db, user_id, product_id)).id


async def _snapshot(sessions: Sessions, item_id: str) -> tuple[Any, ...]:
    async with sessions() as db:
        row = (await db.execute(select(*service.SNAPSHOT_COLUMNS).filter_by(id=item_id))).one()
    return tuple(row)


async def test_product_update_fills_the_snapshot_of_every_item_of_that_product(
    users_sessions: Sessions, users_consumer: EventConsumer
) -> None:
    # given
    product_id, other_product_id, at = new_id(), new_id(), utcnow()
    items = [await _wishlisted(users_sessions, product_id) for _ in range(2)]
    other_item = await _wishlisted(users_sessions, other_product_id)

    # when
    await users_consumer.handle(_product_event("product.updated", product_id, at))

    # then
    expected = ("Merino scarf", IMAGE_URL, Decimal("25.00"), "EUR", at)
    assert [await _snapshot(users_sessions, item) for item in items] == [expected, expected]
    assert await _snapshot(users_sessions, other_item) == NO_SNAPSHOT


async def test_product_event_handled_twice_is_applied_once(
    users_sessions: Sessions, users_consumer: EventConsumer
) -> None:
    # given
    product_id, at = new_id(), utcnow()
    item = await _wishlisted(users_sessions, product_id)
    event = _product_event("product.created", product_id, at, image_url=None)

    # when
    await users_consumer.handle(event)
    await users_consumer.handle(event)

    # then
    assert await _snapshot(users_sessions, item) == (
        "Merino scarf",
        None,
        Decimal("25.00"),
        "EUR",
        at,
    )
    assert await _logged(users_sessions, event) == 1


async def test_an_older_product_event_leaves_a_newer_snapshot(
    users_sessions: Sessions, users_consumer: EventConsumer
) -> None:
    # given
    product_id, at = new_id(), utcnow()
    item = await _wishlisted(users_sessions, product_id)
    await users_consumer.handle(_product_event("product.updated", product_id, at, name="New"))

    # when
    older = _product_event("product.updated", product_id, at - timedelta(seconds=1), name="Old")
    await users_consumer.handle(older)

    # then
    assert await _snapshot(users_sessions, item) == ("New", IMAGE_URL, Decimal("25.00"), "EUR", at)


@pytest.mark.parametrize(
    ("kind", "change"),
    [
        ("product.archived", {"status": "archived"}),
        ("product.updated", {"status": "draft"}),
        ("product.updated", {"is_visible": False}),
    ],
)
async def test_withdrawn_product_keeps_its_last_public_snapshot(
    users_sessions: Sessions, users_consumer: EventConsumer, kind: str, change: dict[str, Any]
) -> None:
    # given
    product_id, at = new_id(), utcnow()
    item = await _wishlisted(users_sessions, product_id)
    await users_consumer.handle(_product_event("product.updated", product_id, at))

    # when
    later = at + timedelta(seconds=1)
    withdrawn = _product_event(kind, product_id, later, name="Renamed", **change)
    await users_consumer.handle(withdrawn)

    # then
    assert await _snapshot(users_sessions, item) == (
        "Merino scarf",
        IMAGE_URL,
        Decimal("25.00"),
        "EUR",
        at,
    )
    assert await _logged(users_sessions, withdrawn) == 1


async def test_item_added_after_an_event_starts_from_the_known_snapshot(
    users_sessions: Sessions, users_consumer: EventConsumer
) -> None:
    # given
    product_id, at = new_id(), utcnow()
    await _wishlisted(users_sessions, product_id)
    await users_consumer.handle(_product_event("product.updated", product_id, at))

    # when
    item = await _wishlisted(users_sessions, product_id)

    # then
    assert await _snapshot(users_sessions, item) == (
        "Merino scarf",
        IMAGE_URL,
        Decimal("25.00"),
        "EUR",
        at,
    )


async def test_item_of_a_product_never_published_has_no_snapshot(
    users_sessions: Sessions,
) -> None:
    # when
    item = await _wishlisted(users_sessions, new_id())

    # then
    assert await _snapshot(users_sessions, item) == NO_SNAPSHOT
