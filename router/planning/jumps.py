"""Entity jumps: fetching a field from another subgraph through ``_entities``.

The current group selects ``__typename`` and a key of the entity, and the field goes
into a child group that fetches the entity from a subgraph that resolves it. When the
group cannot select a key of that subgraph, a hop through a third subgraph fetches one
first. A field with ``@requires`` first has its required fields placed the same way,
then its group runs after theirs, with the required fields in its representations.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import replace

from graphql import FieldNode, SelectionSetNode, is_interface_type

from router.plan import TypenameRewrite
from router.planning.groups import FetchGroup
from router.planning.position import PlanningError, Position
from router.planning.reach import Reach, top_fields
from router.supergraph import Supergraph, parse_field_set


class EntityJumps(Reach, ABC):
    """Placing fields in entity fetches; the walker plans what goes inside them."""

    def __init__(self, supergraph: Supergraph) -> None:
        super().__init__(supergraph)
        # Entity fetches made for @requires fields, ordered apart (see ordering.py).
        self._for_requires: set[FetchGroup] = set()

    @abstractmethod
    def plan_field(self, position: Position, node: FieldNode) -> FetchGroup:
        """Place one field; return the group its top-level selection went into."""

    @abstractmethod
    def _add_local_field(self, position: Position, node: FieldNode) -> FetchGroup:
        """Add a field the position's subgraph answers, and plan its selections."""

    def _interface_entity(self, position: Position) -> Position:
        """Where an ``@interfaceObject``'s entity is planned in a subgraph that has the
        interface and its implementations."""
        interface = position.parent_type
        info = self.supergraph.type_info(interface)
        graphs = [
            entry.graph
            for entry in info.graphs
            if not entry.is_interface_object and info.keys(entry.graph, resolvable_only=True)
        ]
        if not graphs:
            raise PlanningError(f"no subgraph resolves the implementations of {interface}")
        child = self._entity_group(position, graphs[0], interface)
        return self._entity_position(position, child, interface)

    def _jump(
        self, position: Position, node: FieldNode, graph: str, entity_type: str | None = None
    ) -> FetchGroup:
        """Fetch ``node`` from ``graph`` through an entity fetch keyed from this group,
        as a field of ``entity_type`` (by default the parent type)."""
        entity_type = entity_type or position.parent_type
        child = self._entity_group(position, graph, entity_type)
        self._add_local_field(self._entity_position(position, child, entity_type), node)
        return child

    def _entity_group(self, position: Position, graph: str, entity_type: str) -> FetchGroup:
        """The entity fetch from ``graph`` for the objects here, with its key selected."""
        provider, key = self._add_key(position, graph, entity_type)
        child = provider.dependent(graph, position.path)
        if position.for_requires:
            self._for_requires.add(child)
            if provider is not position.group:
                # Apollo's @requires planning asks the hop for __typename too.
                hop = self._entity_position(position, provider, position.parent_type)
                hop.builder.add_typename()
        self._add_representation(child, position.parent_type, key)
        interface = self.supergraph.schema.get_type(entity_type)
        if is_interface_type(interface):
            possible = self.supergraph.schema.get_possible_types(interface)
            rewrite = TypenameRewrite(entity_type, entity_type, tuple(t.name for t in possible))
            child.input_rewrites[entity_type] = rewrite
        return child

    def _entity_position(self, position: Position, child: FetchGroup, entity_type: str) -> Position:
        builder = child.selection.add_fragment(entity_type, position.conditions)
        if self._is_abstract_in(entity_type, child.service):
            builder.add_typename()
        return Position(
            child,
            builder,
            entity_type,
            position.path,
            None,
            position.conditions,
            position.among_options,
            contexts=position.contexts,
        )

    def _plan_requiring_field(
        self, position: Position, node: FieldNode, graph: str, requires: str
    ) -> FetchGroup:
        """Place the ``@requires`` fields first, then fetch the field after them."""
        required = parse_field_set(requires)
        for_requires = replace(position, for_requires=True)
        providers = [self.plan_field(for_requires, field) for field in top_fields(required)]
        key_provider, key = self._add_key(position, graph, position.parent_type)
        providers.append(key_provider)
        others = list(dict.fromkeys(g for g in providers if g is not position.group))
        last = _last_in_chain(others) if others else position.group
        if last is None:
            child = position.group.dependent(graph, position.path, after_children=True)
        else:
            child = last.dependent(graph, position.path)
        # Apollo's order: the key first when the group fetching the key (this one or a
        # hop) also fetched the required fields, as its key fetch then takes them too.
        if others in ([], [key_provider]):
            self._add_representation(child, position.parent_type, key)
        self._add_representation(child, position.parent_type, key, required)
        inner = self._entity_position(position, child, position.parent_type)
        self._add_local_field(inner, node)
        return child

    def _add_key(
        self, position: Position, graph: str, entity_type: str
    ) -> tuple[FetchGroup, SelectionSetNode]:
        """A key of ``entity_type`` in ``graph`` for the objects here, and the group that
        selects it: this one, or a hop to a subgraph that can supply it."""
        info = self.supergraph.type_info(entity_type)
        keys = [parse_field_set(key) for key in info.keys(graph, resolvable_only=True)]
        if not keys:
            raise PlanningError(f"{entity_type} has no key in subgraph {graph!r}")
        usable = [k for k in keys if self._fields_available(position, k)]
        if not usable:
            for key in keys:
                hop = self._hop(position, key)
                if hop is not None:
                    return hop, key
        key = (usable or keys)[0]
        if not self._in_inputs(position, key):
            position.builder.add_key(key, first=not position.among_options)
        return position.group, key

    def _in_inputs(self, position: Position, key: SelectionSetNode) -> bool:
        """Whether the objects here already hold ``key``: the group fetched them with it."""
        group = position.group
        if not group.is_entity or position.path != group.path:
            return False
        inputs = {field.name.value for field in top_fields(group.requires.build())}
        return all(field.name.value in inputs for field in top_fields(key))

    def _hop(self, position: Position, key: SelectionSetNode) -> FetchGroup | None:
        """An entity fetch that selects ``key`` from a subgraph this group has a key of."""
        type_name = position.parent_type
        info = self.supergraph.type_info(type_name)
        fields = top_fields(key)
        for graph in dict.fromkeys(entry.graph for entry in info.graphs):
            resolves_key = all(
                graph in self.supergraph.resolving_graphs(type_name, field.name.value)
                for field in fields
            )
            keys = [parse_field_set(k) for k in info.keys(graph, resolvable_only=True)]
            if resolves_key and any(self._fields_available(position, k) for k in keys):
                hop = self._entity_group(replace(position, for_requires=False), graph, type_name)
                self._entity_position(position, hop, type_name).builder.add_first(key)
                return hop
        return None

    def _fields_available(self, position: Position, key: SelectionSetNode) -> bool:
        return all(self._is_local(position, field.name.value) for field in top_fields(key))

    def _add_representation(
        self,
        group: FetchGroup,
        type_name: str,
        key: SelectionSetNode,
        required: SelectionSetNode | None = None,
    ) -> None:
        builder = group.requires.add_fragment(type_name)
        builder.add_typename()
        if required is not None:
            builder.add_selection_set(required)
        builder.add_selection_set(key)


def _last_in_chain(groups: list[FetchGroup]) -> FetchGroup | None:
    """The group that runs after all the others, when they run one after another."""
    for group in groups:
        if all(other is group or group in _descendants(other) for other in groups):
            return group
    return None


def _descendants(group: FetchGroup) -> set[FetchGroup]:
    found: set[FetchGroup] = set()
    stack = [*group.children, *group.later_children]
    while stack:
        child = stack.pop()
        if child not in found:
            found.add(child)
            stack.extend((*child.children, *child.later_children))
    return found
