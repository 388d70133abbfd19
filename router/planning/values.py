"""Argument values as Apollo's planner writes them into subgraph operations.

Apollo reads each literal into a value and prints it back for the argument's type, so
an ``ID`` written as a string of digits goes out as an integer (``user(id: 99)``); the
subgraph coerces it back to the same ID. Subgraphs then receive the same text from us.
"""

from __future__ import annotations

import re

from graphql import (
    ArgumentNode,
    FieldNode,
    GraphQLArgument,
    GraphQLID,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    IntValueNode,
    ListValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    is_input_object_type,
)

_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")


def with_apollo_arguments(node: FieldNode, arguments: dict[str, GraphQLArgument]) -> FieldNode:
    """``node`` with its argument literals written as Apollo writes them."""
    if not node.arguments:
        return node
    written = tuple(
        ArgumentNode(name=a.name, value=_written(a.value, arguments[a.name.value].type))
        if a.name.value in arguments
        else a
        for a in node.arguments
    )
    return FieldNode(
        alias=node.alias,
        name=node.name,
        arguments=written,
        directives=node.directives,
        selection_set=node.selection_set,
    )


def _written(value: ValueNode, type_: GraphQLInputType) -> ValueNode:
    if isinstance(type_, GraphQLNonNull):
        return _written(value, type_.of_type)
    if isinstance(type_, GraphQLList):
        if isinstance(value, ListValueNode):
            return ListValueNode(values=tuple(_written(v, type_.of_type) for v in value.values))
        return _written(value, type_.of_type)
    if isinstance(value, ObjectValueNode) and is_input_object_type(type_):
        fields = type_.fields
        return ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(name=f.name, value=_written(f.value, fields[f.name.value].type))
                if f.name.value in fields
                else f
                for f in value.fields
            )
        )
    if type_ is GraphQLID and isinstance(value, StringValueNode):
        return IntValueNode(value=value.value) if _INTEGER.fullmatch(value.value) else value
    return value
