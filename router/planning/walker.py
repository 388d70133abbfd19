"""Walk a client operation and place each field in a subgraph fetch group.

A field goes into the current group when its subgraph resolves it (or a parent's
``@provides`` promises it); otherwise the walk jumps: the current group also selects
``__typename`` and a key of the entity, and the field goes into a child group that
fetches the entity from a subgraph that resolves it. When the group cannot select a
key of that subgraph, a hop through a third subgraph fetches one first. A field with
``@requires`` first has its required fields placed the same way, then its group runs
after theirs.

A subgraph with an ``@interfaceObject`` sees an interface as an object type: its
fields jump there as fields of the interface (``... on ProductItem``), and from there
``__typename`` and fragments on implementations jump to a subgraph with the interface.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphql import (
    DirectiveNode,
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_interface_type,
    is_object_type,
)

from router.planning.choices import cheapest_assignment
from router.planning.groups import FetchGroup
from router.planning.ordering import order_like_apollo
from router.planning.selections import SelectionBuilder
from router.supergraph import Supergraph, parse_field_set


class PlanningError(Exception):
    """The operation cannot be planned against this supergraph."""


@dataclass(frozen=True)
class Position:
    """Where the walk is: the object at ``path``, of ``parent_type``, inside ``group``."""

    group: FetchGroup
    builder: SelectionBuilder
    parent_type: str
    path: tuple[str, ...]
    provided: SelectionSetNode | None = None
    conditions: tuple[DirectiveNode, ...] = ()
    # A field above was one of several options (a shareable root field, say). Apollo
    # then adds each of its leaves to the plan one by one, which orders things
    # differently: entity fetches in query order, keys after the fields selected so far.
    among_options: bool = False
    # The field is planned because a @requires needs it.
    for_requires: bool = False


class Walker:
    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        # Entity fetches made for @requires fields, ordered apart (see ordering.py).
        self._for_requires: set[FetchGroup] = set()
        # Subgraphs chosen for fields together with their siblings (see _choose_graphs).
        self._chosen: dict[tuple[int, str, tuple[str, ...]], str] = {}

    def plan_selection_set(self, position: Position, selection_set: SelectionSetNode) -> None:
        """Place each selection, then order the entity fetches created as Apollo does."""
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
            return self._plan_typename(position)
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
        if entry is not None and entry.requires:
            return self._plan_requiring_field(position, node, graph, entry.requires)
        return self._jump(position, node, graph)

    def _plan_typename(self, position: Position) -> FetchGroup:
        """An ``@interfaceObject`` knows no implementation: ask a subgraph that does."""
        if not self._is_interface_object(position):
            position.builder.add_typename()
            return position.group
        return self._interface_entity(position).group

    def _interface_object_for(self, type_name: str, name: str) -> tuple[str, str] | None:
        """The interface and ``@interfaceObject`` subgraph to fetch a field from, when
        that is where it is resolved (always so for an object field no subgraph has)."""
        parent = self.supergraph.schema.get_type(type_name)
        if is_interface_type(parent):
            interfaces = [parent]
        elif is_object_type(parent) and not self.supergraph.resolving_graphs(type_name, name):
            interfaces = list(parent.interfaces)
        else:
            return None
        for interface in interfaces:
            info = self.supergraph.type_info(interface.name)
            for graph in self.supergraph.resolving_graphs(interface.name, name):
                if info.is_interface_object(graph) and info.keys(graph, resolvable_only=True):
                    return interface.name, graph
        return None

    def _is_interface_object(self, position: Position) -> bool:
        info = self.supergraph.type_info(position.parent_type)
        return info.is_interface_object(position.group.service)

    def _is_abstract_in(self, type_name: str, graph: str) -> bool:
        """Whether the type is an interface or union in ``graph`` (not an interface object)."""
        abstract = is_abstract_type(self.supergraph.schema.get_type(type_name))
        return abstract and not self.supergraph.type_info(type_name).is_interface_object(graph)

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

    def _entity_graphs(self, position: Position, node: FieldNode) -> list[str]:
        """The subgraphs that resolve the field and can be reached by a key."""
        type_name = position.parent_type
        info = self.supergraph.type_info(type_name)
        return [
            graph
            for graph in self.supergraph.resolving_graphs(type_name, node.name.value)
            if info.keys(graph, resolvable_only=True)
        ]

    def cost(self, graph: str, type_name: str, node: FieldNode) -> int:
        """How many fields under ``node`` the graph would have to fetch elsewhere."""
        if node.selection_set is None:
            return 0
        return_type = self._field_type(type_name, node.name.value)
        return self._selection_cost(graph, get_named_type(return_type).name, node.selection_set)

    def _selection_cost(self, graph: str, type_name: str, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = condition.name.value if condition else type_name
                if self.supergraph.type_info(inner).in_graph(graph):
                    total += self._selection_cost(graph, inner, selection.selection_set)
            elif isinstance(selection, FieldNode) and selection.name.value != "__typename":
                name = selection.name.value
                if graph not in self.supergraph.resolving_graphs(type_name, name):
                    total += 1
                else:
                    total += self.cost(graph, type_name, selection)
        return total

    def _is_local(self, position: Position, name: str) -> bool:
        service, type_name = position.group.service, position.parent_type
        entry = self.supergraph.field_in(type_name, name, service)
        if entry is not None and entry.resolvable and not entry.requires:
            return self._local_in_every_implementation(type_name, name, service)
        if position.provided is not None and _provided_fields(position.provided, name):
            return True
        return entry is not None and self._is_key_field(type_name, name, service)

    def _local_in_every_implementation(self, type_name: str, name: str, service: str) -> bool:
        """An interface field is only asked as such when each implementation the
        subgraph has answers it there (none has it @external or overridden away)."""
        if not is_interface_type(self.supergraph.schema.get_type(type_name)):
            return True
        for implementation in self.supergraph.possible_types(type_name, service):
            entry = self.supergraph.field_in(implementation, name, service)
            if entry is None or not entry.resolvable or entry.requires:
                return False
        return True

    def _is_key_field(self, type_name: str, name: str, service: str) -> bool:
        info = self.supergraph.type_info(type_name)
        for key in info.keys(service):
            if any(f.name.value == name for f in _top_fields(parse_field_set(key))):
                return True
        return False

    def _add_local_field(self, position: Position, node: FieldNode) -> FetchGroup:
        return_type = self._field_type(position.parent_type, node.name.value)
        named = get_named_type(return_type)
        children = position.builder.add_field(node, composite=is_composite_type(named))
        if children is None or node.selection_set is None:
            return position.group
        if self._is_abstract_in(named.name, position.group.service):
            children.add_typename()
        key = node.alias.value if node.alias else node.name.value
        inner = Position(
            group=position.group,
            builder=children,
            parent_type=named.name,
            path=position.path + (key,) + ("@",) * _list_depth(return_type),
            provided=self._provided_below(position, node.name.value),
            conditions=position.conditions + _conditions(node),
            among_options=position.among_options,
        )
        self.plan_selection_set(inner, node.selection_set)
        return position.group

    def _provided_below(self, position: Position, name: str) -> SelectionSetNode | None:
        if position.provided is not None:
            below = _provided_fields(position.provided, name)
            if below:
                return SelectionSetNode(
                    selections=tuple(
                        s for f in below if f.selection_set for s in f.selection_set.selections
                    )
                )
        entry = self.supergraph.field_in(position.parent_type, name, position.group.service)
        if entry is not None and entry.provides:
            return parse_field_set(entry.provides)
        return None

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
        directives = tuple(fragment.directives or ())
        conditions = position.conditions + directives
        if type_name == position.parent_type or is_object_type(
            self.supergraph.schema.get_type(position.parent_type)
        ):
            if not directives:
                self.plan_selection_set(position, fragment.selection_set)
                return
            type_name = position.parent_type if condition else None
        elif self._is_interface_object(position):
            self._plan_inline_fragment(self._interface_entity(position), fragment)
            return
        elif not self._may_return(position, type_name):
            return
        builder = position.builder.add_fragment(type_name, directives)
        parent_type = type_name or position.parent_type
        inner = replace(position, builder=builder, parent_type=parent_type, conditions=conditions)
        self.plan_selection_set(inner, fragment.selection_set)

    def _may_return(self, position: Position, type_name: str) -> bool:
        """Whether the current subgraph can return objects of ``type_name`` here."""
        service = position.group.service
        if not self.supergraph.type_info(type_name).in_graph(service):
            return False
        if is_object_type(self.supergraph.schema.get_type(type_name)):
            return type_name in self.supergraph.possible_types(position.parent_type, service)
        return True

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
            for implementation in self.supergraph.schema.get_possible_types(interface):
                child.input_rewrites[implementation.name] = entity_type
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
        )

    def _plan_requiring_field(
        self, position: Position, node: FieldNode, graph: str, requires: str
    ) -> FetchGroup:
        """Place the ``@requires`` fields first, then fetch the field after them."""
        required = parse_field_set(requires)
        for_requires = replace(position, for_requires=True)
        providers = [self.plan_field(for_requires, field) for field in _top_fields(required)]
        key_provider, key = self._add_key(position, graph, position.parent_type)
        providers.append(key_provider)
        others = list(dict.fromkeys(g for g in providers if g is not position.group))
        last = _last_in_chain(others) if others else position.group
        if last is None:
            child = position.group.dependent(graph, position.path, after_children=True)
        else:
            child = last.dependent(graph, position.path)
        # Apollo's order: the key first when one hop fetched both it and the fields.
        if others == [key_provider] and key_provider is not position.group:
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
        inputs = {field.name.value for field in _top_fields(group.requires.build())}
        return all(field.name.value in inputs for field in _top_fields(key))

    def _hop(self, position: Position, key: SelectionSetNode) -> FetchGroup | None:
        """An entity fetch that selects ``key`` from a subgraph this group has a key of."""
        type_name = position.parent_type
        info = self.supergraph.type_info(type_name)
        fields = _top_fields(key)
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
        return all(self._is_local(position, field.name.value) for field in _top_fields(key))

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

    def _field_type(self, type_name: str, name: str) -> GraphQLOutputType:
        parent = self.supergraph.schema.get_type(type_name)
        fields = getattr(parent, "fields", None)
        if not fields or name not in fields:
            raise PlanningError(f"{type_name} has no field {name!r}")
        return fields[name].type  # type: ignore[no-any-return]


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


def _choice_key(position: Position, node: FieldNode) -> tuple[int, str, tuple[str, ...]]:
    return id(node), position.parent_type, position.path


def _top_fields(selection_set: SelectionSetNode) -> list[FieldNode]:
    """The fields of a selection set, looking through inline fragments."""
    fields: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields.extend(_top_fields(selection.selection_set))
    return fields


def _provided_fields(provided: SelectionSetNode, name: str) -> list[FieldNode]:
    return [field for field in _top_fields(provided) if field.name.value == name]


def _conditions(node: FieldNode) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in node.directives or () if d.name.value in ("skip", "include"))


def _list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            depth += 1
        type_ = type_.of_type
    return depth
