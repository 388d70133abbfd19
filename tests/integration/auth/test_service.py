"""Service functions no GraphQL operation reaches."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth.tokens import TokenVerifier
from shared.errors import DomainError
from subgraphs.auth import service
from tests.fixtures.auth import Account, login, outbox_events
from tests.fixtures.services import RunningService


async def test_grant_role_makes_an_admin_by_email(
    auth_db: AsyncSession,
    auth_service: RunningService,
    customer: Account,
    token_verifier: TokenVerifier,
) -> None:
    # when
    user = await service.grant_role(auth_db, email=customer.email.upper(), role="admin")

    # then
    assert (user.id, user.role_names) == (customer.id, ["admin", "customer"])
    relogged = await login(auth_service, customer.email, customer.password)
    claims = await token_verifier.verify(relogged["data"]["login"]["accessToken"])
    assert claims.roles == {"admin", "customer"}
    [event] = await outbox_events(auth_service.sessions, "user.roles_changed", customer.id)
    assert event["data"] == {"userId": customer.id, "roles": ["admin", "customer"]}


async def test_grant_role_to_an_unknown_email_is_not_found(auth_db: AsyncSession) -> None:
    # when
    with pytest.raises(DomainError) as raised:
        await service.grant_role(auth_db, email="nobody@example.com", role="admin")

    # then
    assert (raised.value.code, raised.value.message, raised.value.field) == (
        "NOT_FOUND",
        "User not found.",
        "email",
    )
