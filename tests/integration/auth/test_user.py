from __future__ import annotations

import pytest

from tests.fixtures.auth import Account, AccountFactory
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

QUERY_USER = "query User($id: ID!) { user(id: $id) { id email roles isActive } }"


@pytest.mark.parametrize("role", ["admin", "support"])
async def test_staff_read_any_user(
    auth_service: RunningService, customer: Account, account_factory: AccountFactory, role: str
) -> None:
    # given
    reader = await account_factory(roles=[role])

    # when
    body = await auth_service.graphql(QUERY_USER, {"id": customer.id}, token=reader.access_token)

    # then
    assert body == {
        "data": {
            "user": {
                "id": customer.id,
                "email": customer.email,
                "roles": ["customer"],
                "isActive": True,
            }
        }
    }


async def test_unknown_user_is_null(auth_service: RunningService, admin: Account) -> None:
    # when
    body = await auth_service.graphql(
        QUERY_USER, {"id": "00000000-0000-0000-0000-000000000000"}, token=admin.access_token
    )

    # then
    assert body == {"data": {"user": None}}


async def test_customer_cannot_read_users(auth_service: RunningService, customer: Account) -> None:
    # when
    body = await auth_service.graphql(QUERY_USER, {"id": customer.id}, token=customer.access_token)

    # then
    assert body["data"] == {"user": None}
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
