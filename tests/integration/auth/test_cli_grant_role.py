"""`commerce grant-role EMAIL ROLE`: how an operator makes the first admin."""

from __future__ import annotations

import asyncio
import os
import sys

from shared.settings import Settings
from subgraphs.auth import service
from tests.fixtures.auth import Account, unique_email
from tests.fixtures.services import RunningService


async def _commerce(settings: Settings, *args: str) -> tuple[int, str, str]:
    environment = os.environ | {
        "COMMERCE_DATABASE_URL": settings.database_url,
        "COMMERCE_DATABASE_PREFIX": settings.database_prefix,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "shared.cli",
        *args,
        env=environment,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_operator_makes_an_account_admin(
    auth_service: RunningService, settings: Settings, customer: Account
) -> None:
    # when
    code, out, _ = await _commerce(settings, "grant-role", customer.email, "admin")

    # then
    assert (code, out) == (0, f"{customer.email} now has roles: admin, customer\n")
    async with auth_service.sessions() as db:
        user = await service.get_user(db, customer.id)
    assert user is not None and user.role_names == ["admin", "customer"]


async def test_unknown_email_is_reported(auth_service: RunningService, settings: Settings) -> None:
    # when
    code, out, err = await _commerce(settings, "grant-role", unique_email(), "admin")

    # then
    assert (code, out, err) == (1, "", "error: User not found.\n")
