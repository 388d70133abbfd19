"""Events the users service consumes: auth's account lifecycle, which creates and syncs
profiles, and products' changes, which refresh the product snapshots of wishlist items.
Users produces no events yet; its outbox is there for when it does."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.consumer import Subscription
from shared.events.envelope import Event
from subgraphs.users import service

USER_REGISTERED = "user.registered"
USER_EMAIL_VERIFIED = "user.email_verified"
USER_DEACTIVATED = "user.deactivated"
USER_LOGGED_IN = "user.logged_in"

# Each carries the product as it is after the change (subgraphs/products/events.py).
PRODUCT_CREATED = "product.created"
PRODUCT_UPDATED = "product.updated"
PRODUCT_ARCHIVED = "product.archived"


async def on_user_registered(db: AsyncSession, event: Event) -> None:
    data = event.data
    await service.create_profile(
        db,
        user_id=str(data["userId"]),
        email=str(data["email"]),
        email_verified=bool(data.get("emailVerified", False)),
        is_active=bool(data.get("isActive", True)),
    )


async def on_user_email_verified(db: AsyncSession, event: Event) -> None:
    await service.mark_email_verified(db, str(event.data["userId"]))


async def on_user_deactivated(db: AsyncSession, event: Event) -> None:
    await service.deactivate_profile(db, str(event.data["userId"]))


async def on_user_logged_in(db: AsyncSession, event: Event) -> None:
    at = datetime.fromisoformat(str(event.data["loggedInAt"]))
    await service.record_login(db, str(event.data["userId"]), at)


async def on_product_changed(db: AsyncSession, event: Event) -> None:
    """Any product event: the service keeps what customers could see of the product."""
    data = event.data
    snapshot = service.ProductSnapshot(
        product_id=str(data["productId"]),
        name=str(data["name"]),
        image_url=data.get("imageUrl"),
        price=Decimal(str(data["price"])),
        currency=str(data["currency"]),
        updated_at=datetime.fromisoformat(str(data["updatedAt"])),
        is_public=data["status"] == "active" and bool(data["isVisible"]),
    )
    await service.record_product_snapshot(db, snapshot)


subscription = Subscription(
    service="users",
    topics=["auth", "products"],
    handlers={
        USER_REGISTERED: on_user_registered,
        USER_EMAIL_VERIFIED: on_user_email_verified,
        USER_DEACTIVATED: on_user_deactivated,
        USER_LOGGED_IN: on_user_logged_in,
        PRODUCT_CREATED: on_product_changed,
        PRODUCT_UPDATED: on_product_changed,
        PRODUCT_ARCHIVED: on_product_changed,
    },
    inbox_table="user_event_logs",
)
