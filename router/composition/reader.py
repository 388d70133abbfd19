"""Read type definitions (and their extensions) from a parsed SDL into the schema model."""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    NamedTypeNode,
    NameNode,
    Node,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    Visitor,
    visit,
)

from router.composition.schema import EnumValue, Field, TypeDef, TypeKind

DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
KINDS: dict[type[Node], TypeKind] = {
    ObjectTypeDefinitionNode: "object",
    ObjectTypeExtensionNode: "object",
    InterfaceTypeDefinitionNode: "interface",
    InterfaceTypeExtensionNode: "interface",
    UnionTypeDefinitionNode: "union",
    UnionTypeExtensionNode: "union",
    EnumTypeDefinitionNode: "enum",
    EnumTypeExtensionNode: "enum",
    InputObjectTypeDefinitionNode: "input",
    InputObjectTypeExtensionNode: "input",
    ScalarTypeDefinitionNode: "scalar",
    ScalarTypeExtensionNode: "scalar",
}


def root_renames(document: DocumentNode) -> dict[str, str]:
    """Root types given other names (``schema { query: RootQuery }``) -> Query etc."""
    renames: dict[str, str] = {}
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            for operation in definition.operation_types or ():
                name = operation.type.name.value
                renames[name] = DEFAULT_ROOTS[operation.operation.value]
    return {old: new for old, new in renames.items() if old != new}


class _RenameTypes(Visitor):
    def __init__(self, renames: dict[str, str]) -> None:
        super().__init__()
        self.renames = renames

    def enter_named_type(self, node: NamedTypeNode, *_: object) -> NamedTypeNode | None:
        new = self.renames.get(node.name.value)
        return None if new is None else NamedTypeNode(name=NameNode(value=new))


def read_types(
    document: DocumentNode,
    renames: dict[str, str],
    shareable_names: set[str],
    skip_types: Iterable[str],
    skip_root_fields: Iterable[str],
) -> dict[str, TypeDef]:
    """Every type of ``document`` but ``skip_types``, extensions folded into their type."""
    if renames:
        document = visit(document, _RenameTypes(renames))
    types: dict[str, TypeDef] = {}
    for node in document.definitions:
        if isinstance(node, TypeDefinitionNode | TypeExtensionNode) and type(node) in KINDS:
            name = renames.get(node.name.value, node.name.value)
            if name not in skip_types:
                _fold(
                    types.setdefault(name, TypeDef(KINDS[type(node)], name)), node, shareable_names
                )
    # Every subgraph serves Query (``_entities``, ``_service``) even when it declares none.
    query = types.setdefault("Query", TypeDef("object", "Query", is_extension=False))
    for field_name in skip_root_fields:
        query.fields.pop(field_name, None)
    return types


def _fold(target: TypeDef, node: Node, shareable_names: set[str]) -> None:
    description = getattr(node, "description", None)
    if description is not None:
        target.description = description.value
    if isinstance(node, TypeDefinitionNode):
        target.is_extension = False
    directives = list(getattr(node, "directives", None) or ())
    target.directives.extend(directives)
    shareable = any(d.name.value in shareable_names for d in directives)
    for field_node in getattr(node, "fields", None) or ():
        target.fields[field_node.name.value] = _field(field_node, shareable)
    for value in getattr(node, "values", None) or ():
        target.values[value.name.value] = EnumValue(
            value.name.value, _text(value.description), list(value.directives or ())
        )
    target.members.extend(t.name.value for t in getattr(node, "types", None) or ())
    target.interfaces.extend(t.name.value for t in getattr(node, "interfaces", None) or ())


def _field(node: FieldDefinitionNode | InputValueDefinitionNode, shareable: bool) -> Field:
    args = getattr(node, "arguments", None) or ()
    return Field(
        name=node.name.value,
        type=node.type,
        description=_text(node.description),
        directives=list(node.directives or ()),
        args={arg.name.value: _field(arg, False) for arg in args},
        default=getattr(node, "default_value", None),
        type_shareable=shareable,
    )


def _text(node: object) -> str | None:
    return getattr(node, "value", None)
