"""``subgraph_urls``: the router calls the subgraphs it names at other URLs than the
supergraph's, as Apollo router's ``override_subgraph_url`` does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from router.app import create_router_app
from tests.router.conftest import UNREACHABLE_URL
from tests.router.fixtures.servers import serve
from tests.router.fixtures.stub_subgraph import StubSubgraph, serve_stub, unreachable_supergraph

ANSWER = {"data": {"me": {"name": "Stub"}}}


@pytest.fixture(scope="module")
def supergraph_sdl(apollo_peers: Path) -> str:
    return unreachable_supergraph(apollo_peers)


@pytest.fixture(scope="module")
async def accounts_stub() -> AsyncIterator[StubSubgraph]:
    async for stub in serve_stub(ANSWER):
        yield stub


async def test_overridden_subgraph_is_called_at_its_new_url(
    supergraph_sdl: str, accounts_stub: StubSubgraph
) -> None:
    # given
    app = create_router_app(supergraph_sdl, subgraph_urls={"accounts": accounts_stub.url})
    running = await serve(app)
    calls = len(accounts_stub.received)

    # when
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{running.url}/graphql", json={"query": "{ me { name } }"})
    await running.stop()

    # then
    assert response.json() == ANSWER
    assert len(accounts_stub.received) == calls + 1


async def test_subgraphs_not_named_keep_the_supergraph_url(supergraph_sdl: str) -> None:
    # given
    app = create_router_app(supergraph_sdl, subgraph_urls={"accounts": "http://accounts:4001/"})

    # when
    async with app.router.lifespan_context(app):
        urls = app.state.router.supergraph.subgraph_urls

    # then
    assert urls == {"accounts": "http://accounts:4001/", "reviews": UNREACHABLE_URL}


def test_unknown_subgraph_name_is_an_error(supergraph_sdl: str) -> None:
    # when
    with pytest.raises(ValueError) as raised:
        create_router_app(supergraph_sdl, subgraph_urls={"acounts": "http://accounts:4001/"})

    # then
    assert str(raised.value) == (
        "subgraph_urls names acounts, not a subgraph of the supergraph (accounts, reviews)"
    )
