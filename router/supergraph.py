"""The supergraph as the planner sees it: which subgraph resolves which type and field.

A Federation 2 supergraph (Apollo's composition output) carries this in the
``join__*`` directives: ``@join__graph`` names the subgraphs, ``@join__type`` says
which graphs define a type and with which keys, ``@join__field`` which graphs resolve
a field (with ``requires``, ``provides``, ``external``, ``override``). A field with no
``@join__field`` is resolved by every graph defining its type; one with only a bare
``@join__field`` (no graph) by none: an ``@interfaceObject`` resolves it for the
object's interface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    REMOVE,
    DirectiveDefinitionNode,
    DirectiveLocation,
    DocumentNode,
    GraphQLDeprecatedDirective,
    GraphQLDirective,
    GraphQLSchema,
    SelectionSetNode,
    ValueNode,
    Visitor,
    build_ast_schema,
    parse,
    value_from_ast_untyped,
    visit,
)
from graphql.language import (
    DirectiveNode,
    EnumTypeDefinitionNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    InputValueDefinitionNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
)


@dataclass(frozen=True)
class TypeInGraph:
    """One ``@join__type``: a type as one subgraph defines it."""

    graph: str
    key: str | None = None
    resolvable: bool = True
    extension: bool = False
    is_interface_object: bool = False


@dataclass(frozen=True)
class ContextArgument:
    """One ``@join__field(contextArguments:)`` entry: argument ``name`` takes its value from
    ``selection`` on the nearest ancestor setting ``context``, sent as ``variable``."""

    name: str
    type: str
    context: str
    selection: str
    # Apollo's name: contextualArgument_<graph number>_<index of the argument in the graph>
    variable: str


@dataclass(frozen=True)
class FieldInGraph:
    """One ``@join__field``: a field as one subgraph defines it."""

    graph: str
    requires: str | None = None
    provides: str | None = None
    external: bool = False
    override: str | None = None
    used_overridden: bool = False
    type: str | None = None
    context_arguments: tuple[ContextArgument, ...] = ()

    @property
    def resolvable(self) -> bool:
        """Whether the graph answers this field itself (not external, not overridden)."""
        return not self.external and not self.used_overridden


@dataclass(frozen=True)
class TypeInfo:
    name: str
    graphs: tuple[TypeInGraph, ...]
    # Only fields with a @join__field; the others are resolved by every graph of the type.
    fields: dict[str, tuple[FieldInGraph, ...]]
    implements: tuple[tuple[str, str], ...] = ()
    union_members: tuple[tuple[str, str], ...] = ()
    # The contexts the type sets (``@context(name:)``), named per subgraph.
    contexts: tuple[str, ...] = ()

    def in_graph(self, graph: str) -> bool:
        return any(entry.graph == graph for entry in self.graphs)

    def is_interface_object(self, graph: str) -> bool:
        """Whether ``graph`` defines this interface as an object (``@interfaceObject``)."""
        return any(entry.graph == graph and entry.is_interface_object for entry in self.graphs)

    def keys(self, graph: str, *, resolvable_only: bool = False) -> list[str]:
        return [
            entry.key
            for entry in self.graphs
            if entry.graph == graph
            and entry.key is not None
            and (entry.resolvable or not resolvable_only)
        ]


@dataclass(frozen=True)
class Supergraph:
    """A loaded supergraph: its schemas, its subgraphs and the ``join__`` metadata."""

    schema: GraphQLSchema
    api_schema: GraphQLSchema
    subgraph_urls: dict[str, str]
    types: dict[str, TypeInfo] = field(repr=False)
    enum_values: dict[str, dict[str, tuple[str, ...]]] = field(repr=False)

    def type_info(self, name: str) -> TypeInfo:
        return self.types[name]

    def field_graphs(self, type_name: str, field_name: str) -> tuple[FieldInGraph, ...]:
        """Every ``@join__field`` of a field, or one entry per graph of its type if none."""
        info = self.types[type_name]
        if field_name in info.fields:
            return info.fields[field_name]
        return tuple(FieldInGraph(graph=entry.graph) for entry in _unique_graphs(info))

    def resolving_graphs(self, type_name: str, field_name: str) -> list[str]:
        """The graphs that can resolve a field, in supergraph order."""
        return [e.graph for e in self.field_graphs(type_name, field_name) if e.resolvable]

    def field_in(self, type_name: str, field_name: str, graph: str) -> FieldInGraph | None:
        for entry in self.field_graphs(type_name, field_name):
            if entry.graph == graph:
                return entry
        return None

    def possible_types(self, abstract: str, graph: str) -> list[str]:
        """The object types a subgraph can return for an interface or union."""
        names = []
        for name, info in self.types.items():
            if (graph, abstract) in info.implements:
                names.append(name)
        members = self.types[abstract].union_members
        names.extend(member for owner, member in members if owner == graph)
        return names


def load_supergraph(sdl: str) -> Supergraph:
    """Read a Federation 2 supergraph SDL (as Apollo's composition prints it)."""
    document = parse(sdl, no_location=True)
    schema = build_ast_schema(document, assume_valid_sdl=True)
    graph_names, urls = _read_graphs(document)
    variables = _context_variables(document, graph_names)
    types: dict[str, TypeInfo] = {}
    enum_values: dict[str, dict[str, tuple[str, ...]]] = {}
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode) or _is_machinery(definition):
            continue
        types[definition.name.value] = _read_type(definition, graph_names, variables)
        if isinstance(definition, EnumTypeDefinitionNode):
            enum_values[definition.name.value] = _read_enum_values(definition, graph_names)
    return Supergraph(
        schema=schema,
        api_schema=build_api_schema(document),
        subgraph_urls=urls,
        types=types,
        enum_values=enum_values,
    )


