"""One subgraph SDL read into a schema model, with its federation directives resolved.

A subgraph names federation directives through ``@link(url: ".../federation/v2.x", import:
[...])``: imported ones by their plain (or ``as``-renamed) name, the others as
``federation__name`` (or ``<as>__name``). ``Subgraph.applied`` hides that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    parse,
)

from router.composition.arguments import argument
from router.composition.feature_specs import BY_IDENTITY, implied_federation, linked_directives
from router.composition.fieldset import resolve_field_set
from router.composition.links import LINK, Feature, owner, read_features
from router.composition.reader import read_types, root_renames
from router.composition.schema import Field, TypeDef

FEDERATION_URL = re.compile(r"^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)$")
# Types every subgraph carries for the federation protocol; the supergraph drops them.
PROTOCOL_TYPES = frozenset(
    {"_Any", "_Entity", "_Service", "FieldSet", "_FieldSet", "link__Import", "link__Purpose"}
)
# Specs whose types (``federation__FieldSet``, ``link__Purpose`` ...) stay in the subgraphs.
UNMERGED_SPECS = (
    "https://specs.apollo.dev/federation",
    "https://specs.apollo.dev/core",
    "https://specs.apollo.dev/connect",
    LINK,
)
PROTOCOL_ROOT_FIELDS = frozenset({"_entities", "_service"})
# A Federation 1 subgraph names its directives plainly; Apollo upgrades it as a 2.0 one.
FEDERATION_1_NAMES = {
    name: name
    for name in ("key", "requires", "provides", "external", "extends", "tag", "inaccessible")
}
FEDERATION_1_VERSION = (2, 0)


@dataclass(frozen=True)
class SubgraphSource:
    """A subgraph as composition takes it: its name, routing URL and SDL."""

    name: str
    url: str
    sdl: str


@dataclass
class Subgraph:
    source: SubgraphSource
    graph: str
    version: tuple[int, int]
    types: dict[str, TypeDef]
    # local directive name -> federation directive name ("key", "shareable", ...)
    federation_names: dict[str, str]
    features: list[Feature]
    directive_definitions: dict[str, DirectiveDefinitionNode]
    # Applied to ``schema`` (definition and extensions): @link, @composeDirective ...
    schema_directives: list[DirectiveNode]
    # written for Federation 1 (no federation @link): upgraded before composing
    federation_1: bool = False

    @property
    def name(self) -> str:
        return self.source.name

    def applied(self, directives: list[DirectiveNode], name: str) -> list[DirectiveNode]:
        """The applications of federation directive ``name`` (whatever it is called here)."""
        return [d for d in directives if self.federation_names.get(d.name.value) == name]

    def has(self, directives: list[DirectiveNode], name: str) -> bool:
        return bool(self.applied(directives, name))

    def field_sets(self, parent: TypeDef, directive: str) -> list[tuple[DirectiveNode, str]]:
        """``(application, fields)`` for each ``@key``/``@requires``/... on ``parent``."""
        applied = self.applied(parent.directives, directive)
        return [(node, str(argument(node, "fields"))) for node in applied]

    @cached_property
    def key_fields(self) -> frozenset[tuple[str, str]]:
        """``(type, field)`` for every field some ``@key`` selects; they are shareable."""
        refs: set[tuple[str, str]] = set()
        for parent in self.types.values():
            for _, fields in self.field_sets(parent, "key"):
                resolution = resolve_field_set(self.types, parent, fields)
                refs.update((s.parent.name, s.field.name) for s in resolution.selected)
        return frozenset(refs)

    def is_external(self, parent: TypeDef, field: Field) -> bool:
        """``@external`` on the field or its type, except key fields of an ``extend type``.

        Apollo treats those key fields as resolvable ("fake external"): the old
        Federation 1 way of declaring an entity owned elsewhere.
        """
        if not (self.has(field.directives, "external") or self.has(parent.directives, "external")):
            return False
        extension = parent.is_extension or self.has(parent.directives, "extends")
        return not (extension and (parent.name, field.name) in self.key_fields)

    def is_shareable(self, parent: TypeDef, field: Field) -> bool:
        return (
            field.type_shareable
            or self.has(field.directives, "shareable")
            or (parent.name, field.name) in self.key_fields
        )


def read_subgraph(source: SubgraphSource, graph: str) -> Subgraph:
    """Parse ``source.sdl``; raises ``GraphQLError`` when it is not valid GraphQL."""
    document = parse(source.sdl)
    linked = _federation_link(document)
    version, names = linked or (FEDERATION_1_VERSION, dict(FEDERATION_1_NAMES))
    shareable = {local for local, name in names.items() if name == "shareable"}
    features = read_features(document)
    names.update(linked_directives(features))
    version = max(version, implied_federation(features))
    renames = root_renames(document)
    skipped = PROTOCOL_TYPES | _spec_types(document, features)
    types = read_types(document, renames, shareable, skipped, PROTOCOL_ROOT_FIELDS)
    definitions = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, DirectiveDefinitionNode)
    }
    schema: list[DirectiveNode] = [
        directive
        for node in document.definitions
        if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode)
        for directive in node.directives or ()
    ]
    return Subgraph(
        source, graph, version, types, names, features, definitions, schema, linked is None
    )


def _spec_types(document: DocumentNode, features: list[Feature]) -> set[str]:
    """Types of the federation and link specs the SDL defines, as @apollo/subgraph prints."""
    names = {
        node.name.value
        for node in document.definitions
        if isinstance(node, TypeDefinitionNode | TypeExtensionNode)
    }
    owners = {name: owner(features, name, directive=False) for name in names}
    return {
        name
        for name, found in owners.items()
        if found is not None
        and (found.feature.identity in UNMERGED_SPECS or found.feature.identity in BY_IDENTITY)
    }


def _federation_link(document: Any) -> tuple[tuple[int, int], dict[str, str]] | None:
    for definition in document.definitions:
        for directive in getattr(definition, "directives", None) or []:
            if directive.name.value != "link":
                continue
            match = FEDERATION_URL.match(str(argument(directive, "url")))
            if match:
                version = (int(match[1]), int(match[2]))
                return version, _link_names(directive)
    return None


FEDERATION_DIRECTIVES = (
    "key", "requires", "provides", "external", "shareable", "override", "extends",
    "inaccessible", "tag", "interfaceObject", "composeDirective", "authenticated",
    "requiresScopes", "policy", "context", "fromContext", "cost", "listSize",
)  # fmt: skip


def _link_names(link: DirectiveNode) -> dict[str, str]:
    prefix = argument(link, "as") or "federation"
    names = {f"{prefix}__{name}": name for name in FEDERATION_DIRECTIVES}
    for item in argument(link, "import") or []:
        imported, local = (item, item) if isinstance(item, str) else (item["name"], item.get("as"))
        if imported.startswith("@"):
            names[(local or imported).lstrip("@")] = imported.lstrip("@")
    return names
