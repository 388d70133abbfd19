"""Turn finished fetch groups into plan nodes.

A group runs before its children; siblings run in parallel; a group's later children
run after all its children (they need data from several of them). Apollo's shape is kept:
each entity fetch sits alone in a ``Flatten``, and nested sequences are flattened.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

from router.plan import Condition, Flatten, Parallel, PlanNode, Sequence
from router.planning.conditions import lift_condition
from router.planning.groups import FetchGroup, OperationContext, build_fetch


def plan_node(
    roots: list[FetchGroup], context: OperationContext, *, ordered: bool
) -> PlanNode | None:
    """The plan of root groups: in order for mutations (``ordered``), else in parallel."""
    numbers = count()
    nodes = [_group_node(group, context, numbers) for group in roots if _has_work(group)]
    if not nodes:
        return None
    if ordered:
        return _sequence(nodes)
    return nodes[0] if len(nodes) == 1 else Parallel(tuple(nodes))


def _group_node(group: FetchGroup, context: OperationContext, numbers: Iterator[int]) -> PlanNode:
    condition = lift_condition(group.selection) if group.is_entity else None
    fetch = build_fetch(group, context, next(numbers))
    node: PlanNode = Flatten(group.path, fetch) if group.is_entity else fetch
    waves = [group.children, group.later_children]
    after = [_parallel([_group_node(c, context, numbers) for c in wave]) for wave in waves]
    node = _sequence([node, *(wave for wave in after if wave is not None)])
    if condition is None:
        return node
    variable = condition.arguments[0].value.name.value  # type: ignore[attr-defined]
    if condition.name.value == "include":
        return Condition(variable, node, None)
    return Condition(variable, None, node)


def _parallel(nodes: list[PlanNode]) -> PlanNode | None:
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
