from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import new_id
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher
from shared.settings import Settings
from subgraphs.users import events, models
from tests.fixtures.auth import unique_email
from tests.fixtures.users import stored_profile


def _registered(user_id: str, email: str) -> Event:
    data = {"userId": user_id, "email": email, "roles": ["customer"], "emailVerified": True}
    return Event(type="user.registered", source="auth", key=user_id, data=data)


async def test_registration_handled_twice_is_applied_once(
    users_sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    # given
    consumer = EventConsumer(
        events.subscription,
        sessions=users_sessions,
        servers=settings.kafka_servers(),
        publisher=KafkaPublisher(settings.kafka_servers()),
    )
    user_id, email = new_id(), unique_email()
    event = _registered(user_id, email)

    # when
    await consumer.handle(event)
    await consumer.handle(event)

    # then
    profile = await stored_profile(users_sessions, user_id)
    assert profile is not None
    assert (profile.email, profile.email_verified, profile.is_active) == (email, True, True)
    logs = models.user_event_logs
    async with users_sessions() as db:
        logged = await db.scalar(select(func.count()).where(logs.c.event_id == event.id))
    assert logged == 1
