"""Fields with ``@fromContext`` arguments, planned as Apollo plans them.

The value of such an argument comes from the nearest ancestor object whose type sets the
context (``@context``): the ancestor's fetch selects it (after ``__typename``, ahead of the
client's fields), and the field is fetched through ``_entities`` in a later fetch, whose
operation takes the value as a variable (``$contextualArgument_1_0``). The fetch's
``contextRewrites`` say where, relative to each entity, the executor finds that value. A
field in the very fetch that selects the context cannot get it, so that fetch always
jumps, even to its own subgraph.
"""

from __future__ import annotations

from abc import ABC
from dataclasses import replace

from graphql import (
    ArgumentNode,
    FieldNode,
    InlineFragmentNode,
    NameNode,
    SelectionSetNode,
    VariableNode,
    is_abstract_type,
)

from router.plan import ContextRewrite
from router.planning.groups import FetchGroup
from router.planning.jumps import EntityJumps
from router.planning.position import PlanningError, Position
from router.planning.reach import top_fields
from router.supergraph import ContextArgument, FieldInGraph, parse_field_set


class ContextualFields(EntityJumps, ABC):
    def _with_scope(self, position: Position) -> Position:
        """``position``, recorded as an ancestor of what is below it if its type sets a
        context."""
        if not self.supergraph.type_info(position.parent_type).contexts:
            return position
        return replace(position, contexts=(*position.contexts, position))

    def _plan_contextual_field(
        self, position: Position, node: FieldNode, graph: str, entry: FieldInGraph
    ) -> FetchGroup:
        scopes = [self._scope_of(position, argument) for argument in entry.context_arguments]
        for scope, argument in zip(scopes, entry.context_arguments, strict=True):
            self._select_context(scope, argument)
        in_place = position.group.service == graph and all(
            scope.group is not position.group for scope in scopes
        )
        group = position.group
        inner = position
        if not in_place:
            group = self._entity_group(position, graph, position.parent_type)
            inner = self._entity_position(position, group, position.parent_type)
        arguments = list(node.arguments or ())
        for scope, argument in zip(scopes, entry.context_arguments, strict=True):
            group.context_variables[argument.variable] = argument.type
            for rewrite in self._rewrites(scope, group, argument):
                if rewrite not in group.context_rewrites:
                    group.context_rewrites.append(rewrite)
            arguments.append(
                ArgumentNode(
                    name=NameNode(value=argument.name),
                    value=VariableNode(name=NameNode(value=argument.variable)),
                )
            )
        written = FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=tuple(arguments),
            directives=node.directives,
            selection_set=node.selection_set,
        )
        self._add_local_field(inner, written)
        return group

    def _scope_of(self, position: Position, argument: ContextArgument) -> Position:
        for scope in reversed(position.contexts):
            if argument.context in self.supergraph.type_info(scope.parent_type).contexts:
                return scope
        where = f"{position.parent_type}({argument.name}:)"
        raise PlanningError(f"no object above {where} sets context {argument.context!r}")

    def _select_context(self, scope: Position, argument: ContextArgument) -> None:
        selection = _on_type(_selection(argument), scope.parent_type)
        for field in top_fields(selection):
            if not self._is_local(scope, field.name.value):
                raise PlanningError(
                    f"{scope.parent_type}.{field.name.value}, the value of context "
                    f"{argument.context!r}, is not fetched where the context is set"
                )
        scope.builder.add_leading(selection)

    def _rewrites(
        self, scope: Position, group: FetchGroup, argument: ContextArgument
    ) -> list[ContextRewrite]:
        """Where each entity of ``group`` finds the value: up to the scope, then on to it."""
        levels = sum(1 for key in group.path[len(scope.path) :] if key != "@")
        up = ("..",) * levels
        selection = _selection(argument)
        if isinstance(selection.selections[0], InlineFragmentNode):
            return [
                ContextRewrite(
                    (
                        *up,
                        f"... on {item.type_condition.name.value}",
                        *_leaf_path(item.selection_set),
                    ),
                    argument.variable,
                )
                for item in selection.selections
                if isinstance(item, InlineFragmentNode) and item.type_condition is not None
            ]
        scope_type = self.supergraph.schema.get_type(scope.parent_type)
        types = (
            [t.name for t in self.supergraph.schema.get_possible_types(scope_type)]
            if is_abstract_type(scope_type)
            else [scope.parent_type]
        )
        path = _leaf_path(selection)
        return [ContextRewrite((*up, f"... on {name}", *path), argument.variable) for name in types]


def _selection(argument: ContextArgument) -> SelectionSetNode:
    text = argument.selection.strip()
    return parse_field_set(text[1:-1] if text.startswith("{") else text)


def _on_type(selection: SelectionSetNode, type_name: str) -> SelectionSetNode:
    """The selection as the objects of ``type_name`` answer it: fragments on other types
    dropped, the one on ``type_name`` itself dissolved."""
    kept = []
    for item in selection.selections:
        if not isinstance(item, InlineFragmentNode):
            kept.append(item)
        elif item.type_condition is None or item.type_condition.name.value == type_name:
            kept.extend(item.selection_set.selections)
    return SelectionSetNode(selections=tuple(kept))


def _leaf_path(selection: SelectionSetNode) -> tuple[str, ...]:
    """The field names down to the one value a context selection selects."""
    field = selection.selections[0]
    assert isinstance(field, FieldNode)
    below = _leaf_path(field.selection_set) if field.selection_set else ()
    return (field.name.value, *below)
