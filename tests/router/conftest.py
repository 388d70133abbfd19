"""The benchmark's four subgraphs, the catalogue's six and the project's own served for
real; supergraphs composed over them by Apollo's composition (with every subgraph up, and
with one unreachable); and our router and Apollo's gateway served side by side on each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from strawberry.federation import Schema

from router.app import create_router_app
from tests.fixtures.services import RunningService
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.catalog_subgraphs import SCHEMAS as CATALOG_SCHEMAS
from tests.router.fixtures.context_subgraphs import SCHEMAS as CONTEXT_SCHEMAS
from tests.router.fixtures.platform import PLATFORM_SERVICES, Seed, published_sdl, seed_platform
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


@dataclass(frozen=True)
class Pair:
    """The /graphql URLs of our router and of Apollo's gateway on one supergraph."""

    ours: str
    apollo: str


async def serve_subgraphs(schemas: dict[str, Schema]) -> AsyncIterator[dict[str, Subgraph]]:
    """name → running subgraph (its /graphql URL and SDL), until the generator closes."""
    running = {name: await serve(subgraph_app(schema)) for name, schema in schemas.items()}
    yield {
        name: Subgraph(f"{server.url}/graphql", subgraph_sdl(schemas[name]))
        for name, server in running.items()
    }
    for server in running.values():
        await server.stop()


def write_supergraph(
    peers: Path,
    subgraphs: dict[str, Subgraph],
    path: Path,
    unreachable: str | None = None,
) -> Path:
    """Compose ``subgraphs`` into ``path``; ``unreachable`` names one to point nowhere."""
    urls = {name: (sub.url, sub.sdl) for name, sub in subgraphs.items()}
    if unreachable is not None:
        urls[unreachable] = (UNREACHABLE_URL, urls[unreachable][1])
    path.write_text(compose_supergraph(peers, urls))
    return path


async def serve_pair(peers: Path, supergraph: Path) -> AsyncIterator[Pair]:
    """Our router and Apollo's gateway on ``supergraph``, until the generator closes."""
    ours = await serve(create_router_app(await asyncio.to_thread(supergraph.read_text)))
    apollo = await start_gateway(peers, supergraph)
    yield Pair(f"{ours.url}/graphql", apollo.url)
    await apollo.stop()
    await ours.stop()


@pytest.fixture(scope="session")
async def benchmark_subgraphs() -> AsyncIterator[dict[str, Subgraph]]:
    async for subgraphs in serve_subgraphs(SCHEMAS):
        yield subgraphs


@pytest.fixture(scope="session")
async def catalog_subgraphs() -> AsyncIterator[dict[str, Subgraph]]:
    async for subgraphs in serve_subgraphs(CATALOG_SCHEMAS):
        yield subgraphs


@pytest.fixture(scope="session")
def benchmark_supergraph(
    apollo_peers: Path,
    benchmark_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The supergraph SDL file over the running subgraphs."""
    path = tmp_path_factory.mktemp("supergraph") / "benchmark.graphql"
    return write_supergraph(apollo_peers, benchmark_subgraphs, path)


@pytest.fixture(scope="session")
def inventory_down_supergraph(
    apollo_peers: Path,
    benchmark_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The same supergraph with inventory's URL pointing where nothing listens."""
    path = tmp_path_factory.mktemp("supergraph") / "inventory_down.graphql"
    return write_supergraph(apollo_peers, benchmark_subgraphs, path, unreachable="inventory")


@pytest.fixture(scope="session")
async def benchmark_pair(apollo_peers: Path, benchmark_supergraph: Path) -> AsyncIterator[Pair]:
    async for pair in serve_pair(apollo_peers, benchmark_supergraph):
        yield pair


@pytest.fixture(scope="session")
async def inventory_down_pair(
    apollo_peers: Path, inventory_down_supergraph: Path
) -> AsyncIterator[Pair]:
    async for pair in serve_pair(apollo_peers, inventory_down_supergraph):
        yield pair


@pytest.fixture(scope="session")
async def catalog_pair(
    apollo_peers: Path,
    catalog_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Pair]:
    """Both routers on the catalogue's supergraph."""
    path = tmp_path_factory.mktemp("supergraph") / "catalog.graphql"
    supergraph = write_supergraph(apollo_peers, catalog_subgraphs, path)
    async for pair in serve_pair(apollo_peers, supergraph):
        yield pair


@pytest.fixture(scope="session")
async def people_down_pair(
    apollo_peers: Path,
    catalog_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Pair]:
    """Both routers on the catalogue's supergraph with people unreachable."""
    path = tmp_path_factory.mktemp("supergraph") / "people_down.graphql"
    supergraph = write_supergraph(apollo_peers, catalog_subgraphs, path, unreachable="people")
    async for pair in serve_pair(apollo_peers, supergraph):
        yield pair


@pytest.fixture(scope="session")
async def context_supergraph_file(
    apollo_peers: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Path]:
    """The supergraph over the running context fixture subgraphs (@context/@fromContext)."""
    async for subgraphs in serve_subgraphs(CONTEXT_SCHEMAS):
        path = tmp_path_factory.mktemp("supergraph") / "context.graphql"
        yield write_supergraph(apollo_peers, subgraphs, path)


@pytest.fixture(scope="session")
async def context_router(context_supergraph_file: Path) -> AsyncIterator[str]:
    """Our router's /graphql URL on the context supergraph."""
    ours = await serve(
        create_router_app(await asyncio.to_thread(context_supergraph_file.read_text))
    )
    yield f"{ours.url}/graphql"
    await ours.stop()


@pytest.fixture(scope="session")
def platform_services(request: pytest.FixtureRequest) -> dict[str, RunningService]:
    """The project's running subgraphs by name: fixture ``<name>_service`` of each."""
    return {name: request.getfixturevalue(f"{name}_service") for name in PLATFORM_SERVICES}


@pytest.fixture(scope="session")
async def platform_subgraphs(platform_services: dict[str, RunningService]) -> dict[str, Subgraph]:
    return {
        name: Subgraph(f"{service.url}/graphql", await published_sdl(service))
        for name, service in platform_services.items()
    }


@pytest.fixture(scope="session")
async def platform_seed(platform_services: dict[str, RunningService]) -> Seed:
    return await seed_platform(
        platform_services["auth"], platform_services["users"], platform_services["products"]
    )


@pytest.fixture(scope="session")
async def platform_pair(
    apollo_peers: Path,
    platform_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Pair]:
    """Both routers on the supergraph of the project's own subgraphs."""
    path = tmp_path_factory.mktemp("supergraph") / "platform.graphql"
    supergraph = write_supergraph(apollo_peers, platform_subgraphs, path)
    async for pair in serve_pair(apollo_peers, supergraph):
        yield pair


@pytest.fixture(scope="session")
async def platform_down_pair(
    request: pytest.FixtureRequest,
    apollo_peers: Path,
    platform_subgraphs: dict[str, Subgraph],
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Pair]:
    """Both routers on the platform's supergraph with one subgraph unreachable: the one a
    test names by parametrizing this fixture indirectly."""
    down = str(request.param)
    path = tmp_path_factory.mktemp("supergraph") / f"{down}_down.graphql"
    supergraph = write_supergraph(apollo_peers, platform_subgraphs, path, unreachable=down)
    async for pair in serve_pair(apollo_peers, supergraph):
        yield pair
