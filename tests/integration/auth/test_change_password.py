from __future__ import annotations

from collections import Counter
from typing import Any

from tests.fixtures.auth import Account, audit_actions, login, outbox_events, refresh, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_CHANGE_PASSWORD = """
mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) { user { id } }
}
"""

NEW_PASSWORD = "a brand new passphrase"


async def change(
    auth_service: RunningService, account: Account, current: str, new: str = NEW_PASSWORD
) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_CHANGE_PASSWORD,
        {"input": {"currentPassword": current, "newPassword": new}},
        token=account.access_token,
    )


async def test_change_password_replaces_it_and_ends_every_session(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await change(auth_service, customer, customer.password)

    # then
    assert body == {"data": {"changePassword": {"user": {"id": customer.id}}}}
    assert errors_of(await login(auth_service, customer.email, NEW_PASSWORD)) == []
    assert errors_of(await refresh(auth_service, customer.refresh_token)) == [
        ("TOKEN_INVALID", "The refresh token is not valid.", "token")
    ]
    assert await audit_actions(auth_service.sessions, customer.id) == Counter(
        {"login_succeeded": 2, "password_changed": 1}
    )
    [event] = await outbox_events(auth_service.sessions, "user.password_changed", customer.id)
    assert event["data"] == {"userId": customer.id, "email": customer.email, "via": "change"}


async def test_wrong_current_password_is_refused(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await change(auth_service, customer, "not my password")

    # then
    assert body["data"] is None
    assert errors_of(body) == [
        ("INVALID_CREDENTIALS", "The current password is incorrect.", "currentPassword")
    ]
    assert await row_counts(auth_service.sessions) == before


async def test_weak_new_password_is_refused(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await change(auth_service, customer, customer.password, "short")

    # then
    assert errors_of(body) == [
        ("BAD_USER_INPUT", "The password must be at least 8 characters long.", "newPassword")
    ]
    assert await row_counts(auth_service.sessions) == before


async def test_change_password_needs_a_signed_in_user(auth_service: RunningService) -> None:
    # when
    body = await auth_service.graphql(
        MUTATION_CHANGE_PASSWORD,
        {"input": {"currentPassword": "whatever1", "newPassword": NEW_PASSWORD}},
    )

    # then
    assert body["data"] is None
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
