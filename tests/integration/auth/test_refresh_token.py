from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from shared.auth.tokens import TokenVerifier
from shared.database import utcnow
from subgraphs.auth import models
from subgraphs.auth.credentials import hash_token
from tests.fixtures.auth import Account, audit_actions, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_REFRESH_TOKEN = """
mutation RefreshToken($token: String!) {
  refreshToken(token: $token) { accessToken refreshToken expiresIn user { id email } }
}
"""

TOKEN_INVALID = ("TOKEN_INVALID", "The refresh token is not valid.", "token")


async def refresh(auth_service: RunningService, token: str) -> dict[str, Any]:
    return await auth_service.graphql(MUTATION_REFRESH_TOKEN, {"token": token})


async def stored_tokens(auth_service: RunningService, user_id: str) -> list[models.RefreshToken]:
    token = models.RefreshToken
    async with auth_service.sessions() as db:
        stmt = select(token).where(token.user_id == user_id).order_by(token.created_at)
        return list((await db.scalars(stmt)).all())


async def test_refresh_rotates_the_token_within_its_family(
    auth_service: RunningService, customer: Account, token_verifier: TokenVerifier
) -> None:
    # when
    body = await refresh(auth_service, customer.refresh_token)

    # then
    payload = body["data"]["refreshToken"]
    assert body == {
        "data": {
            "refreshToken": {
                "accessToken": payload["accessToken"],
                "refreshToken": payload["refreshToken"],
                "expiresIn": 900,
                "user": {"id": customer.id, "email": customer.email},
            }
        }
    }
    assert payload["refreshToken"] != customer.refresh_token
    assert (await token_verifier.verify(payload["accessToken"])).user_id == customer.id
    first, second = await stored_tokens(auth_service, customer.id)
    assert (first.token_hash, first.revoked, first.replaced_by_id) == (
        hash_token(customer.refresh_token),
        True,
        second.id,
    )
    assert (second.token_hash, second.revoked, second.family_id) == (
        hash_token(payload["refreshToken"]),
        False,
        first.family_id,
    )


async def test_the_rotated_token_refreshes_again(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    second = (await refresh(auth_service, customer.refresh_token))["data"]["refreshToken"]

    # when
    body = await refresh(auth_service, second["refreshToken"])

    # then
    assert errors_of(body) == []
    assert len(await stored_tokens(auth_service, customer.id)) == 3


async def test_reusing_a_rotated_token_revokes_the_whole_family(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    successor = (await refresh(auth_service, customer.refresh_token))["data"]["refreshToken"]

    # when
    reused = await refresh(auth_service, customer.refresh_token)

    # then
    assert reused["data"] is None
    assert errors_of(reused) == [
        (
            "TOKEN_REUSED",
            "This refresh token was already used: every session of its family is revoked.",
            "token",
        )
    ]
    assert errors_of(await refresh(auth_service, successor["refreshToken"])) == [TOKEN_INVALID]
    assert [token.revoked for token in await stored_tokens(auth_service, customer.id)] == [
        True,
        True,
    ]
    assert await audit_actions(auth_service.sessions, customer.id) == Counter(
        {"login_succeeded": 1, "refresh_token_reused": 1}
    )


async def test_reuse_leaves_other_sessions_alone(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    other_session = (
        await auth_service.graphql(
            "mutation($input: LoginInput!) { login(input: $input) { refreshToken } }",
            {"input": {"email": customer.email, "password": customer.password}},
        )
    )["data"]["login"]["refreshToken"]
    await refresh(auth_service, customer.refresh_token)

    # when
    await refresh(auth_service, customer.refresh_token)

    # then
    assert errors_of(await refresh(auth_service, other_session)) == []


async def test_expired_refresh_token_is_refused(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    async with auth_service.sessions() as db:
        await db.execute(
            update(models.RefreshToken)
            .where(models.RefreshToken.user_id == customer.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()
    before = await row_counts(auth_service.sessions)

    # when
    body = await refresh(auth_service, customer.refresh_token)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("TOKEN_EXPIRED", "The refresh token has expired.", "token")]
    assert await row_counts(auth_service.sessions) == before
    [token] = await stored_tokens(auth_service, customer.id)
    assert token.revoked is False


async def test_unknown_refresh_token_is_refused(auth_service: RunningService) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await refresh(auth_service, "not-a-token")

    # then
    assert body["data"] is None
    assert errors_of(body) == [TOKEN_INVALID]
    assert await row_counts(auth_service.sessions) == before
