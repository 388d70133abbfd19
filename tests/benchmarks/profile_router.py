"""Where our router's CPU time goes under load: py-spy samples the router process while
wrk drives it with one query, then the samples are summed by library, by function
(own time) and by function (inclusive time).

py-spy is not a project dependency; put it in a venv of its own:
    python -m venv /tmp/pyspy && /tmp/pyspy/bin/pip install py-spy
Usage: python -m tests.benchmarks.profile_router --py-spy /tmp/pyspy/bin/py-spy
       [--query deep] [--connections 50] [--seconds 15] [--raw FILE]
       python -m tests.benchmarks.profile_router --summarize FILE   (an existing raw file)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from tests.benchmarks.router_vs_gateway import (
    QUERIES,
    compose,
    running,
    start_ours,
    start_subgraphs,
    wait_until_answering,
    wrk,
)
from tests.fixtures.peers import install_peers

# "function (path/to/file.py:123)" → function and file, without the line.
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^:()]*)(?::\d+)?\)$")


def frame_name(frame: str) -> tuple[str, str]:
    match = FRAME.match(frame)
    if match is None:
        return frame, "?"
    return match["function"], match["file"]


def library(file: str) -> str:
    """The top-level package a file belongs to ("router", "graphql", "asyncio"…)."""
    if file.startswith("<"):
        return "python (frozen)"
    first = file.split("/")[0]
    return first.removesuffix(".py")


def summarize(raw: str, top: int = 25) -> str:
    """Totals of py-spy's raw (collapsed) stacks: ``frame;frame;… count`` per line."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    libraries: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        total += count
        frames = [frame_name(frame) for frame in stack.split(";")]
        function, file = frames[-1]
        own[f"{function} ({file})"] += count
        libraries[library(file)] += count
        for name in {f"{function} ({file})" for function, file in frames}:
            inclusive[name] += count
    lines = [f"{total} samples", "", "own time by library (leaf frame's package):"]
    lines += [f"  {count / total:6.1%}  {name}" for name, count in libraries.most_common(15)]
    lines += ["", f"top {top} functions by own time:"]
    lines += [f"  {count / total:6.1%}  {name}" for name, count in own.most_common(top)]
    lines += ["", f"top {top} functions by inclusive time:"]
    lines += [f"  {count / total:6.1%}  {name}" for name, count in inclusive.most_common(top)]
    return "\n".join(lines)


def record(py_spy: str, query: str, connections: int, seconds: int, raw_path: Path) -> None:
    peers = install_peers()
    with (
        tempfile.TemporaryDirectory() as folder,
        running(start_subgraphs()) as subgraphs,
    ):
        supergraph = Path(folder) / "supergraph.graphql"
        compose(peers, subgraphs, supergraph)
        router = start_ours("ours-no-access-log", supergraph, "--loop", "uvloop")
        with running([router]):
            wait_until_answering(router, query)
            wrk(router.url, query, connections, 2)  # warm up
            spy = subprocess.Popen(
                [py_spy, "record", "--pid", str(router.process.pid), "--format", "raw",
                 "--rate", "250", "--duration", str(seconds), "--nonblocking",
                 "--output", str(raw_path)],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            run = wrk(router.url, query, connections, seconds)
            spy.wait()
            print(f"under py-spy: {run.per_second:.0f} req/s, p50 {run.p50_ms:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--py-spy", default="py-spy", help="path of the py-spy executable")
    parser.add_argument("--query", choices=list(QUERIES), default="deep")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--raw", type=Path, help="keep py-spy's raw stacks in this file")
    parser.add_argument("--summarize", type=Path, help="only summarize this raw file")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.summarize:
        print(summarize(args.summarize.read_text(), args.top))
        return
    with tempfile.TemporaryDirectory() as folder:
        raw_path = args.raw or Path(folder) / "router.raw"
        record(args.py_spy, QUERIES[args.query], args.connections, args.seconds, raw_path)
        print(summarize(raw_path.read_text(), args.top))


if __name__ == "__main__":
    main()
