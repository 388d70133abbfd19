"""Our router against Apollo's gateway under load, on the benchmark fixture subgraphs.

Starts the four subgraphs (one process each, memoizing: see ``memo_subgraph``), composes
the supergraph with Apollo's composition, starts our router and Apollo's gateway on
free loopback ports, checks that both answer every query identically, then drives
each with wrk and prints requests/s, p50/p99 latency, errors and the server's CPU
seconds per 1000 requests (all its processes and threads). Everything listens on
127.0.0.1 only. The load average is printed before and after: other work on the
machine shows there.

Apollo's gateway runs its JavaScript on one thread (Node), so the fair comparison is
with our router in one worker process; ``ours-2-workers`` (two uvicorn workers sharing
the port, as ``commerce router --workers 2`` runs) is a second row, not the headline.

Usage: python -m tests.benchmarks.router_vs_gateway [--seconds 10] [--connections 10 50]
       [--queries ...] [--targets ...]
Needs wrk (``apt-get install -y wrk``) and node with tests/peers installed.
A measurement, not a test: nothing here fails on a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.fixtures.peers import install_peers
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.servers import compose_supergraph, node, subgraph_sdl

# graphql-gateways-benchmark's query, on the fixture schema.
BENCHMARK_QUERY = """
fragment User on User { id username name }
fragment Review on Review { id body }
fragment Product on Product { inStock name price shippingEstimate upc weight }
query TestQuery {
  users { ...User reviews { ...Review product { ...Product reviews { ...Review
    author { ...User reviews { ...Review product { ...Product } } } } } } }
  topProducts { ...Product reviews { ...Review
    author { ...User reviews { ...Review product { ...Product } } } } }
}
"""
QUERIES = {
    "benchmark": BENCHMARK_QUERY,
    # The deep query: accounts → reviews → products, six levels down.
    "deep": "{ users { reviews { product { reviews { author { reviews { product { name } } } } } } } }",  # noqa: E501
    "simple": "{ topProducts { upc name price weight } }",
}
PYTHON = sys.executable
ROOT = Path(__file__).resolve().parents[2]
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]


@dataclass(frozen=True)
class LoadRun:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Row:
    target: str
    query: str
    connections: int
    run: LoadRun
    cpu_per_1000: float
    subgraph_cpu_per_1000: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants (a multi-worker server's
    workers), all threads included, from /proc/<pid>/stat."""
    return sum(_own_cpu_seconds(member) for member in process_tree(pid))


