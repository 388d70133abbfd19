"""Turn finished fetch groups into plan nodes.

A group runs before its children; siblings run in parallel; a group's later children
run after all its children (they need data from several of them). Apollo's shape is kept:
each entity fetch sits alone in a ``Flatten``, nested sequences are flattened, and a
group whose selections share a ``@skip``/``@include`` sits, with what runs after it, in
a condition node (see ``conditions.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from router.plan import Flatten, Parallel, PlanNode, Sequence
from router.planning.conditions import (
    Conditions,
    conditions_of,
    merge,
    remove_handled,
    unhandled,
    wrap,
)
from router.planning.groups import FetchGroup, OperationContext, build_fetch


def plan_node(
    roots: list[FetchGroup], context: OperationContext, *, ordered: bool
) -> PlanNode | None:
    """The plan of root groups: in order for mutations (``ordered``), else in parallel."""
    numbers = count()
    planned = [_group_node(group, context, numbers, True) for group in roots if _has_work(group)]
    nodes = [node for node in planned if node is not None]
    if not nodes:
        return None
    if ordered:
        return _sequence(nodes)
    return nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes))


def _group_node(
    group: FetchGroup, context: OperationContext, numbers: Iterator[int], handled: Conditions
) -> PlanNode | None:
    """The group's fetch, then its children's; ``handled`` are the enclosing conditions."""
    conditions = unhandled(conditions_of(group.selection), handled)
    handled = merge(conditions, handled)
    remove_handled(group.selection, handled)
    fetch = build_fetch(group, context, next(numbers))
    node: PlanNode = Flatten(group.path, fetch) if group.is_entity else fetch
    waves = [
        [_group_node(child, context, numbers, handled) for child in wave]
        for wave in (group.children, group.later_children)
    ]
    after = [_parallel(wave) for wave in waves]
    node = _sequence([node, *(wave for wave in after if wave is not None)])
    return wrap(node, conditions)


def _parallel(planned: list[PlanNode | None]) -> PlanNode | None:
    nodes = [node for node in planned if node is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes))


def _sequence(nodes: list[PlanNode]) -> PlanNode:
    flat: list[PlanNode] = []
    for node in nodes:
        flat.extend(node.nodes if isinstance(node, Sequence) else (node,))
    return flat[0] if len(flat) == 1 else Sequence(tuple(flat))


def _has_work(group: FetchGroup) -> bool:
    return not group.selection.is_empty() or bool(group.children or group.later_children)
