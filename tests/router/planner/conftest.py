"""Supergraphs composed by Apollo's composition from inline subgraph SDL, and plans
printed in Apollo's text form, for the planner's tests."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from graphql import parse

from router.plan import format_plan
from router.planner import build_plan
from router.supergraph import Supergraph, load_supergraph
from tests.router.fixtures.servers import compose_supergraph, node

FEDERATION = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: '
    '["@key", "@shareable", "@requires", "@external", "@provides", "@override", '
    '"@inaccessible", "@interfaceObject"])\n'
)

SupergraphOf = Callable[..., Supergraph]
ApolloPlan = Callable[[Supergraph, str], str]

# Supergraph SDL by the id of the Supergraph loaded from it (kept alive by the cache).
_SDL: dict[int, str] = {}


@pytest.fixture(scope="session")
def supergraph_of(apollo_peers: Path) -> SupergraphOf:
    """``supergraph_of(name=sdl, ...)``: the composed supergraph, cached per session.

    Each SDL gets the Federation 2 ``@link`` prepended; subgraph ``name`` is served at
    ``http://name``.
    """
    cache: dict[tuple[tuple[str, str], ...], Supergraph] = {}

    def compose(**subgraphs: str) -> Supergraph:
        key = tuple(sorted(subgraphs.items()))
        if key not in cache:
            sdls = {name: (f"http://{name}", FEDERATION + sdl) for name, sdl in subgraphs.items()}
            sdl = compose_supergraph(apollo_peers, sdls)
            cache[key] = load_supergraph(sdl)
            _SDL[id(cache[key])] = sdl
        return cache[key]

    return compose


@pytest.fixture(scope="session")
def apollo_plan(apollo_peers: Path, tmp_path_factory: pytest.TempPathFactory) -> ApolloPlan:
    """``apollo_plan(supergraph, operation)``: Apollo's query planner's printed plan
    (``plan.mjs``) for a supergraph made by ``supergraph_of``."""
    folder = tmp_path_factory.mktemp("apollo_plan")

    def plan(supergraph: Supergraph, operation: str) -> str:
        (folder / "supergraph.graphql").write_text(_SDL[id(supergraph)])
        (folder / "operation.graphql").write_text(operation)
        done = subprocess.run(
            [
                node(),
                "plan.mjs",
                str(folder / "supergraph.graphql"),
                str(folder / "operation.graphql"),
            ],
            cwd=apollo_peers,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    return plan


def plan_text(supergraph: Supergraph, operation: str, operation_name: str | None = None) -> str:
    """The printed plan of ``operation``."""
    return format_plan(build_plan(supergraph, parse(operation), operation_name))


def expected(text: str) -> str:
    return dedent(text).strip()
