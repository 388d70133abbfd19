"""`commerce grant-role EMAIL ROLE`: how an operator makes the first admin."""

from __future__ import annotations

from shared.settings import Settings
from subgraphs.auth import service
from tests.fixtures.auth import Account, unique_email
from tests.fixtures.cli import database_environment, run_commerce
from tests.fixtures.services import RunningService


async def test_operator_makes_an_account_admin(
    auth_service: RunningService, settings: Settings, customer: Account
) -> None:
    # when
    code, out, _ = await run_commerce(
        database_environment(settings), "grant-role", customer.email, "admin"
    )

    # then
    assert (code, out) == (0, f"{customer.email} now has roles: admin, customer\n")
    async with auth_service.sessions() as db:
        user = await service.get_user(db, customer.id)
    assert user is not None and user.role_names == ["admin", "customer"]


async def test_unknown_email_is_reported(auth_service: RunningService, settings: Settings) -> None:
    # when
    code, out, err = await run_commerce(
        database_environment(settings), "grant-role", unique_email(), "admin"
    )

    # then
    assert (code, out, err) == (1, "", "error: User not found.\n")
