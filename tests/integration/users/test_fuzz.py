"""Schemathesis sends generated operations of every root field to the running users
subgraph: none may crash it (5xx) or end as an unexpected error (INTERNAL_SERVER_ERROR)."""

from __future__ import annotations

import asyncio

import pytest
import schemathesis

from tests.fixtures.fuzz import entity_representations, fuzz_subgraph
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper

MAX_EXAMPLES = 150


@pytest.mark.parametrize("viewer", ["customer", "admin"])
async def test_generated_operations_never_fail_unexpectedly(
    users_service: RunningService,
    shopper: Shopper,
    other_shopper: Shopper,
    admin_token: str,
    viewer: str,
) -> None:
    # given
    known_users = [shopper.user_id, other_shopper.user_id]
    schemathesis.graphql.scalar(
        "_Any", entity_representations(["User", "User", "Product", "Order"], known_users)
    )
    token = shopper.token if viewer == "customer" else admin_token

    # when / then
    await asyncio.to_thread(
        fuzz_subgraph, users_service.url, token=token, max_examples=MAX_EXAMPLES
    )
