"""Choosing among subgraphs that can all resolve a field, the way Apollo's planner does.

Apollo plans every alternative and keeps the cheapest, where a fetch costs far more
than anything inside it. For fields that jump from one object to other subgraphs,
that means: use as few entity fetches as possible, then as few further jumps below
them; on a tie, the first option wins (subgraphs in supergraph order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import product
from math import prod

# Past this many combinations each field takes its own cheapest subgraph instead.
MAX_COMBINATIONS = 256


def cheapest_assignment(
    options: Sequence[Sequence[str]],
    fetched: set[str],
    jumps_below: Callable[[int, str], int],
) -> tuple[str, ...] | None:
    """One subgraph per field (``options[i]`` lists field ``i``'s candidates).

    ``fetched`` are the subgraphs fetched here anyway; ``jumps_below(i, graph)`` is how
    many fields under field ``i`` that graph would leave to further fetches. ``None``
    when there are too many combinations to try them all.
    """
    if prod(len(candidates) for candidates in options) > MAX_COMBINATIONS:
        return None
    return min(product(*options), key=lambda choice: _cost(choice, fetched, jumps_below))


def _cost(
    choice: tuple[str, ...], fetched: set[str], jumps_below: Callable[[int, str], int]
) -> int:
    new_fetches = len(set(choice) - fetched)
    return new_fetches + sum(jumps_below(index, graph) for index, graph in enumerate(choice))