def parse_field_set(field_set: str) -> SelectionSetNode:
    """A ``join__FieldSet`` string (``"id organization { id }"``) as a selection set."""
    operation = parse("{" + field_set + "}", no_location=True).definitions[0]
    # Braces around selections parse as an anonymous query, or not at all.
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def _read_graphs(document: DocumentNode) -> tuple[dict[str, str], dict[str, str]]:
    """Map ``join__Graph`` enum values to service names, and service names to urls."""
    names: dict[str, str] = {}
    urls: dict[str, str] = {}
    for definition in document.definitions:
        if (
            isinstance(definition, EnumTypeDefinitionNode)
            and definition.name.value == "join__Graph"
        ):
            for value in definition.values or ():
                args = _directive_args(value.directives, "join__graph")[0]
                names[value.name.value] = args["name"]
                urls[args["name"]] = args["url"]
    return names, urls


def _is_machinery(definition: TypeDefinitionNode) -> bool:
    name = definition.name.value
    return name.startswith(("join__", "link__"))


def _context_variables(
    document: DocumentNode, graphs: dict[str, str]
) -> dict[tuple[str, str], str]:
    """``(graph, "Type.field(arg:)")`` -> the variable Apollo's planner sends a contextual
    argument as: ``contextualArgument_<n>_<i>``, ``n`` the graph's number in ``join__Graph``
    order (from 1), ``i`` the argument's index among the graph's, sorted by coordinate."""
    coordinates: dict[str, list[str]] = {graph: [] for graph in graphs.values()}
    for definition in document.definitions:
        if not isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            continue
        for node in getattr(definition, "fields", None) or ():
            for args in _field_args(node):
                coordinates[graphs[args["graph"]]] += [
                    f"{definition.name.value}.{node.name.value}({item['name']}:)"
                    for item in args.get("contextArguments") or ()
                ]
    return {
        (graph, coordinate): f"contextualArgument_{number}_{index}"
        for number, (graph, found) in enumerate(coordinates.items(), start=1)
        for index, coordinate in enumerate(sorted(found))
    }


def _read_type(
    definition: TypeDefinitionNode, graphs: dict[str, str], variables: dict[tuple[str, str], str]
) -> TypeInfo:
    directives = definition.directives
    type_entries = tuple(
        TypeInGraph(
            graph=graphs[args["graph"]],
            key=args.get("key"),
            resolvable=args.get("resolvable", True),
            extension=args.get("extension", False),
            is_interface_object=args.get("isInterfaceObject", False),
        )
        for args in _directive_args(directives, "join__type")
    )
    fields = {
        node.name.value: tuple(
            _read_field(f"{definition.name.value}.{node.name.value}", args, graphs, variables)
            for args in _field_args(node)
        )
        for node in getattr(definition, "fields", None) or ()
        if _directive_args(node.directives, "join__field")
    }
    implements = tuple(
        (graphs[args["graph"]], args["interface"])
        for args in _directive_args(directives, "join__implements")
    )
    members = tuple(
        (graphs[args["graph"]], args["member"])
        for args in _directive_args(directives, "join__unionMember")
    )
    contexts = tuple(args["name"] for args in _directive_args(directives, "context"))
    return TypeInfo(definition.name.value, type_entries, fields, implements, members, contexts)


def _field_args(node: Any) -> list[dict[str, Any]]:
    # A bare @join__field names no owner: only an @interfaceObject resolves the field.
    return [args for args in _directive_args(node.directives, "join__field") if "graph" in args]


def _read_field(
    coordinate: str,
    args: dict[str, Any],
    graphs: dict[str, str],
    variables: dict[tuple[str, str], str],
) -> FieldInGraph:
    graph = graphs[args["graph"]]
    contexts = tuple(
        ContextArgument(
            item["name"],
            item["type"],
            item["context"],
            item["selection"],
            variables[graph, f"{coordinate}({item['name']}:)"],
        )
        for item in args.get("contextArguments") or ()
    )
    return FieldInGraph(
        graph=graph,
        requires=args.get("requires"),
        provides=args.get("provides"),
        external=bool(args.get("external", False)),
        override=args.get("override"),
        used_overridden=bool(args.get("usedOverridden", False)),
        type=args.get("type"),
        context_arguments=contexts,
    )


