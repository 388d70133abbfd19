from __future__ import annotations

from typing import Any

from sqlalchemy import select

from subgraphs.auth import models
from tests.fixtures.auth import Account, outbox_events, row_counts
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

MUTATION_ROLE_ASSIGN = """
mutation RoleAssign($input: RoleAssignInput!) {
  roleAssign(input: $input) { user { id roles } }
}
"""


async def assign(
    auth_service: RunningService, actor: Account, user_id: str, role: str
) -> dict[str, Any]:
    return await auth_service.graphql(
        MUTATION_ROLE_ASSIGN, {"input": {"userId": user_id, "role": role}}, token=actor.access_token
    )


async def test_admin_assigns_a_role(
    auth_service: RunningService, admin: Account, customer: Account
) -> None:
    # when
    body = await assign(auth_service, admin, customer.id, "support")

    # then
    assert body == {
        "data": {"roleAssign": {"user": {"id": customer.id, "roles": ["customer", "support"]}}}
    }
    [event] = await outbox_events(auth_service.sessions, "user.roles_changed", customer.id)
    assert event["data"] == {"userId": customer.id, "roles": ["customer", "support"]}
    async with auth_service.sessions() as db:
        audit = await db.scalar(
            select(models.SecurityAuditLog).where(
                models.SecurityAuditLog.user_id == customer.id,
                models.SecurityAuditLog.action == "role_assigned",
            )
        )
    assert audit is not None
    assert audit.details == {"role": "support", "by": admin.id}


async def test_assigning_a_role_held_already_changes_nothing(
    auth_service: RunningService, admin: Account, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await assign(auth_service, admin, customer.id, "customer")

    # then
    assert body == {"data": {"roleAssign": {"user": {"id": customer.id, "roles": ["customer"]}}}}
    assert await row_counts(auth_service.sessions) == before


async def test_customer_cannot_assign_roles(
    auth_service: RunningService, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await assign(auth_service, customer, customer.id, "admin")

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert await row_counts(auth_service.sessions) == before


async def test_unknown_role_is_not_found(
    auth_service: RunningService, admin: Account, customer: Account
) -> None:
    # given
    before = await row_counts(auth_service.sessions)

    # when
    body = await assign(auth_service, admin, customer.id, "superuser")

    # then
    assert errors_of(body) == [("NOT_FOUND", "Role not found.", "role")]
    assert await row_counts(auth_service.sessions) == before


async def test_unknown_user_is_not_found(auth_service: RunningService, admin: Account) -> None:
    # when
    body = await assign(auth_service, admin, "00000000-0000-0000-0000-000000000000", "support")

    # then
    assert errors_of(body) == [("NOT_FOUND", "User not found.", "userId")]
