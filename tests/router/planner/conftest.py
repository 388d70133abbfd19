"""Supergraphs composed by Apollo's composition from inline subgraph SDL, and plans
printed in Apollo's text form, for the planner's tests."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from textwrap import dedent
from typing import Any

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
# (operation, operation name) pairs -> Apollo's plans, each {"text": ..., "json": ...}.
ApolloPlans = Callable[[Supergraph, Sequence[tuple[str, str | None]]], list[dict[str, Any]]]

_BATCH_SCRIPT = Path(__file__).with_name("apollo_plans.cjs")

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
            sdls = {name: FEDERATION + sdl for name, sdl in subgraphs.items()}
            cache[key] = composed(apollo_peers, sdls)
        return cache[key]

    return compose


def composed(apollo_peers: Path, subgraphs: Mapping[str, str]) -> Supergraph:
    """The supergraph Apollo composes from ``{name: sdl}``, subgraph ``name`` served at
    ``http://name``; ``apollo_plan`` and ``apollo_plans`` can plan on it."""
    sdl = compose_supergraph(
        apollo_peers, {name: (f"http://{name}", sdl) for name, sdl in subgraphs.items()}
    )
    supergraph = load_supergraph(sdl)
    _SDL[id(supergraph)] = sdl
    return supergraph


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


@pytest.fixture(scope="session")
def apollo_plans(apollo_peers: Path, tmp_path_factory: pytest.TempPathFactory) -> ApolloPlans:
    """``apollo_plans(supergraph, operations)``: Apollo's plans of many operations, printed
    and as JSON, from one Node process (``apollo_plans.cjs``)."""
    supergraph_file = tmp_path_factory.mktemp("apollo_plans") / "supergraph.graphql"

    def plans(
        supergraph: Supergraph, operations: Sequence[tuple[str, str | None]]
    ) -> list[dict[str, Any]]:
        supergraph_file.write_text(_SDL[id(supergraph)])
        done = subprocess.run(
            [node(), str(_BATCH_SCRIPT), str(supergraph_file)],
            input=json.dumps([{"query": q, "operationName": name} for q, name in operations]),
            env={**os.environ, "NODE_PATH": str(apollo_peers / "node_modules")},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)  # type: ignore[no-any-return]

    return plans


def plan_text(supergraph: Supergraph, operation: str, operation_name: str | None = None) -> str:
    """The printed plan of ``operation``."""
    return format_plan(build_plan(supergraph, parse(operation), operation_name))


def expected(text: str) -> str:
    return dedent(text).strip()
