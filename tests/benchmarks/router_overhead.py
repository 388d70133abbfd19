"""Our router's own time per request with a cached plan: the pipeline in process, its
subgraphs answering from memoized answers. No uvicorn, no Starlette.

Prints p50/p99 and CPU per request of ``Router.run`` plus JSON encoding (what the HTTP
endpoint adds) three times: through an httpx stub transport ("httpx stub": a dict
lookup, httpx's own request handling included, about 0.1 ms per fetch), through a
client that only replays the answers ("alone": every microsecond is the router's,
decoding the subgraphs' JSON included), and through the app's own client (reqwest) to
the memoizing subgraphs of ``memo_subgraph``, one process each on loopback ("reqwest,
loopback": the wall time includes the subgraphs' answers and the sockets; the CPU is
this process's, reqwest's thread included, not the subgraphs'). Then the same request
split into stages: a hit of the operation cache (what ``Router.run`` does before
executing), what a miss costs (parse, validate, plan, compile the shaping), and
executing and shaping.

Usage: python -m tests.benchmarks.router_overhead [--iterations 2000] [--profile N]
(``--profile N`` prints cProfile's top N functions by own time for the deep query,
the router alone.)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import get_operation_ast, parse

from router import jsonio
from router.executor import ExecutionContext, execute_plan
from router.operation_cache import OperationCache
from router.pipeline import GraphQLRequest, Router
from router.planner import QueryPlanner, validate
from router.response import shape_response, shaping_for
from router.subgraph_fetch import new_client
from router.supergraph import Supergraph, load_supergraph
from tests.benchmarks.memo_subgraph import Answers
from tests.benchmarks.router_vs_gateway import QUERIES, compose, running, start_subgraphs
from tests.fixtures.peers import install_peers
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.servers import compose_supergraph, subgraph_sdl

JSON = "application/json"


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


@dataclass(frozen=True)
class Reply:
    """What ``router.subgraph_fetch`` reads of an ``httpx.Response``."""

    url: str
    content: bytes
    status_code: int = 200
    reason_phrase: str = "OK"
    headers: Mapping[str, str] = field(default_factory=lambda: {"content-type": JSON})


class ReplayClient:
    """Answers ``post`` as ``httpx.AsyncClient`` does, from memoized answers, with none of
    httpx's own work: what is left per request is the router's."""

    def __init__(self) -> None:
        self.answers = {name: Answers(schema) for name, schema in SCHEMAS.items()}

    async def post(self, url: str, *, content: bytes, **_: Any) -> Reply:
        name = url.removeprefix("http://").partition(".stub")[0]
        return Reply(url, self.answers[name].answer(content))


def stub_supergraph() -> Supergraph:
    peers = install_peers()
    sdl = {name: (f"http://{name}.stub/graphql", subgraph_sdl(s)) for name, s in SCHEMAS.items()}
    with tempfile.TemporaryDirectory():
        return load_supergraph(compose_supergraph(Path(peers), sdl))


@contextmanager
def loopback_supergraph() -> Iterator[Supergraph]:
    """The memoizing subgraphs, one process each on loopback, and their supergraph."""
    peers = install_peers()
    with tempfile.TemporaryDirectory() as folder, running(start_subgraphs()) as subgraphs:
        path = Path(folder) / "supergraph.graphql"
        compose(peers, subgraphs, path)
        yield load_supergraph(path.read_text())


def cached_router(supergraph: Supergraph, client: Any) -> Router:
    return Router(supergraph, OperationCache(supergraph, QueryPlanner(supergraph)), client, 30.0)


@dataclass(frozen=True)
class Timings:
    """Wall time of each iteration, and the process's CPU time over all of them."""

    samples: list[float]
    cpu_seconds: float

    def __str__(self) -> str:
        ordered = sorted(self.samples)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[int(len(ordered) * 0.99)] * 1000
        cpu = self.cpu_seconds / len(ordered) * 1000
        return f"p50 {p50:7.3f} ms  p99 {p99:7.3f} ms  cpu {cpu:7.3f} ms"


