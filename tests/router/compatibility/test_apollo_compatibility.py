"""Apollo's subgraph compatibility suite passes through our router.

The suite (npm ``@apollo/federation-subgraph-compatibility-tests``) checks a `products`
subgraph against Apollo's reference `users` and `inventory` subgraphs, partly through a
gateway on localhost:4000. Here `products` is ours in Strawberry (``products.py``), the
supergraph is composed by our composition, and the gateway is our router; the same run
with Apollo's gateway and composition checks the harness and the products subgraph.

The suite hard-codes ports 4000-4003, which ``make dev`` also uses: stop it first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from router.app import create_router_app
from router.composition import SubgraphSource, compose
from router.composition.sources import fetch_sdl
from tests.router.compatibility import products
from tests.router.compatibility.harness import (
    GATEWAY_PORT,
    INVENTORY_PORT,
    PRODUCTS_PORT,
    SUITE_PORTS,
    USERS_PORT,
    at_root,
    busy_ports,
    run_suite,
    serve_on,
    start_node,
    wait_until_answers,
)
from tests.router.composition.sdl import normalise_sdl
from tests.router.fixtures.servers import compose_supergraph

PRODUCTS_URL = f"http://127.0.0.1:{PRODUCTS_PORT}/graphql"
GATEWAY_URL = f"http://127.0.0.1:{GATEWAY_PORT}/"


@dataclass(frozen=True)
class Supergraph:
    ours: str
    apollo: str


@pytest.fixture(scope="module")
async def subgraph_urls(
    apollo_peers: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, str]]:
    """The suite's three subgraphs, running: name → URL."""
    busy = busy_ports(SUITE_PORTS)
    if busy:
        pytest.fail(
            f"Apollo's compatibility suite needs ports {SUITE_PORTS} on localhost (its tests "
            f"hard-code them) but {busy} are in use; is `make dev` running? Stop it and rerun.",
            pytrace=False,
        )
    logs = tmp_path_factory.mktemp("compatibility")
    users = await start_node(
        apollo_peers,
        ["compatibility.mjs", "subgraph", "users"],
        f"http://127.0.0.1:{USERS_PORT}/",
        logs / "users.log",
    )
    inventory = await start_node(
        apollo_peers,
        ["compatibility.mjs", "subgraph", "inventory"],
        f"http://127.0.0.1:{INVENTORY_PORT}/",
        logs / "inventory.log",
    )
    stop_products = await serve_on(products.app, PRODUCTS_PORT)
    await wait_until_answers(PRODUCTS_URL)
    yield {
        "inventory": f"http://127.0.0.1:{INVENTORY_PORT}/",
        "products": PRODUCTS_URL,
        "users": f"http://127.0.0.1:{USERS_PORT}/",
    }
    await stop_products()
    await inventory.stop()
    await users.stop()


@pytest.fixture(scope="module")
async def supergraph(apollo_peers: Path, subgraph_urls: dict[str, str]) -> Supergraph:
    """The subgraphs' own SDL (``_service``) composed by our composition and by Apollo's."""
    async with httpx.AsyncClient(timeout=10) as client:
        sources = [
            SubgraphSource(name, url, await fetch_sdl(client, url))
            for name, url in subgraph_urls.items()
        ]
    ours = compose(sources)
    assert ours.errors == [], f"our composition failed: {ours.errors}"
    assert ours.supergraph_sdl is not None
    urls_and_sdls = {source.name: (source.url, source.sdl) for source in sources}
    apollo = await asyncio.to_thread(compose_supergraph, apollo_peers, urls_and_sdls)
    return Supergraph(ours=ours.supergraph_sdl, apollo=apollo)


@pytest.fixture(params=["apollo-gateway", "our-router"])
async def gateway(
    request: pytest.FixtureRequest,
    apollo_peers: Path,
    supergraph: Supergraph,
    tmp_path: Path,
) -> AsyncIterator[str]:
    """A gateway on 127.0.0.1:4000 over the supergraph: Apollo's on Apollo's composition
    (the reference run), or ours on our composition."""
    if request.param == "apollo-gateway":
        path = tmp_path / "supergraph.graphql"
        path.write_text(supergraph.apollo)
        apollo = await start_node(
            apollo_peers,
            ["gateway.mjs", str(path), str(GATEWAY_PORT)],
            GATEWAY_URL,
            tmp_path / "gateway.log",
        )
        yield request.param
        await apollo.stop()
    else:
        stop = await serve_on(at_root(create_router_app(supergraph.ours)), GATEWAY_PORT)
        yield request.param
        await stop()


def test_our_composition_matches_apollos(supergraph: Supergraph) -> None:
    assert normalise_sdl(supergraph.ours) == normalise_sdl(supergraph.apollo)


async def test_compatibility_suite_passes(apollo_peers: Path, gateway: str) -> None:
    # when
    result = await run_suite(apollo_peers, PRODUCTS_URL)
    # then
    assert len(result.features) == 15
    assert result.failed_features() == [], f"through {gateway}:\n{result.failures()}"
