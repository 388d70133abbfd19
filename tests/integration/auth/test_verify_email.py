from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from shared.database import utcnow
from subgraphs.auth import models
from subgraphs.auth.credentials import hash_token
from tests.fixtures.auth import Account, mailed_token, outbox_events, row_counts, stored_user
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_VERIFY_EMAIL = """
mutation VerifyEmail($input: VerifyEmailInput!) {
  verifyEmail(input: $input) { user { id email emailVerified } }
}
"""

TOKEN_INVALID = ("TOKEN_INVALID", "The verification token is not valid.", "token")
VERIFICATION_REQUESTED = "user.email_verification_requested"


async def verification_token(auth_service: RunningService, user_id: str) -> str:
    return await mailed_token(auth_service.sessions, VERIFICATION_REQUESTED, user_id)


async def verify(auth_service: RunningService, token: str) -> dict[str, Any]:
    return await auth_service.graphql(MUTATION_VERIFY_EMAIL, {"input": {"token": token}})


async def test_verify_email_marks_the_email_verified(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await verification_token(auth_service, customer.id)

    # when
    body = await verify(auth_service, token)

    # then
    assert body == {
        "data": {
            "verifyEmail": {
                "user": {"id": customer.id, "email": customer.email, "emailVerified": True}
            }
        }
    }
    assert (await stored_user(auth_service.sessions, customer.id)).email_verified is True
    [event] = await outbox_events(auth_service.sessions, "user.email_verified", customer.id)
    assert event["data"] == {"userId": customer.id, "email": customer.email}


async def test_verification_token_is_single_use(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await verification_token(auth_service, customer.id)
    await verify(auth_service, token)
    before = await row_counts(auth_service.sessions)

    # when
    body = await verify(auth_service, token)

    # then
    assert body["data"] is None
    assert errors_of(body) == [TOKEN_INVALID]
    assert await row_counts(auth_service.sessions) == before


async def test_expired_verification_token_is_refused(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await verification_token(auth_service, customer.id)
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.EmailVerificationToken)
            .where(models.EmailVerificationToken.user_id == customer.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()

    # when
    body = await verify(auth_service, token)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("TOKEN_EXPIRED", "The verification token has expired.", "token")]
    assert (await stored_user(auth_service.sessions, customer.id)).email_verified is False


async def test_unknown_verification_token_is_refused(auth_service: RunningService) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await verify(auth_service, "not-a-token")

    # then
    assert errors_of(body) == [TOKEN_INVALID]
    assert await row_counts(auth_service.sessions) == before


async def test_verification_token_is_stored_only_as_its_hash(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await verification_token(auth_service, customer.id)

    # when
    async with auth_service.sessions() as db:
        stored = (
            await db.scalars(
                select(models.EmailVerificationToken.token_hash).where(
                    models.EmailVerificationToken.token_hash.in_([token, hash_token(token)])
                )
            )
        ).all()

    # then
    assert stored == [hash_token(token)]
