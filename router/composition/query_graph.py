"""The subgraphs as the satisfiability check walks them (Apollo's federated query graph).

A node is a type of one subgraph. Its edges are the fields that subgraph resolves on it,
and @key edges to the same entity in the subgraphs with a resolvable key on it (or to the
@interfaceObject standing for its interface), which the walk may take once it can collect
the key's fields. Conditions (keys, @requires) and @provides are kept as ``FieldTree``s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.composition.arguments import argument
from router.composition.fieldset import parse_selection_set
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type

# A parsed FieldSet: (field name, or "... on T" for a type condition, with its selections).
FieldTree = tuple[tuple[str, "FieldTree"], ...]
ROOT_TYPES = ("Query", "Mutation", "Subscription")
TYPENAME = "__typename"


def parse_field_tree(text: str) -> FieldTree:
    return _tree(parse_selection_set(text))


def _tree(selection_set: SelectionSetNode | None) -> FieldTree:
    items: list[tuple[str, FieldTree]] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            items.append((selection.name.value, _tree(selection.selection_set)))
        elif isinstance(selection, InlineFragmentNode) and selection.type_condition:
            condition = selection.type_condition.name.value
            items.append((f"... on {condition}", _tree(selection.selection_set)))
        elif isinstance(selection, InlineFragmentNode):
            items.extend(_tree(selection.selection_set))
    return tuple(items)


def print_field_tree(tree: FieldTree) -> str:
    """``id organization { id }``, as Apollo prints a key in its messages."""
    return " ".join(key + (f" {{ {print_field_tree(sub)} }}" if sub else "") for key, sub in tree)


def subtree(tree: FieldTree | None, key: str) -> FieldTree | None:
    for name, sub in tree or ():
        if name == key:
            return sub
    return None


class Missing(Enum):
    """Why a subgraph has no edge for a field of one of its types."""

    NO_FIELD = auto()
    EXTERNAL = auto()
    OVERRIDDEN = auto()


@dataclass(frozen=True)
class FieldEdge:
    type: str
    requires: FieldTree | None = None
    provides: FieldTree | None = None


@dataclass(frozen=True)
class KeyEdge:
    """An entity fetch into ``target``'s ``target_type``, given ``fields`` from the source."""

    target: str
    target_type: str
    fields: FieldTree


