"""Schemathesis sends generated operations of every root field to the running auth
subgraph: none may crash it (5xx) or end as an unexpected error (INTERNAL_SERVER_ERROR)."""

from __future__ import annotations

import asyncio

import pytest
import schemathesis

from tests.fixtures.auth import Account
from tests.fixtures.fuzz import entity_representations, fuzz_subgraph
from tests.fixtures.services import RunningService

MAX_EXAMPLES = 150


@pytest.mark.parametrize("viewer", ["anonymous", "customer", "admin"])
async def test_generated_operations_never_fail_unexpectedly(
    auth_service: RunningService, customer: Account, admin: Account, viewer: str
) -> None:
    # given
    schemathesis.graphql.scalar(
        "_Any", entity_representations(["User", "User", "Product"], [customer.id, admin.id])
    )
    token = {"anonymous": None, "customer": customer.access_token, "admin": admin.access_token}

    # when / then
    await asyncio.to_thread(
        fuzz_subgraph, auth_service.url, token=token[viewer], max_examples=MAX_EXAMPLES
    )
