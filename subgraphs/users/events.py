"""Events the users service consumes: auth's account lifecycle, which creates and syncs
profiles. Users produces no events yet; its outbox is there for when it does."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.consumer import Subscription
from shared.events.envelope import Event
from subgraphs.users import service

USER_REGISTERED = "user.registered"
USER_EMAIL_VERIFIED = "user.email_verified"
USER_DEACTIVATED = "user.deactivated"
USER_LOGGED_IN = "user.logged_in"


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


subscription = Subscription(
    service="users",
    topics=["auth"],
    handlers={
        USER_REGISTERED: on_user_registered,
        USER_EMAIL_VERIFIED: on_user_email_verified,
        USER_DEACTIVATED: on_user_deactivated,
        USER_LOGGED_IN: on_user_logged_in,
    },
    inbox_table="user_event_logs",
)