def process_tree(pid: int) -> list[int]:
    """``pid`` and the processes descended from it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = _stat_fields(stat.read_text())
        except OSError:  # the process exited meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        member = pending.pop()
        tree.append(member)
        pending += children.get(member, [])
    return tree


def _own_cpu_seconds(pid: int) -> float:
    fields = _stat_fields(Path(f"/proc/{pid}/stat").read_text())
    # Fields 14 and 15 of proc(5) (utime, stime); fields[0] is field 3 (state).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stat_fields(stat: str) -> list[str]:
    """The fields of a /proc/<pid>/stat line after the command name (which may hold spaces)."""
    return stat[stat.rindex(")") + 2 :].split()


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def post(url: str, query: str) -> bytes:
    response = httpx.post(url, json={"query": query}, timeout=10)
    response.raise_for_status()
    return response.content


def wait_until_answering(server: Server, query: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        try:
            post(server.url, query)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def spawn(name: str, args: list[str], url: str) -> Server:
    process = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return Server(name, url, process)


def start_subgraphs(*, strawberry: bool = False) -> list[Server]:
    servers = []
    for name in SCHEMAS:
        port = free_port()
        args = [PYTHON, "-m", "tests.benchmarks.memo_subgraph", name, str(port)]
        url = f"http://127.0.0.1:{port}/graphql"
        servers.append(spawn(name, [*args, "--strawberry"] if strawberry else args, url))
    for server in servers:
        wait_until_answering(server, "{ _service { sdl } }")
    return servers


def compose(peers: Path, subgraphs: list[Server], path: Path) -> None:
    sdl = {sub.name: (sub.url, subgraph_sdl(SCHEMAS[sub.name])) for sub in subgraphs}
    path.write_text(compose_supergraph(peers, sdl))


def start_ours(name: str, supergraph: Path, *extra: str) -> Server:
    """``commerce router`` as shipped, or with ``extra`` options the benchmark launcher."""
    port = free_port()
    if extra == ("commerce",):
        commerce = str(Path(PYTHON).with_name("commerce"))
        args = [commerce, "router", "--supergraph", str(supergraph), "--port", str(port)]
    else:
        launcher = [PYTHON, "-m", "tests.benchmarks.serve_router", str(supergraph), str(port)]
        args = [*launcher, *extra]
    return spawn(name, args, f"http://127.0.0.1:{port}/graphql")


def start_apollo(peers: Path, supergraph: Path) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [node(), "gateway.mjs", str(supergraph), str(port)],
        cwd=peers,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    if not line.startswith("listening"):
        raise RuntimeError(f"Apollo's gateway did not start (exit {process.wait()})")
    return Server("apollo-gateway", line.split()[1], process)


TARGETS = {
    # name: how to start it (None: Apollo's gateway)
    "ours": ("commerce",),
    "ours-no-access-log": ("--loop", "uvloop", "--http", "httptools"),
    "ours-asyncio-h11": ("--loop", "asyncio", "--http", "h11"),
    "ours-2-workers": ("--loop", "uvloop", "--http", "httptools", "--workers", "2"),
    "apollo-gateway": None,
}


def wrk(url: str, query: str, connections: int, seconds: int) -> LoadRun:
    wrk_path = shutil.which("wrk")
    if wrk_path is None:
        raise SystemExit("wrk is needed: apt-get update && apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT.replace("{body}", json.dumps({"query": query})))
        script.flush()
        done = subprocess.run(
            [wrk_path, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", script.name, url],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    requests, micros, *errors, p50, p99 = (int(value) for value in line.split()[1:])
    return LoadRun(requests, micros / 1e6, sum(errors), p50 / 1000, p99 / 1000)


def measure(
    server: Server, subgraphs: list[Server], query: str, connections: int, seconds: int
) -> tuple[LoadRun, float, float]:
    """A warm-up run, then the measured one with the server's and subgraphs' CPU time."""
    wrk(server.url, query, connections, min(2, seconds))
    before = cpu_seconds(server.process.pid)
    sub_before = sum(cpu_seconds(sub.process.pid) for sub in subgraphs)
    run = wrk(server.url, query, connections, seconds)
    cpu = cpu_seconds(server.process.pid) - before
    sub_cpu = sum(cpu_seconds(sub.process.pid) for sub in subgraphs) - sub_before
    per_1000 = 1000 / max(run.requests, 1)
    return run, cpu * per_1000, sub_cpu * per_1000


def check_same_answers(servers: list[Server], queries: dict[str, str]) -> None:
    """Every server gives the same bytes-equivalent JSON (same key order) for each query."""
    for name, query in queries.items():
        answers = {s.name: json.loads(post(s.url, query)) for s in servers}
        texts = {server: json.dumps(answer) for server, answer in answers.items()}
        if len(set(texts.values())) != 1:
            raise SystemExit(f"answers differ for {name!r}:\n" + json.dumps(answers, indent=1))
        if "errors" in next(iter(answers.values())):
            raise SystemExit(f"{name!r} answers with errors: {texts}")
        size = len(texts[servers[0].name])
        print(f"same answer from {len(servers)} servers for {name!r} ({size} bytes)")


def print_table(rows: list[Row]) -> None:
    header = (
        f"| {'target':<20} | {'query':<9} | {'conns':>5} | {'req/s':>7} | {'p50 ms':>7} "
        f"| {'p99 ms':>7} | {'errors':>6} | {'CPU s/1k req':>12} | {'subgraph CPU s/1k':>17} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for row in rows:
        run = row.run
        print(
            f"| {row.target:<20} | {row.query:<9} | {row.connections:>5} | "
            f"{run.per_second:>7.0f} | {run.p50_ms:>7.2f} | {run.p99_ms:>7.2f} | "
            f"{run.errors:>6} | {row.cpu_per_1000:>12.3f} | {row.subgraph_cpu_per_1000:>17.3f} |"
        )


@contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    try:
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            server.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--queries", nargs="+", choices=list(QUERIES), default=list(QUERIES))
    parser.add_argument("--targets", nargs="+", choices=list(TARGETS), default=list(TARGETS))
    parser.add_argument(
        "--strawberry-subgraphs", action="store_true", help="serve Strawberry's view, unmemoized"
    )
    args = parser.parse_args()
    print(f"load average before: {load_average()}", flush=True)
    peers = install_peers()
    queries = {name: QUERIES[name] for name in args.queries}
    with (
        tempfile.TemporaryDirectory() as folder,
        running(start_subgraphs(strawberry=args.strawberry_subgraphs)) as subgraphs,
    ):
        supergraph = Path(folder) / "supergraph.graphql"
        compose(peers, subgraphs, supergraph)
        targets = [
            start_ours(name, supergraph, *extra) if extra else start_apollo(peers, supergraph)
            for name, extra in TARGETS.items()
            if name in args.targets
        ]
        with running(targets):
            for target in targets:
                wait_until_answering(target, "{ __typename }")
            check_same_answers(targets, queries)
            rows = []
            for query_name, query in queries.items():
                for connections in args.connections:
                    for target in targets:
                        run, cpu, sub_cpu = measure(
                            target, subgraphs, query, connections, args.seconds
                        )
                        rows.append(Row(target.name, query_name, connections, run, cpu, sub_cpu))
                        print(f"  {target.name} {query_name} c={connections}: {run}", flush=True)
            check_same_answers(targets, queries)
    print(f"load average after: {load_average()}")
    print_table(rows)


if __name__ == "__main__":
    main()
