from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from shared.auth.passwords import PasswordHasher
from shared.auth.tokens import TokenVerifier
from shared.database import utcnow
from subgraphs.auth import models
from tests.fixtures.auth import (
    Account,
    audit_actions,
    outbox_events,
    row_counts,
    stored_user,
    unique_email,
)
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { accessToken refreshToken expiresIn user { id email roles } }
}
"""

INVALID_CREDENTIALS = ("INVALID_CREDENTIALS", "The email or password is incorrect.", None)
ACCOUNT_LOCKED = (
    "ACCOUNT_LOCKED",
    "The account is locked after too many failed sign-in attempts; try again later.",
    None,
)


async def login(auth_service: RunningService, email: str, password: str) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_LOGIN, {"input": {"email": email, "password": password}}
    )


async def fail_logins(auth_service: RunningService, account: Account, times: int) -> None:
    for _ in range(times):
        body = await login(auth_service, account.email, "wrong password")
        assert errors_of(body) == [INVALID_CREDENTIALS]


async def test_login_returns_tokens_and_the_user(
    auth_service: RunningService, customer: Account, token_verifier: TokenVerifier
) -> None:
    # when
    body = await login(auth_service, customer.email.upper(), customer.password)

    # then
    payload = body["data"]["login"]
    assert body == {
        "data": {
            "login": {
                "accessToken": payload["accessToken"],
                "refreshToken": payload["refreshToken"],
                "expiresIn": 900,
                "user": {"id": customer.id, "email": customer.email, "roles": ["customer"]},
            }
        }
    }
    claims = await token_verifier.verify(payload["accessToken"])
    assert (claims.user_id, claims.email, claims.roles) == (
        customer.id,
        customer.email,
        frozenset({"customer"}),
    )


async def test_login_is_audited_with_the_client_and_emits_logged_in(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    await login(auth_service, customer.email, customer.password)

    # then
    async with auth_service.sessions() as db:
        rows = (
            await db.scalars(
                select(models.SecurityAuditLog).where(
                    models.SecurityAuditLog.user_id == customer.id
                )
            )
        ).all()
    # The customer fixture logged in once already.
    assert [(r.action, r.ip_address, r.user_agent, r.details) for r in rows] == [
        ("login_succeeded", "127.0.0.1", f"python-httpx/{httpx.__version__}", {})
    ] * 2
    events = await outbox_events(auth_service.sessions, "user.logged_in", customer.id)
    assert [event["data"]["userId"] for event in events] == [customer.id] * 2


async def test_unknown_email_and_wrong_password_get_the_same_error(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    unknown = await login(auth_service, unique_email(), customer.password)
    wrong = await login(auth_service, customer.email, "wrong password")

    # then
    assert unknown == wrong
    assert unknown["data"] is None
    assert errors_of(unknown) == [INVALID_CREDENTIALS]


async def test_failed_login_is_counted_and_audited_despite_the_error(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    await fail_logins(auth_service, customer, 2)

    # then
    user = await stored_user(auth_service.sessions, customer.id)
    assert (user.failed_login_attempts, user.locked_until) == (2, None)
    assert await audit_actions(auth_service.sessions, customer.id) == Counter(
        {"login_succeeded": 1, "login_failed": 2}
    )


async def test_the_fifth_failure_locks_the_account(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    await fail_logins(auth_service, customer, 5)

    # then
    user = await stored_user(auth_service.sessions, customer.id)
    assert user.failed_login_attempts == 5
    assert user.locked_until is not None and user.locked_until > utcnow()
    assert await audit_actions(auth_service.sessions, customer.id) == Counter(
        {"login_succeeded": 1, "login_failed": 5, "account_locked": 1}
    )


async def test_locked_account_refuses_the_right_password(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    await fail_logins(auth_service, customer, 5)
    before = await stored_user(auth_service.sessions, customer.id)

    # when
    body = await login(auth_service, customer.email, customer.password)

    # then
    assert body["data"] is None
    assert errors_of(body) == [ACCOUNT_LOCKED]
    after = await stored_user(auth_service.sessions, customer.id)
    assert (after.failed_login_attempts, after.locked_until, after.last_login_at) == (
        before.failed_login_attempts,
        before.locked_until,
        before.last_login_at,
    )


async def test_the_lock_lifts_when_its_window_has_passed(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    await fail_logins(auth_service, customer, 5)
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.User)
            .where(models.User.id == customer.id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        await db.commit()

    # when
    body = await login(auth_service, customer.email, customer.password)

    # then
    assert errors_of(body) == []
    user = await stored_user(auth_service.sessions, customer.id)
    assert (user.failed_login_attempts, user.locked_until) == (0, None)


async def test_a_failure_after_the_window_starts_a_new_count(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    await fail_logins(auth_service, customer, 5)
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.User)
            .where(models.User.id == customer.id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        await db.commit()

    # when
    await fail_logins(auth_service, customer, 1)

    # then
    user = await stored_user(auth_service.sessions, customer.id)
    assert (user.failed_login_attempts, user.locked_until) == (1, None)


async def test_success_resets_the_failure_count(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    await fail_logins(auth_service, customer, 3)

    # when
    body = await login(auth_service, customer.email, customer.password)

    # then
    assert errors_of(body) == []
    user = await stored_user(auth_service.sessions, customer.id)
    assert user.failed_login_attempts == 0


async def test_deactivated_user_cannot_log_in(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.User).where(models.User.id == customer.id).values(is_active=False)
        )
        await db.commit()
    before = await row_counts(auth_service.sessions)

    # when
    body = await login(auth_service, customer.email, customer.password)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("ACCOUNT_INACTIVE", "This account has been deactivated.", None)]
    after = await row_counts(auth_service.sessions)
    assert after == {**before, "security_audit_logs": before["security_audit_logs"] + 1}


async def test_login_rehashes_a_password_hashed_with_other_parameters(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    old_hash = PasswordHasher(time_cost=2, memory_cost_kib=2048).hash(customer.password)
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.User).where(models.User.id == customer.id).values(password_hash=old_hash)
        )
        await db.commit()

    # when
    body = await login(auth_service, customer.email, customer.password)

    # then
    assert errors_of(body) == []
    user = await stored_user(auth_service.sessions, customer.id)
    assert user.password_hash.startswith("$argon2id$v=19$m=1024,t=1,")
