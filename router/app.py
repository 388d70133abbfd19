"""The router as an ASGI app: ``create_router_app(supergraph_sdl)`` → Starlette.

Serve it with uvicorn (``uvicorn.run(create_router_app(sdl), port=4000)``). Routes:
``/graphql`` (GET, POST; GraphiQL for browsers) and ``/health``. With several worker
processes uvicorn needs an import string instead: ``router.app:app_from_environment``
builds the app from the ``RouterConfig`` that ``CONFIG_ENV`` carries as JSON.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from router.config import RouterConfig
from router.http import GraphQLHttp
from router.operation_cache import OperationCache
from router.pipeline import Router
from router.planner import QueryPlanner
from router.subgraph_fetch import new_client
from router.supergraph import Supergraph, load_supergraph

SUBGRAPH_CONNECTIONS = 32
CONFIG_ENV = "COMMERCE_ROUTER_CONFIG"
# Collect the youngest generation every 10,000 allocations instead of 700 (see _tune_gc).
GC_THRESHOLDS = (10_000, 20, 20)
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
        # At most SUBGRAPH_CONNECTIONS fetches in flight per subgraph, on average.
        in_flight = SUBGRAPH_CONNECTIONS * len(supergraph.subgraph_urls)
        async with new_client(in_flight) as client:
            app.state.router = Router(supergraph, operations, client, timeout_seconds)
            yield

    app = Starlette(
        routes=[
            Route("/graphql", GraphQLHttp(), methods=["GET", "POST"]),
            Route("/health", _health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.forwarded_headers = tuple(name.lower() for name in forwarded_headers)
    app.state.expose_query_plan = expose_query_plan
    return app


async def _health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "pass"})


def app_from_config(config: RouterConfig) -> Starlette:
    """The app of a router process (``commerce router`` and each of its workers)."""
    app = create_router_app(
        config.supergraph.read_text(),
        timeout_seconds=config.timeout_seconds,
        forwarded_headers=config.forwarded_headers,
        expose_query_plan=config.expose_query_plan,
        subgraph_urls=config.subgraph_urls,
    )
    _tune_gc()
    return app


def app_from_environment() -> Starlette:
    """uvicorn's app factory in each worker process."""
    return app_from_config(RouterConfig.from_json(os.environ[CONFIG_ENV], source=CONFIG_ENV))


def _tune_gc() -> None:
    """Fewer, cheaper garbage collections for a process that only routes.

    Under load, with tens of requests in flight holding decoded subgraph answers,
    CPython's default thresholds ran a collection every few requests, and each full one
    walked the tens of thousands of objects of the supergraph and planner: 9-10 % of the
    router's CPU. Freezing what startup built (it lives as long as the process) and
    collecting less often brought that to 1-2 % (docs/benchmarks/router.md).
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _with_urls(supergraph: Supergraph, overrides: Mapping[str, str]) -> Supergraph:
    """Apollo router's ``override_subgraph_url``: the same supergraph, other URLs."""
    unknown = sorted(set(overrides) - set(supergraph.subgraph_urls))
    if unknown:
        known = ", ".join(supergraph.subgraph_urls)
        raise ValueError(
            f"subgraph_urls names {', '.join(unknown)}, not a subgraph of the supergraph ({known})"
        )
    return replace(supergraph, subgraph_urls={**supergraph.subgraph_urls, **overrides})