def _read_enum_values(
    definition: EnumTypeDefinitionNode, graphs: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    return {
        value.name.value: tuple(
            graphs[args["graph"]] for args in _directive_args(value.directives, "join__enumValue")
        )
        for value in definition.values or ()
    }


def _directive_args(
    directives: tuple[DirectiveNode, ...] | None, name: str
) -> list[dict[str, Any]]:
    return [
        {arg.name.value: _literal(arg.value) for arg in directive.arguments or ()}
        for directive in directives or ()
        if directive.name.value == name
    ]


def _literal(value: ValueNode) -> Any:
    # join__Graph values are enum literals; value_from_ast_untyped gives their names.
    return value_from_ast_untyped(value)


def _unique_graphs(info: TypeInfo) -> list[TypeInGraph]:
    seen: dict[str, TypeInGraph] = {}
    for entry in info.graphs:
        seen.setdefault(entry.graph, entry)
    return list(seen.values())


def build_api_schema(document: DocumentNode) -> GraphQLSchema:
    """What clients see: no ``join__``/``link__`` machinery, no ``@inaccessible`` element.

    Directives of Apollo's specs (those ``@link``ed from specs.apollo.dev) go; other
    composed directives stay, as in Apollo's API schema.
    """
    directives, prefixes = _linked_spec_names(document)
    removed_types = {
        definition.name.value
        for definition in document.definitions
        if isinstance(definition, TypeDefinitionNode)
        and (definition.name.value.startswith(prefixes) or _is_inaccessible(definition))
    }
    visitor = _ApiSchemaVisitor(directives, prefixes, removed_types)
    schema = build_ast_schema(visit(document, visitor), assume_valid_sdl=True)
    schema.directives = tuple(
        _GRAPHQL_JS_DEPRECATED if d is GraphQLDeprecatedDirective else d for d in schema.directives
    )
    return schema


# graphql-core 3.3 lets @deprecated go on directive definitions; graphql-js (Apollo's
# gateway) does not, and introspection shows the difference.
_GRAPHQL_JS_DEPRECATED = GraphQLDirective(
    name=GraphQLDeprecatedDirective.name,
    locations=tuple(
        location
        for location in GraphQLDeprecatedDirective.locations
        if location is not DirectiveLocation.DIRECTIVE_DEFINITION
    ),
    args=GraphQLDeprecatedDirective.args,
    description=GraphQLDeprecatedDirective.description,
)


def _linked_spec_names(document: DocumentNode) -> tuple[set[str], tuple[str, ...]]:
    """Directive names and ``name__`` prefixes that Apollo's linked specs define."""
    directives: set[str] = set()
    prefixes: list[str] = []
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode):
            continue
        for args in _directive_args(definition.directives, "link"):
            url: str = args.get("url", "")
            if not url.startswith("https://specs.apollo.dev/"):
                continue
            name = args.get("as") or url.rstrip("/").split("/")[-2]
            directives.add(name)
            prefixes.append(name + "__")
            for imported in args.get("import") or ():
                local = imported if isinstance(imported, str) else imported.get("as", "")
                directives.add(local.lstrip("@"))
    return directives, tuple(prefixes)


def _is_inaccessible(node: Any) -> bool:
    return any(d.name.value == "inaccessible" for d in node.directives or ())


class _ApiSchemaVisitor(Visitor):
    def __init__(
        self, directives: set[str], prefixes: tuple[str, ...], removed_types: set[str]
    ) -> None:
        super().__init__()
        self.directives = directives
        self.prefixes = prefixes
        self.removed_types = removed_types

    def enter_directive_definition(self, node: DirectiveDefinitionNode, *_: Any) -> Any:
        name = node.name.value
        return REMOVE if name in self.directives or name.startswith(self.prefixes) else None

    def enter_directive(self, node: DirectiveNode, *_: Any) -> Any:
        name = node.name.value
        return REMOVE if name in self.directives or name.startswith(self.prefixes) else None

    def enter(self, node: Any, *_: Any) -> Any:
        if isinstance(node, TypeDefinitionNode) and node.name.value in self.removed_types:
            return REMOVE
        if isinstance(node, FieldDefinitionNode | InputValueDefinitionNode):
            return REMOVE if _is_inaccessible(node) else None
        if isinstance(node, EnumValueDefinitionNode) and _is_inaccessible(node):
            return REMOVE
        return None

    def enter_named_type(self, node: NamedTypeNode, *_: Any) -> Any:
        # Only union members and implemented interfaces can name a removed type:
        # composition rejects an accessible field whose type is inaccessible.
        return REMOVE if node.name.value in self.removed_types else None