async def timed(step: Callable[[], Awaitable[Any]], iterations: int) -> Timings:
    samples = []
    cpu_start = time.process_time()
    for _ in range(iterations):
        start = time.perf_counter()
        await step()
        samples.append(time.perf_counter() - start)
    return Timings(samples, time.process_time() - cpu_start)


async def run_and_encode(router: Router, query: str, iterations: int) -> Timings:
    request = GraphQLRequest(query)

    async def whole() -> bytes:
        body = await router.run(request, {})
        return jsonio.dumps(body)

    await timed(whole, 50)  # warm the plan cache and the stub's answers
    return await timed(whole, iterations)


async def measure_query(routers: dict[str, Router], name: str, query: str, iterations: int) -> None:
    """``Router.run`` through each of ``routers``, then stage by stage through the first."""
    for index, (label, each) in enumerate(routers.items()):
        timings = await run_and_encode(each, query, iterations)
        print(f"{name if index == 0 else '':<10} run + encode, {label:<17} {timings}")
    router = next(iter(routers.values()))

    # The same work stage by stage, as Router.run does it (its checks of the operation
    # and variables are left out: they are small next to these).
    supergraph, planner = router.supergraph, router.operations.planner
    document = parse(query)
    operation = get_operation_ast(document, None)
    assert operation is not None
    plan = planner.plan(document, None)
    shaping = router.operations.shaping(router.operations.get(query, None))
    context = ExecutionContext(supergraph.subgraph_urls, router.client)
    data, errors = await execute_plan(plan, context)
    body = shape_response(shaping, None, data, errors)

    def new_shaping() -> Any:
        """What a miss costs: deciding how to shape, and shaping once (which compiles)."""
        fresh = shaping_for(supergraph.api_schema, document, operation, None)
        return shape_response(fresh, None, data, errors)

    async def call(function: Callable[[], Any]) -> Any:
        return function()

    stages: dict[str, Callable[[], Awaitable[Any]]] = {
        "operation cache hit": lambda: call(lambda: router.operations.get(query, None)),
        "(miss) parse": lambda: call(lambda: parse(query)),
        "(miss) validate": lambda: call(lambda: validate(supergraph, document)),
        "(miss) operation": lambda: call(lambda: get_operation_ast(document, None)),
        "(miss) plan (cached)": lambda: call(lambda: planner.plan(document, None)),
        "(miss) compile shaping": lambda: call(new_shaping),
        "execute (stub)": lambda: execute_plan(plan, context),
        "shape response": lambda: call(lambda: shape_response(shaping, None, data, errors)),
        "json encode": lambda: call(lambda: jsonio.dumps(body)),
    }
    for stage, step in stages.items():
        print(f"{'':<10} {stage:<24} {await timed(step, iterations)}")


async def run(iterations: int, profile_top: int) -> None:
    supergraph = stub_supergraph()
    transport, counts = stub_transport()
    with loopback_supergraph() as over_loopback:
        async with (
            httpx.AsyncClient(transport=transport) as client,
            new_client(128) as reqwest,
        ):
            router = cached_router(supergraph, client)
            # Not a SubgraphClient, but it answers the same calls (see ReplayClient).
            alone = Router(supergraph, router.operations, ReplayClient(), 30.0)  # type: ignore[arg-type]
            routers = {
                "httpx stub": router,
                "alone": alone,
                "reqwest, loopback": cached_router(over_loopback, reqwest),
            }
            for name, query in QUERIES.items():
                before = dict(counts)
                await router.run(GraphQLRequest(query), {})
                fetches = {k: counts[k] - before[k] for k in counts if counts[k] != before[k]}
                print(f"{name}: subgraph fetches per request {fetches}")
                await measure_query(routers, name, query, iterations)
        if profile_top:
            profiler = cProfile.Profile()
            request = GraphQLRequest(QUERIES["deep"])
            profiler.enable()
            for _ in range(iterations):
                await alone.run(request, {})
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
