"""Walk a client operation and place each field in a subgraph fetch group.

A field goes into the current group when its subgraph resolves it (or a parent's
``@provides`` promises it); otherwise the walk jumps to another subgraph (see
``jumps.py``). Fields several subgraphs could fetch are chosen together, so that they
share as few entity fetches as possible.

A subgraph with an ``@interfaceObject`` sees an interface as an object type: its
fields jump there as fields of the interface (``... on ProductItem``), and from there
``__typename`` and fragments on implementations jump to a subgraph with the interface.
"""

from __future__ import annotations

from dataclasses import replace

from graphql import (
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_composite_type,
    is_object_type,
)

from router.planning.choices import cheapest_assignment
from router.planning.contexts import ContextualFields
from router.planning.groups import FetchGroup
from router.planning.ordering import order_like_apollo
from router.planning.position import PlanningError, Position
from router.planning.reach import list_depth
from router.planning.typenames import is_plain_typename, without_sibling_typename
from router.planning.values import with_apollo_arguments
from router.supergraph import Supergraph


class Walker(ContextualFields):
    """Places an operation's fields; one walker plans one operation."""

    def __init__(self, supergraph: Supergraph) -> None:
        super().__init__(supergraph)
        # Subgraphs chosen for fields together with their siblings (see _choose_graphs).
        self._chosen: dict[tuple[int, str, tuple[str, ...]], str] = {}
        # Fields a sibling __typename is fetched with (see without_sibling_typename).
        self._with_typename: set[int] = set()

    def plan_selection_set(self, position: Position, selection_set: SelectionSetNode) -> None:
        """Place each selection, then order the entity fetches created as Apollo does."""
        if not self._has_interface_object(position.parent_type):
            selection_set, carrier = without_sibling_typename(selection_set)
            if carrier is not None:
                self._with_typename.add(id(carrier))
        options = self._choose_graphs(position, selection_set)
        if position.among_options:
            options = []
        children = position.group.children
        first = len(children)
        direct: list[FetchGroup] = []
        for selection in selection_set.selections:
            start = len(children)
            if isinstance(selection, FieldNode) and selection not in options:
                self.plan_field(position, selection)
                direct.extend(c for c in children[start:] if c.path == position.path)
            elif isinstance(selection, InlineFragmentNode):
                self._plan_inline_fragment(position, selection)
        # Apollo adds fields with several options to the plan after all the others.
        for field in options:
            self.plan_field(position, field)
        if not position.among_options:
            order_like_apollo(position.group, first, direct, self._for_requires, position.path)

    def _choose_graphs(
        self, position: Position, selection_set: SelectionSetNode
    ) -> list[FieldNode]:
        """Choose together the subgraphs of the fields here that several subgraphs
        resolve, so that they share as few entity fetches as possible; return them."""
        fields = [
            selection
            for selection in selection_set.selections
            if isinstance(selection, FieldNode) and self._jumps(position, selection)
        ]
        options = [self._entity_graphs(position, field) for field in fields]
        if all(len(candidates) < 2 for candidates in options):
            return []
        fetched = {
            child.service for child in position.group.children if child.path == position.path
        }
        choice = cheapest_assignment(
            options,
            fetched | {candidates[0] for candidates in options if len(candidates) == 1},
            lambda index, graph: self.cost(graph, position.parent_type, fields[index]),
        )
        for field, graph in zip(fields, choice or (), strict=False):
            self._chosen[_choice_key(position, field)] = graph
        return [
            field for field, candidates in zip(fields, options, strict=True) if len(candidates) > 1
        ]

    def _jumps(self, position: Position, node: FieldNode) -> bool:
        """Whether the field is fetched from another subgraph as a field of this entity."""
        name, type_name = node.name.value, position.parent_type
        return not (
            name == "__typename"
            or self._is_local(position, name)
            or self._interface_object_for(type_name, name) is not None
            or self._is_abstract_in(type_name, position.group.service)
        )

    def plan_field(self, position: Position, node: FieldNode) -> FetchGroup:
        """Place one field; return the group its top-level selection went into."""
        name = node.name.value
        if name == "__typename":
            return self._plan_typename(position, node)
        if self._is_local(position, name):
            return self._add_local_field(position, node)
        through = self._interface_object_for(position.parent_type, name)
        if through is not None:
            interface, graph = through
            return self._jump(position, node, graph, interface)
        if self._is_abstract_in(position.parent_type, position.group.service):
            return self._plan_per_possible_type(position, node)
        graph = self.choose_graph(position, node)
        if len(self._entity_graphs(position, node)) > 1:
            position = replace(position, among_options=True)
        entry = self.supergraph.field_in(position.parent_type, name, graph)
        if entry is not None and entry.context_arguments:
            return self._plan_contextual_field(position, node, graph, entry)
        if entry is not None and entry.requires:
            return self._plan_requiring_field(position, node, graph, entry.requires)
        return self._jump(position, node, graph)

    def _plan_typename(self, position: Position, node: FieldNode) -> FetchGroup:
        """An ``@interfaceObject`` knows no implementation: ask a subgraph that does."""
        if self._is_interface_object(position):
            return self._interface_entity(position).group
        if is_plain_typename(node):
            position.builder.add_typename()
        else:
            position.builder.add_field(node, composite=False)
        return position.group

    def choose_graph(self, position: Position, node: FieldNode) -> str:
        """The subgraph to fetch a field from: the one chosen with its siblings, else
        fewest further jumps, then an existing fetch."""
        candidates = self._entity_graphs(position, node)
        if not candidates:
            type_name, name = position.parent_type, node.name.value
            raise PlanningError(f"no subgraph can fetch {type_name}.{name} as an entity")
        chosen = self._chosen.get(_choice_key(position, node))
        if chosen in candidates:
            return chosen
        existing = {child.service for child in position.group.children}
        return min(
            candidates,
            key=lambda graph: (
                self.cost(graph, position.parent_type, node),
                graph not in existing,
            ),
        )

    def _add_local_field(self, position: Position, node: FieldNode) -> FetchGroup:
        if id(node) in self._with_typename:
            position.builder.add_typename()
        definition = self._field(position.parent_type, node.name.value)
        return_type = definition.type
        named = get_named_type(return_type)
        written = with_apollo_arguments(node, definition.args)
        children = position.builder.add_field(written, composite=is_composite_type(named))
        if children is None or node.selection_set is None:
            return position.group
        if self._is_abstract_in(named.name, position.group.service):
            children.add_typename()
        key = node.alias.value if node.alias else node.name.value
        inner = Position(
            group=position.group,
            builder=children,
            parent_type=named.name,
            path=position.path + (key,) + ("@",) * list_depth(return_type),
            provided=self._provided_below(position, node.name.value),
            conditions=position.conditions + _conditions(node),
            among_options=position.among_options,
            contexts=position.contexts,
        )
        self.plan_selection_set(self._with_scope(inner), node.selection_set)
        return position.group

    def _plan_per_possible_type(self, position: Position, node: FieldNode) -> FetchGroup:
        """An abstract type's field the subgraph cannot answer as such: plan it per type."""
        service = position.group.service
        for type_name in self.supergraph.possible_types(position.parent_type, service):
            builder = position.builder.add_fragment(type_name)
            self.plan_field(replace(position, builder=builder, parent_type=type_name), node)
        return position.group

    def _plan_inline_fragment(self, position: Position, fragment: InlineFragmentNode) -> None:
        condition = fragment.type_condition
        type_name = condition.name.value if condition else position.parent_type
        on_type: str | None = type_name
        directives = tuple(fragment.directives or ())
        conditions = position.conditions + directives
        if type_name == position.parent_type or is_object_type(
            self.supergraph.schema.get_type(position.parent_type)
        ):
            if not directives:
                self.plan_selection_set(position, fragment.selection_set)
                return
            on_type = position.parent_type if condition else None
        elif self._is_interface_object(position):
            self._plan_inline_fragment(self._interface_entity(position), fragment)
            return
        elif not self._may_return(position, type_name):
            return
        builder = position.builder.add_fragment(on_type, directives)
        parent_type = on_type or position.parent_type
        inner = replace(position, builder=builder, parent_type=parent_type, conditions=conditions)
        self.plan_selection_set(inner, fragment.selection_set)


def _choice_key(position: Position, node: FieldNode) -> tuple[int, str, tuple[str, ...]]:
    return id(node), position.parent_type, position.path


def _conditions(node: FieldNode) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in node.directives or () if d.name.value in ("skip", "include"))
