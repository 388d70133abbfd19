"""Comparisons of GraphQL type references (``[String!]``) across subgraphs."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from graphql import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode, print_ast

Combine = Callable[[Iterable[object]], bool]


def named_type(ref: TypeNode) -> str:
    """The named type at the bottom of ``[[T!]]!``."""
    while isinstance(ref, ListTypeNode | NonNullTypeNode):
        ref = ref.type
    assert isinstance(ref, NamedTypeNode)
    return ref.name.value


def type_str(ref: TypeNode) -> str:
    return print_ast(ref)


def merge_output_types(refs: list[TypeNode]) -> TypeNode | None:
    """The type every output ``refs`` fits in (nullable where one is), or None if they clash."""
    return _merge(refs, keep_non_null=all)


def merge_input_types(refs: list[TypeNode]) -> TypeNode | None:
    """The type every input ``refs`` accepts (non-null where one is), or None if they clash."""
    return _merge(refs, keep_non_null=any)


def _merge(refs: list[TypeNode], keep_non_null: Combine) -> TypeNode | None:
    non_null = [isinstance(ref, NonNullTypeNode) for ref in refs]
    inner = [ref.type if isinstance(ref, NonNullTypeNode) else ref for ref in refs]
    merged = _merge_nullable(inner, keep_non_null)
    if merged is None or not keep_non_null(non_null):
        return merged
    return NonNullTypeNode(type=merged)


def _merge_nullable(
    refs: list[TypeNode], keep_non_null: Combine
) -> NamedTypeNode | ListTypeNode | None:
    if all(isinstance(ref, ListTypeNode) for ref in refs):
        item = _merge([ref.type for ref in refs if isinstance(ref, ListTypeNode)], keep_non_null)
        return None if item is None else ListTypeNode(type=item)
    named = [ref for ref in refs if isinstance(ref, NamedTypeNode)]
    if len(named) == len(refs):
        return named[0] if len({named_type(ref) for ref in named}) == 1 else None
    return None
