"""The plain schema model a subgraph SDL is read into (extensions already folded in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graphql import DirectiveNode, TypeNode, ValueNode

TypeKind = Literal["object", "interface", "union", "enum", "input", "scalar"]


@dataclass
class Field:
    """An output field, an argument or an input field (``default`` for the last two)."""

    name: str
    type: TypeNode
    description: str | None = None
    directives: list[DirectiveNode] = field(default_factory=list)
    args: dict[str, Field] = field(default_factory=dict)
    default: ValueNode | None = None
    # @shareable on the type definition (or extension) that declares this field.
    type_shareable: bool = False


@dataclass
class EnumValue:
    name: str
    description: str | None = None
    directives: list[DirectiveNode] = field(default_factory=list)


@dataclass
class TypeDef:
    kind: TypeKind
    name: str
    description: str | None = None
    directives: list[DirectiveNode] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    values: dict[str, EnumValue] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    # Only ever written as ``extend type``: Apollo marks it ``extension: true``.
    is_extension: bool = True
