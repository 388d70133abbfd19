from __future__ import annotations

from tests.fixtures.auth import Account, login, refresh, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_LOGOUT = """
mutation Logout($input: LogoutInput!) { logout(input: $input) { ok } }
"""

TOKEN_INVALID = ("TOKEN_INVALID", "The refresh token is not valid.", "token")


async def test_logout_revokes_the_session_family(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    rotated = (await refresh(auth_service, customer.refresh_token))["data"]["refreshToken"]

    # when
    body = await auth_service.graphql(
        MUTATION_LOGOUT, {"input": {"refreshToken": rotated["refreshToken"]}}
    )

    # then
    assert body == {"data": {"logout": {"ok": True}}}
    assert errors_of(await refresh(auth_service, rotated["refreshToken"])) == [TOKEN_INVALID]


async def test_logout_leaves_other_sessions_alone(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    other = (await login(auth_service, customer.email, customer.password))["data"]["login"]

    # when
    await auth_service.graphql(MUTATION_LOGOUT, {"input": {"refreshToken": customer.refresh_token}})

    # then
    assert errors_of(await refresh(auth_service, other["refreshToken"])) == []


async def test_logout_with_an_unknown_token_changes_nothing(auth_service: RunningService) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await auth_service.graphql(MUTATION_LOGOUT, {"input": {"refreshToken": "unknown"}})

    # then
    assert body == {"data": {"logout": {"ok": True}}}
    assert await row_counts(auth_service.sessions) == before
