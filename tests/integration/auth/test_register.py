from __future__ import annotations

import asyncio
import hashlib
from typing import Any

import pytest
from sqlalchemy import select

from subgraphs.auth import models
from tests.fixtures.auth import PASSWORD, Account, outbox_events, row_counts, unique_email
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { user { id email roles emailVerified isActive } }
}
"""


async def register(
    auth_service: RunningService, email: str, password: str = PASSWORD
) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_REGISTER, {"input": {"email": email, "password": password}}
    )


async def test_register_creates_a_customer_with_a_normalised_email(
    auth_service: RunningService,
) -> None:
    # given
    email = unique_email()

    # when
    body = await register(auth_service, f"  {email.upper()} ")

    # then
    user_id = body["data"]["register"]["user"]["id"]
    assert body == {
        "data": {
            "register": {
                "user": {
                    "id": user_id,
                    "email": email,
                    "roles": ["customer"],
                    "emailVerified": False,
                    "isActive": True,
                }
            }
        }
    }


async def test_password_is_stored_as_an_argon2id_hash(auth_service: RunningService) -> None:
    # given
    email = unique_email()

    # when
    await register(auth_service, email)

    # then
    async with auth_service.sessions() as db:
        stored = await db.scalar(
            select(models.User.password_hash).where(models.User.email == email)
        )
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


async def test_register_writes_one_user_registered_event_to_the_outbox(
    auth_service: RunningService,
) -> None:
    # given
    email = unique_email()

    # when
    body = await register(auth_service, email)

    # then
    user_id = body["data"]["register"]["user"]["id"]
    events = await outbox_events(auth_service.sessions, "user.registered", user_id)
    assert len(events) == 1
    data = events[0]["data"]
    assert data == {
        "userId": user_id,
        "email": email,
        "roles": ["customer"],
        "emailVerified": False,
        "isActive": True,
        "createdAt": data["createdAt"],
    }


async def test_register_requests_an_email_verification_with_a_token_stored_hashed(
    auth_service: RunningService,
) -> None:
    # given
    email = unique_email()

    # when
    body = await register(auth_service, email)

    # then
    user_id = body["data"]["register"]["user"]["id"]
    [event] = await outbox_events(
        auth_service.sessions, "user.email_verification_requested", user_id
    )
    token = event["data"]["token"]
    assert event["data"] == {
        "userId": user_id,
        "email": email,
        "token": token,
        "expiresAt": event["data"]["expiresAt"],
    }
    async with auth_service.sessions() as db:
        stored = (
            await db.scalars(
                select(models.EmailVerificationToken.token_hash).where(
                    models.EmailVerificationToken.user_id == user_id
                )
            )
        ).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


async def test_duplicate_email_differing_only_in_case_is_a_conflict(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await register(auth_service, customer.email.upper())

    # then
    assert body["data"] is None
    assert errors_of(body) == [("CONFLICT", "An account with this email already exists.", "email")]
    assert await row_counts(auth_service.sessions) == before


async def test_concurrent_registrations_of_one_email_create_one_account(
    auth_service: RunningService,
) -> None:
    # given
    email = unique_email()

    # when
    bodies = await asyncio.gather(*(register(auth_service, email) for _ in range(3)))

    # then
    assert sorted(len(errors_of(body)) for body in bodies) == [0, 1, 1]
    assert [e for body in bodies for e in errors_of(body)] == [
        ("CONFLICT", "An account with this email already exists.", "email")
    ] * 2
    async with auth_service.sessions() as db:
        emails = (
            await db.scalars(select(models.User.email).where(models.User.email == email))
        ).all()
    assert emails == [email]


@pytest.mark.parametrize(
    ("email", "password", "message", "field"),
    [
        ("not-an-email", PASSWORD, "Enter a valid email address.", "email"),
        ("someone@example", PASSWORD, "Enter a valid email address.", "email"),
        ("   ", PASSWORD, "Email is required.", "email"),
        (None, "short", "The password must be at least 8 characters long.", "password"),
        (None, "x" * 129, "The password must be at most 128 characters long.", "password"),
        (None, "", "The password must be at least 8 characters long.", "password"),
    ],
)
async def test_invalid_input_is_rejected_and_nothing_is_written(
    auth_service: RunningService, email: str | None, password: str, message: str, field: str
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await register(auth_service, email or unique_email(), password)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]
    assert await row_counts(auth_service.sessions) == before


async def test_missing_field_is_rejected_and_nothing_is_written(
    auth_service: RunningService,
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await auth_service.graphql(
        MUTATION_REGISTER, {"input": {"email": "someone@example.com"}}
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [
        (
            "BAD_USER_INPUT",
            "Variable '$input' has invalid value: Expected value of type 'RegisterInput' "
            "to include required field 'password', found: {'email': 'someone@example.com'}.",
            None,
        )
    ]
    assert await row_counts(auth_service.sessions) == before
