from __future__ import annotations

from typing import Any

from tests.fixtures.auth import Account, login, outbox_events, refresh, row_counts, stored_user
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_USER_DEACTIVATE = """
mutation UserDeactivate($input: UserDeactivateInput!) {
  userDeactivate(input: $input) { user { id isActive } }
}
"""


async def deactivate(auth_service: RunningService, actor: Account, user_id: str) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_USER_DEACTIVATE, {"input": {"userId": user_id}}, token=actor.access_token
    )


async def test_admin_deactivates_a_user_and_ends_their_sessions(
    auth_service: RunningService, admin: Account, customer: Account
) -> None:
    # when
    body = await deactivate(auth_service, admin, customer.id)

    # then
    assert body == {"data": {"userDeactivate": {"user": {"id": customer.id, "isActive": False}}}}
    assert errors_of(await refresh(auth_service, customer.refresh_token)) == [
        ("TOKEN_INVALID", "The refresh token is not valid.", "token")
    ]
    assert errors_of(await login(auth_service, customer.email, customer.password)) == [
        ("ACCOUNT_INACTIVE", "This account has been deactivated.", None)
    ]
    [event] = await outbox_events(auth_service.sessions, "user.deactivated", customer.id)
    assert event["data"] == {"userId": customer.id, "email": customer.email}


async def test_customer_cannot_deactivate_users(
    auth_service: RunningService, customer: Account, admin: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await deactivate(auth_service, customer, admin.id)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await row_counts(auth_service.sessions) == before
    assert (await stored_user(auth_service.sessions, admin.id)).is_active is True
