from __future__ import annotations

from typing import Any

from tests.fixtures.auth import Account, AccountFactory, outbox_events, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_ROLE_REVOKE = """
mutation RoleRevoke($input: RoleRevokeInput!) {
  roleRevoke(input: $input) { user { id roles } }
}
"""


async def revoke(
    auth_service: RunningService, actor: Account, user_id: str, role: str
) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_ROLE_REVOKE, {"input": {"userId": user_id, "role": role}}, token=actor.access_token
    )


async def test_admin_revokes_a_role(
    auth_service: RunningService, admin: Account, account_factory: AccountFactory
) -> None:
    # given
    agent = await account_factory(roles=["support"])

    # when
    body = await revoke(auth_service, admin, agent.id, "support")

    # then
    assert body == {"data": {"roleRevoke": {"user": {"id": agent.id, "roles": ["customer"]}}}}
    events = await outbox_events(auth_service.sessions, "user.roles_changed", agent.id)
    assert [event["data"]["roles"] for event in events] == [
        ["customer", "support"],
        ["customer"],
    ]


async def test_customer_cannot_revoke_roles(
    auth_service: RunningService, customer: Account, support_agent: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await revoke(auth_service, customer, support_agent.id, "support")

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await row_counts(auth_service.sessions) == before
