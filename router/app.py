"""The router as an ASGI app: ``create_router_app(supergraph_sdl)`` → Starlette.

Serve it with uvicorn (``uvicorn.run(create_router_app(sdl), port=4000)``). Routes:
``/graphql`` (GET, POST; GraphiQL for browsers) and ``/health``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from starlette.applications import Starlette
from starlette.routing import Route

from router.http import graphql_endpoint, health_endpoint
from router.pipeline import Router
from router.planner import QueryPlanner
from router.supergraph import load_supergraph

SUBGRAPH_CONNECTIONS = 32


def create_router_app(
    supergraph_sdl: str,
    *,
    timeout_seconds: float = 30.0,
    forwarded_headers: tuple[str, ...] = ("authorization",),
) -> Starlette:
    """A router for ``supergraph_sdl``; its subgraph HTTP client lives with the app.

    ``timeout_seconds`` bounds all subgraph fetches of one client request together;
    ``forwarded_headers`` (lower case) are copied from the client's request to each fetch.
    """
    supergraph = load_supergraph(supergraph_sdl)
    planner = QueryPlanner(supergraph)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Kept-alive connections, at most SUBGRAPH_CONNECTIONS open to each subgraph (more
        # fetches wait for one); no cookie jar, so no subgraph's cookie reaches another client.
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=SUBGRAPH_CONNECTIONS)
        jar = aiohttp.DummyCookieJar()
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:
            app.state.router = Router(supergraph, planner, session, timeout_seconds)
            yield

    app = Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["GET", "POST"]),
            Route("/health", health_endpoint, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.forwarded_headers = tuple(name.lower() for name in forwarded_headers)
    return app
