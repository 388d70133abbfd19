"""Our supergraph equals the one Apollo's composition (2.14) writes, after normalising both."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.composition import compose
from tests.router.composition.sdl import (
    FIXTURES,
    PROJECT_SUBGRAPHS,
    apollo_compose,
    fixture_sources,
    normalise_sdl,
)

SETS = [
    "classic",
    "shareable",
    "override",
    "visibility",
    "abstract",
    "keys",
    "enums_inputs",
    "interface_object",
    # printed as @apollo/subgraph prints `_service { sdl }`, with the specs' own definitions
    "compose_directive",
    "spec_types",
    # reachable only through a second @key hop, a @provides, or chained hops for a @requires
    "satisfiable_key_hop",
    "satisfiable_provides",
    "satisfiable_requires_chain",
    # Federation 2.5-2.9 directives: access control derived onto interfaces, scopes ANDed
    # across subgraphs, @cost/@listSize through federation's @link and through the cost spec's
    "access_control",
    "cost",
    # Federation 1 subgraphs, alone and beside Federation 2 ones, upgraded as Apollo does
    "fed1_classic",
    "fed1_mixed",
    # @context/@fromContext (2.8): contexts named per subgraph, contextual arguments moved
    # from the fields to @join__field(contextArguments:)
    "context",
]


@pytest.mark.parametrize("folder", [FIXTURES / name for name in SETS], ids=SETS)
def test_fixture_set_composes_as_apollo_does(apollo_peers: Path, folder: Path) -> None:
    # given
    expected = apollo_compose(apollo_peers, folder)

    # when
    result = compose(fixture_sources(folder))

    # then
    assert result.errors == []
    assert expected.supergraph_sdl is not None
    assert result.supergraph_sdl is not None
    assert normalise_sdl(result.supergraph_sdl) == normalise_sdl(expected.supergraph_sdl)


def test_project_subgraphs_compose_as_apollo_does(apollo_peers: Path) -> None:
    # given
    expected = apollo_compose(apollo_peers, PROJECT_SUBGRAPHS)

    # when
    result = compose(fixture_sources(PROJECT_SUBGRAPHS))

    # then
    assert result.errors == []
    assert expected.supergraph_sdl is not None
    assert result.supergraph_sdl is not None
    assert normalise_sdl(result.supergraph_sdl) == normalise_sdl(expected.supergraph_sdl)


def test_project_supergraph_is_printed_byte_for_byte_as_apollo_prints_it(
    apollo_peers: Path,
) -> None:
    # given
    expected = apollo_compose(apollo_peers, PROJECT_SUBGRAPHS)

    # when
    result = compose(fixture_sources(PROJECT_SUBGRAPHS))

    # then
    assert result.supergraph_sdl == expected.supergraph_sdl
