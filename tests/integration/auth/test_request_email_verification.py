from __future__ import annotations

from typing import Any

from tests.fixtures.auth import Account, mailed_token, outbox_events, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_REQUEST_EMAIL_VERIFICATION = "mutation { requestEmailVerification { ok } }"
MUTATION_VERIFY_EMAIL = """
mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { user { id } } }
"""
VERIFICATION_REQUESTED = "user.email_verification_requested"


async def verify_latest_token(auth_service: RunningService, user_id: str) -> dict[str, Any]:
    token = await mailed_token(auth_service.sessions, VERIFICATION_REQUESTED, user_id)
    return await auth_service.graphql(MUTATION_VERIFY_EMAIL, {"input": {"token": token}})


async def test_request_mails_a_new_token_that_verifies(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await auth_service.graphql(
        MUTATION_REQUEST_EMAIL_VERIFICATION, token=customer.access_token
    )

    # then
    assert body == {"data": {"requestEmailVerification": {"ok": True}}}
    events = await outbox_events(auth_service.sessions, VERIFICATION_REQUESTED, customer.id)
    assert len(events) == 2
    assert errors_of(await verify_latest_token(auth_service, customer.id)) == []


async def test_request_needs_a_signed_in_user(auth_service: RunningService) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await auth_service.graphql(MUTATION_REQUEST_EMAIL_VERIFICATION)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
    assert await row_counts(auth_service.sessions) == before


async def test_verified_email_needs_no_new_token(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    await verify_latest_token(auth_service, customer.id)
    before = await row_counts(auth_service.sessions)

    # when
    body = await auth_service.graphql(
        MUTATION_REQUEST_EMAIL_VERIFICATION, token=customer.access_token
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [("EMAIL_ALREADY_VERIFIED", "The email is already verified.", None)]
    assert await row_counts(auth_service.sessions) == before
