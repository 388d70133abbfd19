"""The ``Apollo-Expose-Query-Plan`` header: the plan in ``extensions.apolloQueryPlan``,
with the data (``true``) or instead of running the operation (``dry-run``), only when
the router is configured to expose plans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from textwrap import dedent
from typing import Any

import httpx
import pytest

from router.app import create_router_app
from tests.router.fixtures.servers import serve
from tests.router.fixtures.stub_subgraph import StubSubgraph, serve_stub, unreachable_supergraph

QUERY = "query Me { me { name } }"
ANSWER = {"data": {"me": {"name": "Stub"}}}
PLAN = {
    "object": {
        "kind": "QueryPlan",
        "node": {
            "kind": "Fetch",
            "serviceName": "accounts",
            "variableUsages": [],
            "operation": "query Me__accounts__0{me{name}}",
            "operationKind": "query",
            "operationName": "Me__accounts__0",
        },
    },
    "text": dedent(
        """\
        QueryPlan {
          Fetch(service: "accounts") {
            {
              me {
                name
              }
            }
          },
        }"""
    ),
}


@pytest.fixture(scope="module")
async def accounts_stub() -> AsyncIterator[StubSubgraph]:
    async for stub in serve_stub(ANSWER):
        yield stub


async def _router_url(
    peers: Path, stub: StubSubgraph, *, expose_query_plan: bool
) -> AsyncIterator[str]:
    app = create_router_app(
        unreachable_supergraph(peers),
        expose_query_plan=expose_query_plan,
        subgraph_urls={"accounts": stub.url},
    )
    running = await serve(app)
    yield f"{running.url}/graphql"
    await running.stop()


@pytest.fixture(scope="module")
async def exposing_router(apollo_peers: Path, accounts_stub: StubSubgraph) -> AsyncIterator[str]:
    async for url in _router_url(apollo_peers, accounts_stub, expose_query_plan=True):
        yield url


@pytest.fixture(scope="module")
async def plain_router(apollo_peers: Path, accounts_stub: StubSubgraph) -> AsyncIterator[str]:
    async for url in _router_url(apollo_peers, accounts_stub, expose_query_plan=False):
        yield url


async def _post(url: str, header: str | None, query: str = QUERY) -> httpx.Response:
    headers = {} if header is None else {"apollo-expose-query-plan": header}
    async with httpx.AsyncClient() as client:
        return await client.post(url, json={"query": query}, headers=headers)


def _body(response: httpx.Response) -> Any:
    assert response.status_code == 200
    return response.json()


async def test_plan_comes_with_the_data(exposing_router: str, accounts_stub: StubSubgraph) -> None:
    # given
    calls = len(accounts_stub.received)

    # when
    response = await _post(exposing_router, "true")

    # then
    assert _body(response) == {**ANSWER, "extensions": {"apolloQueryPlan": PLAN}}
    assert len(accounts_stub.received) == calls + 1


async def test_dry_run_answers_the_plan_and_calls_no_subgraph(
    exposing_router: str, accounts_stub: StubSubgraph
) -> None:
    # given
    calls = len(accounts_stub.received)

    # when
    response = await _post(exposing_router, "dry-run")

    # then
    assert _body(response) == {"extensions": {"apolloQueryPlan": PLAN}}
    assert len(accounts_stub.received) == calls


async def test_dry_run_of_an_invalid_operation_is_refused(exposing_router: str) -> None:
    # when
    response = await _post(exposing_router, "dry-run", "{ me { nope } }")

    # then
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize("header", [None, "false", "TRUE", "yes"])
async def test_other_header_values_get_no_plan(
    exposing_router: str, accounts_stub: StubSubgraph, header: str | None
) -> None:
    # given
    calls = len(accounts_stub.received)

    # when
    response = await _post(exposing_router, header)

    # then
    assert _body(response) == ANSWER
    assert len(accounts_stub.received) == calls + 1


@pytest.mark.parametrize("header", ["true", "dry-run"])
async def test_header_is_ignored_when_exposure_is_off(
    plain_router: str, accounts_stub: StubSubgraph, header: str
) -> None:
    # given
    calls = len(accounts_stub.received)

    # when
    response = await _post(plain_router, header)

    # then
    assert _body(response) == ANSWER
    assert len(accounts_stub.received) == calls + 1
