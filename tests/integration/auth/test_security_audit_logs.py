from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.fixtures.auth import Account, login
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

QUERY_SECURITY_AUDIT_LOGS = """
query SecurityAuditLogs($userId: ID, $first: Int!, $after: String) {
  securityAuditLogs(userId: $userId, first: $first, after: $after) {
    edges { node { userId action ipAddress userAgent metadata } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def entry(user_id: str, action: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "node": {
            "userId": user_id,
            "action": action,
            "ipAddress": "127.0.0.1",
            "userAgent": f"python-httpx/{httpx.__version__}",
            "metadata": metadata,
        }
    }


async def list_logs(
    auth_service: RunningService, reader: Account, user_id: str, after: str | None = None
) -> dict[str, Any]:
    variables = {"userId": user_id, "first": 2, "after": after}
    return await auth_service.graphql(
        QUERY_SECURITY_AUDIT_LOGS, variables, token=reader.access_token
    )


async def test_admin_pages_through_a_users_log_newest_first(
    auth_service: RunningService, admin: Account, customer: Account
) -> None:
    # given
    for _ in range(2):
        await login(auth_service, customer.email, "wrong password")

    # when
    first = await list_logs(auth_service, admin, customer.id)
    cursor = first["data"]["securityAuditLogs"]["pageInfo"]["endCursor"]
    second = await list_logs(auth_service, admin, customer.id, after=cursor)

    # then
    failed = "LOGIN_FAILED"
    assert first == {
        "data": {
            "securityAuditLogs": {
                "edges": [
                    entry(customer.id, failed, {"reason": "wrong_password", "failedAttempts": 2}),
                    entry(customer.id, failed, {"reason": "wrong_password", "failedAttempts": 1}),
                ],
                "pageInfo": {"hasNextPage": True, "endCursor": cursor},
            }
        }
    }
    assert second == {
        "data": {
            "securityAuditLogs": {
                "edges": [entry(customer.id, "LOGIN_SUCCEEDED", {})],
                "pageInfo": {
                    "hasNextPage": False,
                    "endCursor": second["data"]["securityAuditLogs"]["pageInfo"]["endCursor"],
                },
            }
        }
    }


async def test_customer_cannot_read_the_log(
    auth_service: RunningService, customer: Account
) -> None:
    # when
    body = await list_logs(auth_service, customer, customer.id)

    # then
    assert body["data"] is None
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        base64.urlsafe_b64encode(b"2026-01-01T00:00:00|an-id").decode(),
        base64.urlsafe_b64encode(b"2026-01-01T00:00:00+00:00").decode(),
    ],
    ids=["garbage", "naive-time", "no-id"],
)
async def test_a_malformed_cursor_is_bad_input(
    auth_service: RunningService, admin: Account, customer: Account, cursor: str
) -> None:
    # when
    body = await list_logs(auth_service, admin, customer.id, after=cursor)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "The cursor is not valid.", "after")]


async def test_page_size_is_bounded(auth_service: RunningService, admin: Account) -> None:
    # when
    body = await auth_service.graphql(
        QUERY_SECURITY_AUDIT_LOGS, {"first": 101}, token=admin.access_token
    )

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "first must be between 1 and 100.", "first")]
