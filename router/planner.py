"""Plan a client operation against the supergraph: which subgraph fetches, in what order.

``build_plan`` is pure (no network, no event loop); ``QueryPlanner`` caches its plans
per operation text and name, as Apollo's caching query planner does.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
    parse,
    print_ast,
)
from graphql import (
    validate as validate_document,
)

from router.plan import OperationKind, PlanNode, QueryPlan
from router.planning.groups import FetchGroup, OperationContext
from router.planning.position import PlanningError, Position
from router.planning.selections import inline_fragments
from router.planning.tree import plan_node
from router.planning.walker import Walker
from router.supergraph import Supergraph

__all__ = ["PlanningError", "QueryPlanner", "build_plan", "validate"]

# Answered by the router from the API schema, never by a subgraph.
_LOCAL_ROOT_FIELDS = frozenset({"__typename", "__schema", "__type"})


def validate(supergraph: Supergraph, document: DocumentNode) -> list[GraphQLError]:
    """Validate against the API schema, so ``@inaccessible`` elements do not exist."""
    return validate_document(supergraph.api_schema, document)


def build_plan(
    supergraph: Supergraph, document: DocumentNode, operation_name: str | None = None
) -> QueryPlan:
    """Plan a validated operation.

    Root fields of a query go to their subgraphs in parallel; mutation root fields run
    in order, consecutive fields of one subgraph sharing a fetch. A fetch whose fields
    all carry the same ``@include``/``@skip`` on a variable is wrapped in a condition
    node and its subgraph never sees the directive, as in Apollo's plans.
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        raise PlanningError(f"unknown operation: {operation_name!r}")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    fields = _root_fields(inline_fragments(operation.selection_set, fragments))
    return QueryPlan(_plan_root_fields(supergraph, operation, fields))


class QueryPlanner:
    """``build_plan`` with an LRU cache keyed by normalised operation text and name."""

    def __init__(self, supergraph: Supergraph, cache_size: int = 512) -> None:
        self.supergraph = supergraph
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, str | None], QueryPlan] = OrderedDict()

    def plan(self, document: str | DocumentNode, operation_name: str | None = None) -> QueryPlan:
        ast = parse(document, no_location=True) if isinstance(document, str) else document
        key = (print_ast(ast), operation_name)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        plan = build_plan(self.supergraph, ast, operation_name)
        self._cache[key] = plan
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return plan


def _plan_root_fields(
    supergraph: Supergraph, operation: OperationDefinitionNode, fields: list[FieldNode]
) -> PlanNode | None:
    kind: OperationKind = operation.operation.value
    root_type = supergraph.schema.get_root_type(operation.operation)
    assert root_type is not None
    walker = Walker(supergraph)
    groups: list[FetchGroup] = []
    for field in fields:
        if field.name.value in _LOCAL_ROOT_FIELDS:
            continue
        graph = _choose_root_graph(walker, root_type.name, field, groups)
        group = _root_group(groups, graph, kind, ordered=kind == "mutation")
        options = walker.supergraph.resolving_graphs(root_type.name, field.name.value)
        position = Position(group, group.selection, root_type.name, ())
        walker.plan_field(replace(position, among_options=len(options) > 1), field)
    context = OperationContext(
        name=operation.name.value if operation.name else None,
        variables=tuple(operation.variable_definitions or ()),
    )
    return plan_node(groups, context, ordered=kind == "mutation")


def _choose_root_graph(
    walker: Walker, root_type: str, field: FieldNode, groups: list[FetchGroup]
) -> str:
    """Fewest entity jumps below the field first, then a subgraph already fetched from."""
    candidates = walker.supergraph.resolving_graphs(root_type, field.name.value)
    if not candidates:
        raise PlanningError(f"no subgraph resolves {root_type}.{field.name.value}")
    used = [group.service for group in groups]
    if used and used[-1] in candidates:
        candidates.insert(0, candidates.pop(candidates.index(used[-1])))
    return min(
        candidates,
        key=lambda graph: (walker.cost(graph, root_type, field), graph not in used),
    )


def _root_group(
    groups: list[FetchGroup], graph: str, kind: OperationKind, *, ordered: bool
) -> FetchGroup:
    reusable = groups[-1:] if ordered else groups
    for group in reusable:
        if group.service == graph:
            return group
    group = FetchGroup(graph, (), is_entity=False, operation_kind=kind)
    groups.append(group)
    return group


def _root_fields(selection_set: SelectionSetNode) -> list[FieldNode]:
    """Root fields, with root inline fragments dissolved (their directives moved down)."""
    fields: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            moved = tuple(selection.directives or ())
            for inner in _root_fields(selection.selection_set):
                fields.append(_with_directives(inner, tuple(inner.directives or ()) + moved))
    return fields


def _with_directives(field: FieldNode, directives: tuple[DirectiveNode, ...]) -> FieldNode:
    return FieldNode(
        alias=field.alias,
        name=field.name,
        arguments=field.arguments,
        directives=directives,
        selection_set=field.selection_set,
    )
