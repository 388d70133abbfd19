"""The benchmark's four subgraphs served for real; supergraphs composed over them by
Apollo's composition (one with every subgraph up, one with inventory unreachable); and
our router and Apollo's gateway served side by side on each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from router.app import create_router_app
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.servers import (
    compose_supergraph,
    serve,
    start_gateway,
    subgraph_app,
    subgraph_sdl,
)

# Nothing listens on port 9 (discard) on loopback: connections are refused at once.
UNREACHABLE_URL = "http://127.0.0.1:9/graphql"


@dataclass(frozen=True)
class Subgraph:
    url: str
    sdl: str


@pytest.fixture(scope="session")
async def benchmark_subgraphs() -> AsyncIterator[dict[str, Subgraph]]:
    """name → running subgraph (its /graphql URL and SDL)."""
    running = {name: await serve(subgraph_app(schema)) for name, schema in SCHEMAS.items()}
    yield {
        name: Subgraph(f"{server.url}/graphql", subgraph_sdl(SCHEMAS[name]))
        for name, server in running.items()
    }
    for server in running.values():
        await server.stop()


@pytest.fixture(scope="session")
def benchmark_supergraph(
    apollo_peers: Path,
    benchmark_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The supergraph SDL file over the running subgraphs."""
    urls = {name: (sub.url, sub.sdl) for name, sub in benchmark_subgraphs.items()}
    path = tmp_path_factory.mktemp("supergraph") / "benchmark.graphql"
    path.write_text(compose_supergraph(apollo_peers, urls))
    return path


@pytest.fixture(scope="session")
def inventory_down_supergraph(
    apollo_peers: Path,
    benchmark_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The same supergraph with inventory's URL pointing where nothing listens."""
    urls = {name: (sub.url, sub.sdl) for name, sub in benchmark_subgraphs.items()}
    urls["inventory"] = (UNREACHABLE_URL, urls["inventory"][1])
    path = tmp_path_factory.mktemp("supergraph") / "inventory_down.graphql"
    path.write_text(compose_supergraph(apollo_peers, urls))
    return path


@dataclass(frozen=True)
class Pair:
    ours: str
    apollo: str


@pytest.fixture(scope="session")
async def benchmark_pair(apollo_peers: Path, benchmark_supergraph: Path) -> AsyncIterator[Pair]:
    ours = await serve(create_router_app(await asyncio.to_thread(benchmark_supergraph.read_text)))
    apollo = await start_gateway(apollo_peers, benchmark_supergraph)
    yield Pair(f"{ours.url}/graphql", apollo.url)
    await apollo.stop()
    await ours.stop()


@pytest.fixture(scope="session")
async def inventory_down_pair(
    apollo_peers: Path, inventory_down_supergraph: Path
) -> AsyncIterator[Pair]:
    ours = await serve(
        create_router_app(await asyncio.to_thread(inventory_down_supergraph.read_text))
    )
    apollo = await start_gateway(apollo_peers, inventory_down_supergraph)
    yield Pair(f"{ours.url}/graphql", apollo.url)
    await apollo.stop()
    await ours.stop()
