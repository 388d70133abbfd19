"""The merged supergraph, as plain data the printer writes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    EnumValueNode,
    StringValueNode,
    TypeNode,
    ValueNode,
)

from router.composition.schema import TypeKind

if TYPE_CHECKING:
    from router.composition.feature_links import UsedDirective


@dataclass(frozen=True)
class Applied:
    """A directive application in the supergraph: ``@join__field(graph: A, external: true)``."""

    name: str
    args: tuple[tuple[str, ValueNode], ...] = ()

    @classmethod
    def of(cls, name: str, /, **args: str | bool | GraphName | None) -> Applied:
        """Build from Python values; ``None`` arguments are left out, as Apollo does."""
        return cls(
            name, tuple((key, _value(value)) for key, value in args.items() if value is not None)
        )

    @classmethod
    def copy(cls, node: DirectiveNode) -> Applied:
        return cls(
            node.name.value, tuple((arg.name.value, arg.value) for arg in node.arguments or ())
        )


@dataclass(frozen=True)
class GraphName:
    """A ``join__Graph`` value, printed bare (``graph: USERS``)."""

    value: str


def _value(value: str | bool | GraphName) -> ValueNode:
    if isinstance(value, GraphName):
        return EnumValueNode(value=value.value)
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    return StringValueNode(value=value)


@dataclass
class MergedField:
    """An output field, argument or input field of the supergraph."""

    name: str
    type: TypeNode
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    args: list[MergedField] = field(default_factory=list)
    default: ValueNode | None = None


@dataclass
class MergedEnumValue:
    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)


@dataclass
class MergedType:
    kind: TypeKind
    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    fields: list[MergedField] = field(default_factory=list)
    values: list[MergedEnumValue] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


@dataclass
class MergedDirective:
    """A directive definition the supergraph carries for a composed custom directive."""

    name: str
    description: str | None
    args: list[MergedField]
    repeatable: bool
    locations: list[str]


@dataclass(frozen=True)
class Graph:
    """A subgraph as the supergraph's ``join__Graph`` enum lists it."""

    enum_value: str
    name: str
    url: str


@dataclass
class Supergraph:
    federation_version: tuple[int, int]
    graphs: list[Graph]
    types: list[MergedType]
    roots: dict[str, str]
    # applied to ``schema`` besides the link/join/tag/inaccessible @links
    schema_directives: list[Applied] = field(default_factory=list)
    directives: list[MergedDirective] = field(default_factory=list)
    # the feature spec directives (@tag, @requiresScopes ...) the subgraphs apply
    features: list[UsedDirective] = field(default_factory=list)
