"""Our router's own time per request with a cached plan: the pipeline in process, its
subgraphs answering instantly through an httpx stub transport (a dict lookup), so
every microsecond measured is the router's. No sockets, no uvicorn, no Starlette.

Prints p50/p99 of ``Router.run`` plus JSON encoding (what the HTTP endpoint adds),
then the same request split into stages: a hit of the operation cache (what
``Router.run`` does before executing), then what a miss costs (parse, validate, plan).
The stub goes through httpx's client (``router.subgraph_fetch`` takes one as well as
the app's aiohttp session), so "execute" includes httpx's request handling but no pool.

Usage: python -m tests.benchmarks.router_overhead [--iterations 2000] [--profile N]
(``--profile N`` prints cProfile's top N functions by own time for the deep query.)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from graphql import get_operation_ast, parse

from router import jsonio
from router.executor import ExecutionContext, execute_plan
from router.pipeline import GraphQLRequest, Router
from router.planner import QueryPlanner, validate
from router.response import shape_response
from router.supergraph import Supergraph, load_supergraph
from tests.benchmarks.memo_subgraph import Answers
from tests.benchmarks.router_vs_gateway import QUERIES
from tests.fixtures.peers import install_peers
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.servers import compose_supergraph, subgraph_sdl


def stub_transport() -> tuple[httpx.MockTransport, dict[str, int]]:
    """Subgraphs at http://NAME.stub/graphql answering from memoized fixture answers;
    also returns a count of requests per subgraph."""
    answers = {name: Answers(schema) for name, schema in SCHEMAS.items()}
    counts = dict.fromkeys(SCHEMAS, 0)
    headers = {"content-type": "application/json"}

    def handle(request: httpx.Request) -> httpx.Response:
        name = request.url.host.removesuffix(".stub")
        counts[name] += 1
        return httpx.Response(200, content=answers[name].answer(request.content), headers=headers)

    return httpx.MockTransport(handle), counts


def stub_supergraph() -> Supergraph:
    peers = install_peers()
    sdl = {name: (f"http://{name}.stub/graphql", subgraph_sdl(s)) for name, s in SCHEMAS.items()}
    with tempfile.TemporaryDirectory():
        return load_supergraph(compose_supergraph(Path(peers), sdl))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(len(ordered) * 0.99)] * 1000
    return f"p50 {p50:7.3f} ms  p99 {p99:7.3f} ms"


async def timed(step: Callable[[], Awaitable[Any]], iterations: int) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(iterations):
        start = time.perf_counter()
        result = await step()
        samples.append(time.perf_counter() - start)
    return samples, result


async def measure_query(router: Router, name: str, query: str, iterations: int) -> None:
    request = GraphQLRequest(query)

    async def whole() -> bytes:
        body = await router.run(request, {})
        return jsonio.dumps(body)

    await timed(whole, 50)  # warm the plan cache and the stub's answers
    samples, _ = await timed(whole, iterations)
    print(f"{name:<10} run + encode             {percentiles(samples)}")

    # The same work stage by stage, as Router.run does it (its checks of the operation
    # and variables are left out: they are small next to these).
    supergraph, planner = router.supergraph, router.planner
    document = parse(query)
    plan = planner.plan(document, None)
    context = ExecutionContext(supergraph.subgraph_urls, router.client)
    data, errors = await execute_plan(plan, context)
    body = shape_response(supergraph.api_schema, document, None, None, data, errors)

    async def call(function: Callable[[], Any]) -> Any:
        return function()

    stages: dict[str, Callable[[], Awaitable[Any]]] = {
        "operation cache hit": lambda: call(lambda: router.operations.get(query, None)),
        "(miss) parse": lambda: call(lambda: parse(query)),
        "(miss) validate": lambda: call(lambda: validate(supergraph, document)),
        "(miss) operation": lambda: call(lambda: get_operation_ast(document, None)),
        "(miss) plan (cached)": lambda: call(lambda: planner.plan(document, None)),
        "execute (stub)": lambda: execute_plan(plan, context),
        "shape response": lambda: call(
            lambda: shape_response(supergraph.api_schema, document, None, None, data, errors)
        ),
        "json encode": lambda: call(lambda: jsonio.dumps(body)),
    }
    for stage, step in stages.items():
        samples, _ = await timed(step, iterations)
        print(f"{'':<10} {stage:<24} {percentiles(samples)}")


async def run(iterations: int, profile_top: int) -> None:
    supergraph = stub_supergraph()
    transport, counts = stub_transport()
    async with httpx.AsyncClient(transport=transport) as client:
        router = Router(supergraph, QueryPlanner(supergraph), client, 30.0)
        for name, query in QUERIES.items():
            before = dict(counts)
            await router.run(GraphQLRequest(query), {})
            fetches = {k: counts[k] - before[k] for k in counts if counts[k] != before[k]}
            print(f"{name}: subgraph fetches per request {fetches}")
            await measure_query(router, name, query, iterations)
        if profile_top:
            profiler = cProfile.Profile()
            request = GraphQLRequest(QUERIES["deep"])
            profiler.enable()
            for _ in range(iterations):
                await router.run(request, {})
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("tottime")
            stats.print_stats(profile_top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    asyncio.run(run(args.iterations, args.profile))


if __name__ == "__main__":
    main()
