"""The specs ("core features") a subgraph links with ``@link``, and which names each owns.

A linked spec owns the names it imports (``import: ["@key", {name: "@label", as: "@lbl"}]``)
and every name prefixed with its alias (``federation__FieldSet``, ``link__Import``). The link
spec itself is always linked, as Apollo adds it to every Federation 2 subgraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import DirectiveNode, DocumentNode, SchemaDefinitionNode, SchemaExtensionNode

from router.composition.arguments import argument

LINK = "https://specs.apollo.dev/link"
URL = re.compile(r"^(?P<identity>.*/(?P<name>[\w-]+))/v(?P<major>\d+)\.(?P<minor>\d+)/?$")


@dataclass(frozen=True)
class Feature:
    """One ``@link``: ``identity`` is its URL without the version."""

    identity: str
    name: str
    version: tuple[int, int]
    alias: str
    # name in the schema -> name in the spec; directive names start with "@"
    imports: dict[str, str]

    @property
    def url(self) -> str:
        return f"{self.identity}/v{self.version[0]}.{self.version[1]}"

    def directive_name(self, name_in_spec: str) -> str:
        """What this schema calls the spec's directive ``@name_in_spec`` (without "@")."""
        for local, imported in self.imports.items():
            if imported == f"@{name_in_spec}":
                return local[1:]
        return self.alias if name_in_spec == self.name else f"{self.alias}__{name_in_spec}"


@dataclass(frozen=True)
class Owner:
    """The feature a schema element belongs to; ``name_in_spec`` is None when the element
    uses the prefixed name of something the schema imports under another name."""

    feature: Feature
    name_in_spec: str | None


def read_features(document: DocumentNode) -> list[Feature]:
    """The ``@link``s on ``schema`` (definition and extensions), link spec included."""
    features = [
        feature
        for definition in document.definitions
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode)
        for directive in definition.directives or ()
        if directive.name.value == "link"
        and (feature := _feature(argument(directive, "url"), directive)) is not None
    ]
    if not any(feature.identity == LINK for feature in features):
        features.append(Feature(LINK, "link", (1, 0), "link", {}))
    return features


def _feature(url: object, directive: DirectiveNode) -> Feature | None:
    match = URL.match(url) if isinstance(url, str) else None
    if match is None:
        return None
    imports: dict[str, str] = {}
    for item in argument(directive, "import") or []:
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            imports[item.get("as") or item["name"]] = item["name"]
    name = match["name"]
    return Feature(
        identity=match["identity"],
        name=name,
        version=(int(match["major"]), int(match["minor"])),
        alias=argument(directive, "as") or name,
        imports=imports,
    )


def owner(features: list[Feature], name: str, directive: bool) -> Owner | None:
    """The feature owning type (or directive) ``name`` of the schema, if any."""
    key = f"@{name}" if directive else name
    for feature in features:
        if key in feature.imports:
            return Owner(feature, feature.imports[key].lstrip("@"))
    alias, prefixed, name_in_spec = name.partition("__")
    by_alias = {feature.alias: feature for feature in features}
    aliased = by_alias.get(alias) if prefixed else by_alias.get(name) if directive else None
    if aliased is None:
        return None
    if not prefixed:
        name_in_spec = aliased.name
    imported = f"@{name_in_spec}" if directive else name_in_spec
    return Owner(aliased, None if imported in aliased.imports.values() else name_in_spec)
