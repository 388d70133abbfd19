"""compose(): subgraph SDLs in, a Federation 2 supergraph SDL (or errors) out."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError

from router.composition.context import graph_enum_values
from router.composition.custom_directives import compose_directives
from router.composition.errors import CompositionError, CompositionErrorCode
from router.composition.merge import merge
from router.composition.printer import print_supergraph
from router.composition.satisfiability import check_satisfiability
from router.composition.subgraph import Subgraph, SubgraphSource, read_subgraph
from router.composition.upgrade import upgrade_subgraphs
from router.composition.validate import validate_subgraph


@dataclass(frozen=True)
class CompositionResult:
    supergraph_sdl: str | None
    errors: list[CompositionError] = field(default_factory=list)


def compose(subgraphs: list[SubgraphSource]) -> CompositionResult:
    """Compose as Apollo's ``composeServices`` does: read, upgrade Federation 1 subgraphs,
    validate each, merge, then check that the subgraphs can answer every query of the merged
    API.

    Each stage runs only when the one before found nothing wrong, so errors stay about
    the cause, not its echoes.
    """
    ordered = sorted(subgraphs, key=lambda source: source.name)
    graphs = graph_enum_values([source.name for source in ordered])
    read: list[Subgraph] = []
    errors: list[CompositionError] = []
    for source, graph in zip(ordered, graphs, strict=True):
        try:
            read.append(read_subgraph(source, graph))
        except GraphQLError as error:
            errors.append(_invalid(source, error))
    upgrade_errors = upgrade_subgraphs(read)
    errors += upgrade_errors
    if not upgrade_errors:
        errors += [error for subgraph in read for error in validate_subgraph(subgraph)]
    if errors or not read:
        return CompositionResult(None, errors or [_nothing()])
    custom, errors = compose_directives(read)
    if errors:
        return CompositionResult(None, errors)
    supergraph, errors = merge(read, custom)
    errors = errors or check_satisfiability(read, supergraph)
    if errors:
        return CompositionResult(None, errors)
    return CompositionResult(print_supergraph(supergraph))


def _invalid(source: SubgraphSource, error: GraphQLError) -> CompositionError:
    return CompositionError(
        CompositionErrorCode.INVALID_GRAPHQL,
        f"[{source.name}] The subgraph's SDL cannot be read: {error.message}",
        source.name,
    )


def _nothing() -> CompositionError:
    return CompositionError(
        CompositionErrorCode.INVALID_GRAPHQL, "There are no subgraphs to compose."
    )
