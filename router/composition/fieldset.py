"""FieldSet strings (``@key(fields: "id store { id }")``) parsed and checked against a type."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from router.composition.schema import Field, TypeDef
from router.composition.typeref import named_type


@dataclass(frozen=True)
class Selected:
    """One field a FieldSet selects; ``top`` is true for the first level."""

    parent: TypeDef
    field: Field
    top: bool
    has_args: bool


@dataclass
class Resolution:
    selected: list[Selected] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_selection_set(text: str) -> SelectionSetNode:
    """``text`` (``"id store { id }"``) as a selection set; GraphQLSyntaxError if it is not one."""
    operation = parse("{" + text + "}", no_location=True).definitions[0]
    # Braces around selections parse as an anonymous query, or not at all.
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def resolve_field_set(types: dict[str, TypeDef], parent: TypeDef, text: str) -> Resolution:
    """The fields ``text`` selects from ``parent``, and what is wrong with it if anything."""
    resolution = Resolution()
    try:
        selection_set = parse_selection_set(text)
    except GraphQLSyntaxError as error:
        resolution.problems.append(f"Syntax error: {error.message}")
        return resolution
    _walk(types, parent, selection_set, True, resolution)
    return resolution


def _walk(
    types: dict[str, TypeDef],
    parent: TypeDef,
    selection_set: SelectionSetNode,
    top: bool,
    out: Resolution,
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            target = types.get(condition) if condition else parent
            if target is None:
                out.problems.append(f'Unknown type "{condition}"')
            else:
                _walk(types, target, selection.selection_set, top, out)
            continue
        assert isinstance(selection, FieldNode)
        _select(types, parent, selection, top, out)


def _select(
    types: dict[str, TypeDef], parent: TypeDef, node: FieldNode, top: bool, out: Resolution
) -> None:
    name = node.name.value
    if name == "__typename":
        return
    found = parent.fields.get(name)
    if found is None:
        out.problems.append(f'Cannot query field "{name}" on type "{parent.name}"')
        return
    out.selected.append(Selected(parent, found, top, bool(node.arguments)))
    child = types.get(named_type(found.type))
    if node.selection_set is None:
        if child is not None and child.kind in ("object", "interface", "union"):
            out.problems.append(
                f'Field "{parent.name}.{name}" of type "{child.name}" must have a selection of '
                "sub-fields"
            )
        return
    if child is None or child.kind not in ("object", "interface", "union"):
        out.problems.append(f'Field "{parent.name}.{name}" must not have a selection')
        return
    _walk(types, child, node.selection_set, False, out)
