"""Schemathesis sends generated operations of every root field to the running users
subgraph: none may crash it (5xx) or end as an unexpected error (INTERNAL_SERVER_ERROR)."""

from __future__ import annotations

import asyncio

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper

MAX_EXAMPLES = 150


def _field(name: str, value: graphql.ValueNode) -> graphql.ObjectFieldNode:
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)


def _representations(user_ids: list[str]) -> st.SearchStrategy[graphql.ValueNode]:
    """``_Any`` values: entity representations, mostly of known users, some nonsense."""
    typenames = st.sampled_from(["User", "User", "Product", "Order"])
    ids = st.sampled_from(user_ids) | st.text(max_size=40)
    return st.builds(
        lambda typename, id_: nodes.Object(
            [_field("__typename", nodes.String(typename)), _field("id", nodes.String(id_))]
        ),
        typenames,
        ids,
    )


def _fuzz(url: str, token: str) -> None:
    """Blocking: runs in a thread so the services keep serving on the event loop."""
    schema = schemathesis.graphql.from_url(f"{url}/graphql")
    strategy = schema.as_strategy(headers={"Authorization": f"Bearer {token}"})

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def send(case: schemathesis.Case) -> None:
        response = case.call()
        assert response.status_code < 500, (case.body, response.text)
        codes = [error["extensions"]["code"] for error in response.json().get("errors", [])]
        assert "INTERNAL_SERVER_ERROR" not in codes, (case.body, response.text)

    send()


@pytest.mark.parametrize("viewer", ["customer", "admin"])
async def test_generated_operations_never_fail_unexpectedly(
    users_service: RunningService,
    shopper: Shopper,
    other_shopper: Shopper,
    admin_token: str,
    viewer: str,
) -> None:
    # given
    schemathesis.graphql.scalar("_Any", _representations([shopper.user_id, other_shopper.user_id]))
    token = shopper.token if viewer == "customer" else admin_token

    # when / then
    await asyncio.to_thread(_fuzz, users_service.url, token)
