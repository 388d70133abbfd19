"""The router as an ASGI app: ``create_router_app(supergraph_sdl)`` → Starlette.

Serve it with uvicorn (``uvicorn.run(create_router_app(sdl), port=4000)``). Routes:
``/graphql`` (GET, POST; GraphiQL for browsers) and ``/health``. With several worker
processes uvicorn needs an import string instead: ``router.app:app_from_environment``
builds the app from the ``RouterConfig`` that ``CONFIG_ENV`` carries as JSON.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace

import aiohttp
from starlette.applications import Starlette
from starlette.routing import Route

from router.config import RouterConfig
from router.http import graphql_endpoint, health_endpoint
from router.operation_cache import OperationCache
from router.pipeline import Router
from router.planner import QueryPlanner
from router.supergraph import Supergraph, load_supergraph

SUBGRAPH_CONNECTIONS = 32
CONFIG_ENV = "COMMERCE_ROUTER_CONFIG"
FACTORY = "router.app:app_from_environment"


def create_router_app(
    supergraph_sdl: str,
    *,
    timeout_seconds: float = 30.0,
    forwarded_headers: tuple[str, ...] = ("authorization",),
    expose_query_plan: bool = False,
    subgraph_urls: Mapping[str, str] | None = None,
) -> Starlette:
    """A router for ``supergraph_sdl``; its subgraph HTTP client lives with the app.

    ``timeout_seconds`` bounds all subgraph fetches of one client request together;
    ``forwarded_headers`` (lower case) are copied from the client's request to each fetch;
    ``expose_query_plan`` lets clients ask for the plan with ``Apollo-Expose-Query-Plan``;
    ``subgraph_urls`` replace the supergraph's URLs of the subgraphs they name (a name
    the supergraph lacks is a ``ValueError``).
    """
    supergraph = _with_urls(load_supergraph(supergraph_sdl), subgraph_urls or {})
    operations = OperationCache(supergraph, QueryPlanner(supergraph))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Kept-alive connections, at most SUBGRAPH_CONNECTIONS open to each subgraph (more
        # fetches wait for one); no cookie jar, so no subgraph's cookie reaches another client.
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=SUBGRAPH_CONNECTIONS)
        jar = aiohttp.DummyCookieJar()
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:
            app.state.router = Router(supergraph, operations, session, timeout_seconds)
            yield

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            Route("/health", health_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.forwarded_headers = tuple(name.lower() for name in forwarded_headers)
    app.state.expose_query_plan = expose_query_plan
    return app


def app_from_config(config: RouterConfig) -> Starlette:
    return create_router_app(
        config.supergraph.read_text(),
        timeout_seconds=config.timeout_seconds,
        forwarded_headers=config.forwarded_headers,
        expose_query_plan=config.expose_query_plan,
        subgraph_urls=config.subgraph_urls,
    )


def app_from_environment() -> Starlette:
    """uvicorn's app factory in each worker process."""
    return app_from_config(RouterConfig.from_json(os.environ[CONFIG_ENV], source=CONFIG_ENV))


def _with_urls(supergraph: Supergraph, overrides: Mapping[str, str]) -> Supergraph:
    """Apollo router's ``override_subgraph_url``: the same supergraph, other URLs."""
    unknown = sorted(set(overrides) - set(supergraph.subgraph_urls))
    if unknown:
        known = ", ".join(supergraph.subgraph_urls)
        raise ValueError(
            f"subgraph_urls names {', '.join(unknown)}, not a subgraph of the supergraph ({known})"
        )
    return replace(supergraph, subgraph_urls={**supergraph.subgraph_urls, **overrides})
