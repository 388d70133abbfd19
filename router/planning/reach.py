"""What the supergraph says about a field at a position of the walk: whether the
current subgraph answers it, which subgraphs could fetch it instead and at what cost,
and what a parent's ``@provides`` promises below it."""

from __future__ import annotations

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLFieldMap,
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_interface_type,
    is_object_type,
)

from router.planning.position import PlanningError, Position
from router.supergraph import Supergraph, parse_field_set


class Reach:
    """Questions about the supergraph alone; the walk's other parts build on them."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph

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

    def _has_interface_object(self, type_name: str) -> bool:
        """Whether some subgraph has the type as an ``@interfaceObject``."""
        info = self.supergraph.type_info(type_name)
        return any(entry.is_interface_object for entry in info.graphs)

    def _is_interface_object(self, position: Position) -> bool:
        info = self.supergraph.type_info(position.parent_type)
        return info.is_interface_object(position.group.service)

    def _is_abstract_in(self, type_name: str, graph: str) -> bool:
        """Whether the type is an interface or union in ``graph`` (not an interface object)."""
        abstract = is_abstract_type(self.supergraph.schema.get_type(type_name))
        return abstract and not self.supergraph.type_info(type_name).is_interface_object(graph)

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
            if entry.context_arguments:
                return False
            return self._local_in_every_implementation(type_name, name, service)
        if position.provided is not None and provided_fields(position.provided, name):
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
            if any(f.name.value == name for f in top_fields(parse_field_set(key))):
                return True
        return False

    def _may_return(self, position: Position, type_name: str) -> bool:
        """Whether the current subgraph can return objects of ``type_name`` here."""
        service = position.group.service
        if not self.supergraph.type_info(type_name).in_graph(service):
            return False
        if is_object_type(self.supergraph.schema.get_type(type_name)):
            return type_name in self.supergraph.possible_types(position.parent_type, service)
        return True

    def _provided_below(self, position: Position, name: str) -> SelectionSetNode | None:
        if position.provided is not None:
            below = provided_fields(position.provided, name)
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

    def _field_type(self, type_name: str, name: str) -> GraphQLOutputType:
        return self._field(type_name, name).type

    def _field(self, type_name: str, name: str) -> GraphQLField:
        parent = self.supergraph.schema.get_type(type_name)
        fields: GraphQLFieldMap = getattr(parent, "fields", None) or {}
        if name not in fields:
            raise PlanningError(f"{type_name} has no field {name!r}")
        return fields[name]


def top_fields(selection_set: SelectionSetNode) -> list[FieldNode]:
    """The fields of a selection set, looking through inline fragments."""
    fields: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields.extend(top_fields(selection.selection_set))
    return fields


def provided_fields(provided: SelectionSetNode, name: str) -> list[FieldNode]:
    return [field for field in top_fields(provided) if field.name.value == name]


def list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            depth += 1
        type_ = type_.of_type
    return depth
