"""Compose subgraph SDLs into a supergraph SDL the way Apollo Federation 2 does."""

from router.composition.compose import CompositionResult, compose
from router.composition.errors import CompositionError, CompositionErrorCode
from router.composition.sources import compose_files, compose_live
from router.composition.subgraph import SubgraphSource

__all__ = [
    "CompositionError",
    "CompositionErrorCode",
    "CompositionResult",
    "SubgraphSource",
    "compose",
    "compose_files",
    "compose_live",
]
