"""Supergraphs composed by Apollo's composition from inline subgraph SDL, and plans
printed in Apollo's text form, for the planner's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from textwrap import dedent

import pytest
from graphql import parse

from router.plan import format_plan
from router.planner import build_plan
from router.supergraph import Supergraph, load_supergraph
from tests.router.fixtures.servers import compose_supergraph

FEDERATION = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: '
    '["@key", "@shareable", "@requires", "@external", "@provides", "@override", '
    '"@inaccessible", "@interfaceObject"])\n'
)

SupergraphOf = Callable[..., Supergraph]


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
            cache[key] = load_supergraph(compose_supergraph(apollo_peers, sdls))
        return cache[key]

    return compose


def plan_text(supergraph: Supergraph, operation: str, operation_name: str | None = None) -> str:
    """The printed plan of ``operation``."""
    return format_plan(build_plan(supergraph, parse(operation), operation_name))


def expected(text: str) -> str:
    return dedent(text).strip()