class QueryGraph:
    """Read-only views of the subgraphs (sorted by name) for the satisfiability walk.

    ``implementations`` maps each supergraph interface to the objects implementing it: a
    key on an @interfaceObject can be reached from those objects in other subgraphs.
    """

    def __init__(self, subgraphs: list[Subgraph], implementations: dict[str, list[str]]) -> None:
        self.subgraphs = {subgraph.name: subgraph for subgraph in subgraphs}
        self.implementations = implementations
        self.overridden = _overridden(subgraphs)
        # (subgraph, type, field) -> (label, whether the label must be on for this edge)
        self.labelled = _labelled(subgraphs)
        self.labels = {
            (parent, name): label for (_, parent, name), (label, _) in self.labelled.items()
        }
        self._keys: dict[tuple[str, str], list[KeyEdge]] = {}

    def type(self, subgraph: str, name: str) -> TypeDef | None:
        return self.subgraphs[subgraph].types.get(name)

    def has_root(self, subgraph: str, name: str) -> bool:
        # Every subgraph has a Query type once federation adds ``_entities`` to it.
        return name == "Query" or name in self.subgraphs[subgraph].types

    def is_interface_object(self, subgraph: str, name: str) -> bool:
        found = self.type(subgraph, name)
        return found is not None and self.subgraphs[subgraph].has(
            found.directives, "interfaceObject"
        )

    def runtime_types(self, subgraph: str, name: str) -> list[str]:
        """The object types ``name`` can be at runtime in ``subgraph``."""
        found = self.type(subgraph, name)
        if found is None or found.kind == "object":
            return [name] if found else []
        if found.kind == "union":
            return list(found.members)
        types = self.subgraphs[subgraph].types.values()
        return [t.name for t in types if t.kind == "object" and name in t.interfaces]

    def field(self, subgraph: str, parent: str, name: str) -> FieldEdge | Missing:
        """The edge for ``parent.name`` in ``subgraph``, or why there is none."""
        graph = self.subgraphs[subgraph]
        definition = graph.types.get(parent)
        found = definition.fields.get(name) if definition else None
        if definition is None or found is None:
            return Missing.NO_FIELD
        overriders = self.overridden.get((subgraph, parent, name))
        if overriders is not None:
            return Missing.OVERRIDDEN if (parent, name) in graph.key_fields else Missing.NO_FIELD
        if graph.is_external(definition, found):
            return Missing.EXTERNAL
        if definition.kind == "interface" and not self._on_every_implementation(
            subgraph, parent, name
        ):
            return Missing.NO_FIELD
        return FieldEdge(
            named_type(found.type),
            _field_set(graph, found, "requires"),
            _field_set(graph, found, "provides"),
        )

    def field_type(self, subgraph: str, parent: str, name: str) -> str:
        return named_type(self.subgraphs[subgraph].types[parent].fields[name].type)

    def overriders(self, subgraph: str, parent: str, name: str) -> list[str]:
        return self.overridden.get((subgraph, parent, name), [])

    def external_key_fields(self, subgraph: str, name: str) -> list[str]:
        """Key fields of ``name`` marked @external: a @requires may fail for that mistake."""
        graph = self.subgraphs[subgraph]
        definition = graph.types[name]
        found: dict[str, None] = {}
        for fields, _ in self.keys(subgraph, name):
            for key, _ in parse_field_tree(fields):
                field = definition.fields.get(key)
                if field is not None and graph.has(field.directives, "external"):
                    found[key] = None
        return list(found)

    def has_local_key(self, subgraph: str, name: str) -> bool:
        """Whether some @key of ``name`` selects no @external field (Apollo's
        ``getLocallySatisfiableKey``): a @requires can then resume in ``subgraph``."""
        graph = self.subgraphs[subgraph]
        definition = graph.types.get(name)
        if definition is None:
            return False
        return any(
            not self._selects_external(subgraph, name, parse_field_tree(fields))
            for _, fields in graph.field_sets(definition, "key")
        )

    def key_edges(self, subgraph: str, name: str) -> list[KeyEdge]:
        """The @key edges leaving type ``name`` of ``subgraph`` for the other subgraphs."""
        cache_key = (subgraph, name)
        if cache_key not in self._keys:
            self._keys[cache_key] = list(self._compute_key_edges(subgraph, name))
        return self._keys[cache_key]

    def keys(self, subgraph: str, name: str) -> list[tuple[str, bool]]:
        """``(fields, resolvable)`` for each @key of ``name`` in ``subgraph``."""
        graph = self.subgraphs[subgraph]
        definition = graph.types.get(name)
        if definition is None:
            return []
        return [
            (fields, argument(node, "resolvable") is not False)
            for node, fields in graph.field_sets(definition, "key")
        ]

    def _compute_key_edges(self, subgraph: str, name: str) -> list[KeyEdge]:
        source = self.type(subgraph, name)
        if source is None:
            return []
        edges = []
        for target in self.subgraphs:
            if target == subgraph:
                continue
            if self.type(target, name):
                edges += self._edges_to(target, name, lambda _: True)
            for interface, objects in self.implementations.items():
                if name in objects and self.is_interface_object(target, interface):
                    # The key is read on the implementation: usable if it has the fields.
                    edges += self._edges_to(target, interface, lambda key: key in source.fields)
        return edges

    def _edges_to(self, target: str, name: str, usable: Callable[[str], bool]) -> list[KeyEdge]:
        trees = [
            parse_field_tree(fields) for fields, resolvable in self.keys(target, name) if resolvable
        ]
        return [
            KeyEdge(target, name, tree) for tree in trees if all(usable(key) for key, _ in tree)
        ]

    def _on_every_implementation(self, subgraph: str, interface: str, name: str) -> bool:
        """Apollo gives an interface field an edge only where every local implementation
        resolves it directly (no @external, no @requires)."""
        for object_name in self.runtime_types(subgraph, interface):
            edge = self.field(subgraph, object_name, name)
            if isinstance(edge, Missing) or edge.requires is not None:
                return False
        return True

    def _selects_external(self, subgraph: str, parent: str, tree: FieldTree) -> bool:
        graph = self.subgraphs[subgraph]
        definition = graph.types.get(parent)
        if definition is None:
            return False
        for key, sub in tree:
            found = definition.fields.get(key)
            if found is None:
                continue
            if graph.is_external(definition, found):
                return True
            if sub and self._selects_external(subgraph, named_type(found.type), sub):
                return True
        return False


def _field_set(subgraph: Subgraph, field: Field, directive: str) -> FieldTree | None:
    applied = subgraph.applied(field.directives, directive)
    return parse_field_tree(str(argument(applied[0], "fields"))) if applied else None


def _overrides(subgraphs: list[Subgraph]) -> list[tuple[str, str, str, str, str | None]]:
    """``(subgraph, type, field, from, label)`` for each @override from a known subgraph."""
    names = {subgraph.name for subgraph in subgraphs}
    return [
        (subgraph.name, definition.name, field.name, source, argument(node, "label"))
        for subgraph in subgraphs
        for definition in subgraph.types.values()
        for field in definition.fields.values()
        for node in subgraph.applied(field.directives, "override")
        if (source := str(argument(node, "from"))) in names
    ]


def _overridden(subgraphs: list[Subgraph]) -> dict[tuple[str, str, str], list[str]]:
    """``(subgraph, type, field)`` -> the subgraphs taking that field over with @override."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for name, parent, field, source, label in _overrides(subgraphs):
        if label is None:
            found.setdefault((source, parent, field), []).append(name)
    return found


def _labelled(subgraphs: list[Subgraph]) -> dict[tuple[str, str, str], tuple[str, bool]]:
    """A progressive @override (with a label) leaves the field in both subgraphs: the one
    overriding resolves it while the label is on, the other while it is off."""
    found: dict[tuple[str, str, str], tuple[str, bool]] = {}
    for name, parent, field, source, label in _overrides(subgraphs):
        if label is not None:
            found[(name, parent, field)] = (str(label), True)
            found[(source, parent, field)] = (str(label), False)
    return found
