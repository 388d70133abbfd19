"""Merging the arguments of a federation directive applied differently across subgraphs.

When the subgraphs apply ``@requiresScopes`` (or ``@cost`` ...) to one element with different
arguments, the supergraph keeps one application whose arguments combine theirs, each with its
spec's strategy: scopes and policies are ANDed (in disjunctive normal form), a weight takes the
maximum, and so on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from graphql import BooleanValueNode, IntValueNode, ListValueNode, StringValueNode, ValueNode

Strategy = Callable[[list[Any]], Any]
Dnf = list[list[str]]


def dnf_conjunction(values: list[Dnf]) -> Dnf:
    """``values`` ANDed: ``[["a"], ["b"]]`` and ``[["c"]]`` give ``[["a", "c"], ["b", "c"]]``.

    Alternatives implied by shorter ones are dropped; ``[]`` stands for "no requirement".
    """
    unique: list[Dnf] = []
    for value in values:
        normal = _normalise(value or [[]])
        if normal not in unique:
            unique.append(normal)
    if not unique:
        return []
    result = unique[0]
    for other in unique[1:]:
        product: Dnf = []
        for left in result:
            for right in other:
                candidate = sorted(left + [item for item in right if item not in left])
                if candidate not in product:
                    product.append(candidate)
        result = _without_implied(product)
    return result


def _normalise(value: Dnf) -> Dnf:
    # Apollo compares alternatives by their JSON text, which orders ["a","b"] before ["a"].
    inner = [sorted(alternative) for alternative in value]
    return sorted(
        inner,
        key=lambda alternative: json.dumps(alternative, ensure_ascii=False, separators=(",", ":")),
    )


def _without_implied(alternatives: Dnf) -> Dnf:
    kept: Dnf = []
    for candidate in sorted(alternatives, key=len):
        if not any(set(shorter) <= set(candidate) for shorter in kept):
            kept.append(candidate)
    return kept


def implies(first: Dnf | None, second: Dnf | None) -> bool:
    """Whether meeting ``first`` always meets ``second`` (None: no requirement)."""
    left = first or [[]]
    right = second or [[]]
    return all(any(set(option) <= set(alternative) for option in right) for alternative in left)


def _nullable(merge: Strategy) -> Strategy:
    def merged(values: list[Any]) -> Any:
        given = [value for value in values if value is not None]
        return merge(given) if given else None

    return merged


def _union(values: list[list[Any]]) -> list[Any]:
    result: list[Any] = []
    for value in values:
        result += [item for item in value if item not in result]
    return result


# directive -> its arguments in definition order, each with its strategy
STRATEGIES: dict[str, dict[str, Strategy]] = {
    "requiresScopes": {"scopes": dnf_conjunction},
    "policy": {"policies": dnf_conjunction},
    "cost": {"weight": max},
    "listSize": {
        "assumedSize": _nullable(max),
        "slicingArguments": _nullable(_union),
        "sizedFields": _nullable(_union),
        "requireOneSlicingArgument": _nullable(all),
    },
}


def merge_arguments(
    directive: str, applications: list[dict[str, Any]]
) -> tuple[tuple[str, ValueNode], ...] | None:
    """The merged arguments of ``directive``'s ``applications`` (defaults filled in), or None
    when the directive has no merge strategy."""
    strategies = STRATEGIES.get(directive)
    if strategies is None:
        return None
    merged = (
        (name, strategy([application.get(name) for application in applications]))
        for name, strategy in strategies.items()
    )
    return tuple((name, value_node(value)) for name, value in merged if value is not None)


def value_node(value: Any) -> ValueNode:
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, list):
        return ListValueNode(values=tuple(value_node(item) for item in value))
    return StringValueNode(value=str(value))
