"""The router as an ASGI app: ``create_router_app(supergraph_sdl)`` → Starlette.

Serve it with uvicorn (``uvicorn.run(create_router_app(sdl), port=4000)``). Routes:
``/graphql`` (GET, POST; GraphiQL for browsers) and ``/health``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from router.http import graphql_endpoint, health_endpoint
from router.pipeline import Router
from router.planner import QueryPlanner
from router.supergraph import load_supergraph


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
        limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
        async with httpx.AsyncClient(limits=limits) as client:
            app.state.router = Router(supergraph, planner, client, timeout_seconds)
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
