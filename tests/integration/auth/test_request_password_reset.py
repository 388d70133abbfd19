from __future__ import annotations

from tests.fixtures.auth import Account, outbox_events, row_counts, unique_email
from tests.fixtures.services import RunningService

MUTATION_REQUEST_PASSWORD_RESET = """
mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ok }
}
"""


async def test_reset_is_mailed_for_an_existing_account(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await auth_service.graphql(
        MUTATION_REQUEST_PASSWORD_RESET, {"input": {"email": customer.email.upper()}}
    )

    # then
    assert body == {"data": {"requestPasswordReset": {"ok": True}}}
    [event] = await outbox_events(
        auth_service.sessions, "user.password_reset_requested", customer.id
    )
    assert event["data"] == {
        "userId": customer.id,
        "email": customer.email,
        "token": event["data"]["token"],
        "expiresAt": event["data"]["expiresAt"],
    }


async def test_unknown_email_gets_the_same_answer_and_nothing_is_written(
    auth_service: RunningService,
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await auth_service.graphql(
        MUTATION_REQUEST_PASSWORD_RESET, {"input": {"email": unique_email()}}
    )

    # then
    assert body == {"data": {"requestPasswordReset": {"ok": True}}}
    assert await row_counts(auth_service.sessions) == before
