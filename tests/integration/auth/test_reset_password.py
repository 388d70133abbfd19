from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from shared.database import utcnow
from subgraphs.auth import models
from subgraphs.auth.credentials import hash_token
from tests.fixtures.auth import (
    Account,
    audit_actions,
    login,
    mailed_token,
    outbox_events,
    refresh,
    row_counts,
    stored_user,
)
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_RESET_PASSWORD = """
mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { ok } }
"""
MUTATION_REQUEST_PASSWORD_RESET = """
mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { ok }
}
"""

NEW_PASSWORD = "a brand new passphrase"
TOKEN_INVALID = ("TOKEN_INVALID", "The reset token is not valid.", "token")


async def reset_token(auth_service: RunningService, account: Account) -> str:
    await auth_service.graphql(MUTATION_REQUEST_PASSWORD_RESET, {"input": {"email": account.email}})
    return await mailed_token(auth_service.sessions, "user.password_reset_requested", account.id)


async def reset(
    auth_service: RunningService, token: str, password: str = NEW_PASSWORD
) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_RESET_PASSWORD, {"input": {"token": token, "newPassword": password}}
    )


async def test_reset_sets_the_new_password(auth_service: RunningService, customer: Account) -> None:
    # given
    token = await reset_token(auth_service, customer)

    # when
    body = await reset(auth_service, token)

    # then
    assert body == {"data": {"resetPassword": {"ok": True}}}
    assert errors_of(await login(auth_service, customer.email, NEW_PASSWORD)) == []
    assert errors_of(await login(auth_service, customer.email, customer.password)) == [
        ("INVALID_CREDENTIALS", "The email or password is incorrect.", None)
    ]
    [event] = await outbox_events(auth_service.sessions, "user.password_changed", customer.id)
    assert event["data"] == {"userId": customer.id, "email": customer.email, "via": "reset"}


async def test_reset_ends_every_session(auth_service: RunningService, customer: Account) -> None:
    # given
    token = await reset_token(auth_service, customer)

    # when
    await reset(auth_service, token)

    # then
    assert errors_of(await refresh(auth_service, customer.refresh_token)) == [
        ("TOKEN_INVALID", "The refresh token is not valid.", "token")
    ]
    assert await audit_actions(auth_service.sessions, customer.id) == Counter(
        {"login_succeeded": 1, "password_reset": 1}
    )


async def test_reset_lifts_a_lockout(auth_service: RunningService, customer: Account) -> None:
    # given
    for _ in range(5):
        await login(auth_service, customer.email, "wrong password")
    token = await reset_token(auth_service, customer)

    # when
    await reset(auth_service, token)

    # then
    assert errors_of(await login(auth_service, customer.email, NEW_PASSWORD)) == []


async def test_reset_token_is_single_use(auth_service: RunningService, customer: Account) -> None:
    # given
    token = await reset_token(auth_service, customer)
    await reset(auth_service, token)
    before = await row_counts(auth_service.sessions)

    # when
    body = await reset(auth_service, token, "yet another passphrase")

    # then
    assert body["data"] is None
    assert errors_of(body) == [TOKEN_INVALID]
    assert await row_counts(auth_service.sessions) == before


async def test_expired_reset_token_is_refused(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await reset_token(auth_service, customer)
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.PasswordResetToken)
            .where(models.PasswordResetToken.user_id == customer.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()
    password_hash = (await stored_user(auth_service.sessions, customer.id)).password_hash

    # when
    body = await reset(auth_service, token)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("TOKEN_EXPIRED", "The reset token has expired.", "token")]
    assert (await stored_user(auth_service.sessions, customer.id)).password_hash == password_hash


async def test_weak_password_is_refused_without_spending_the_token(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await reset_token(auth_service, customer)
    before = await row_counts(auth_service.sessions)

    # when
    body = await reset(auth_service, token, "short")

    # then
    assert body["data"] is None
    assert errors_of(body) == [
        ("BAD_USER_INPUT", "The password must be at least 8 characters long.", "newPassword")
    ]
    assert await row_counts(auth_service.sessions) == before
    assert errors_of(await reset(auth_service, token)) == []


async def test_reset_token_is_stored_only_as_its_hash(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    token = await reset_token(auth_service, customer)

    # when
    async with auth_service.sessions() as db:
        stored = (
            await db.scalars(
                select(models.PasswordResetToken.token_hash).where(
                    models.PasswordResetToken.user_id == customer.id
                )
            )
        ).all()

    # then
    assert stored == [hash_token(token)]
