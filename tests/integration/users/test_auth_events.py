"""Profiles follow the auth service's events, through the real broker."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from shared.database import new_id, utcnow
from shared.events.envelope import Event
from shared.events.kafka import KafkaPublisher
from shared.settings import Settings
from subgraphs.users import models
from tests.fixtures.auth import AccountFactory, outbox_events, stored_user, unique_email
from tests.fixtures.services import RunningService
from tests.fixtures.users import wait_for_profile

MUTATION_REGISTER = "mutation($input: RegisterInput!) { register(input: $input) { user { id } } }"
MUTATION_VERIFY_EMAIL = (
    "mutation($input: VerifyEmailInput!) { verifyEmail(input: $input) { user { id } } }"
)
MUTATION_USER_DEACTIVATE = (
    "mutation($input: UserDeactivateInput!) { userDeactivate(input: $input) { user { id } } }"
)


@pytest.fixture
async def publisher(settings: Settings) -> AsyncIterator[KafkaPublisher]:
    kafka = KafkaPublisher(settings.kafka_servers())
    yield kafka
    await kafka.close()


async def test_registration_creates_the_profile(
    auth_service: RunningService, users_service: RunningService
) -> None:
    # given
    email = unique_email()

    # when
    variables = {"input": {"email": email.upper(), "password": "correct horse battery"}}
    body = await auth_service.graphql(MUTATION_REGISTER, variables)

    # then
    user_id = body["data"]["register"]["user"]["id"]
    profile = await wait_for_profile(users_service.sessions, user_id)
    assert (profile.email, profile.email_verified, profile.is_active, profile.last_login_at) == (
        email,
        False,
        True,
        None,
    )


async def test_login_records_the_last_login(
    auth_service: RunningService, users_service: RunningService, account_factory: AccountFactory
) -> None:
    # when
    account = await account_factory()

    # then
    logged_in_at = (await stored_user(auth_service.sessions, account.id)).last_login_at
    profile = await wait_for_profile(
        users_service.sessions, account.id, lambda found: found.last_login_at is not None
    )
    assert profile.last_login_at == logged_in_at


async def test_email_verification_marks_the_profile_verified(
    auth_service: RunningService, users_service: RunningService, account_factory: AccountFactory
) -> None:
    # given
    account = await account_factory()
    requested = await outbox_events(
        auth_service.sessions, "user.email_verification_requested", account.id
    )

    # when
    variables = {"input": {"token": requested[-1]["data"]["token"]}}
    await auth_service.graphql(MUTATION_VERIFY_EMAIL, variables)

    # then
    profile = await wait_for_profile(
        users_service.sessions, account.id, lambda found: found.email_verified
    )
    assert profile.email_verified is True


async def test_deactivation_deactivates_the_profile(
    auth_service: RunningService, users_service: RunningService, account_factory: AccountFactory
) -> None:
    # given
    account = await account_factory()
    admin = await account_factory(roles=["admin"])
    await wait_for_profile(users_service.sessions, account.id)

    # when
    variables = {"input": {"userId": account.id}}
    await auth_service.graphql(MUTATION_USER_DEACTIVATE, variables, token=admin.access_token)

    # then
    profile = await wait_for_profile(
        users_service.sessions, account.id, lambda found: not found.is_active
    )
    assert profile.is_active is False


async def _event_logs(
    users_service: RunningService, *event_ids: str
) -> list[tuple[str, str, bool]]:
    logs = models.user_event_logs
    stmt = (
        select(logs.c.event_id, logs.c.event_type, logs.c.processed)
        .where(logs.c.event_id.in_(event_ids))
        .order_by(logs.c.event_type)
    )
    async with users_service.sessions() as db:
        return [tuple(row) for row in (await db.execute(stmt)).all()]


async def test_registration_delivered_twice_makes_one_profile_and_one_log(
    users_service: RunningService, publisher: KafkaPublisher
) -> None:
    # given
    user_id, email, at = new_id(), unique_email(), utcnow()
    data = {"userId": user_id, "email": email, "roles": ["customer"], "emailVerified": False}
    registered = Event(type="user.registered", source="auth", key=user_id, data=data)
    # Same key, so same partition: once it is handled, both copies before it were too.
    logged_in = Event(
        type="user.logged_in",
        source="auth",
        key=user_id,
        data={"userId": user_id, "loggedInAt": at.isoformat()},
    )

    # when
    for event in (registered, registered, logged_in):
        await publisher.publish(event.topic, event.key, event.to_json())

    # then
    await wait_for_profile(
        users_service.sessions, user_id, lambda found: found.last_login_at is not None
    )
    async with users_service.sessions() as db:
        stmt = select(func.count()).select_from(models.Profile)
        assert await db.scalar(stmt.where(models.Profile.user_id == user_id)) == 1
    assert await _event_logs(users_service, registered.id, logged_in.id) == [
        (logged_in.id, "user.logged_in", True),
        (registered.id, "user.registered", True),
    ]
