"""Checks on one subgraph's @context and @fromContext applications, with Apollo's codes.

A context name is alphanumeric; a ``@fromContext`` argument sits on an object field (not
one an interface declares), has no default, names a context the subgraph sets, selects
exactly one value of the argument's type from every type setting it, and its object has
a resolvable key (the router fetches the field through ``_entities``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import (
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    ListTypeNode,
    NonNullTypeNode,
    SelectionSetNode,
    TypeNode,
    print_ast,
)

from router.composition.arguments import argument
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.fieldset import parse_selection_set, resolve_field_set
from router.composition.from_context import ContextualArgument, contextual_arguments
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type, type_str

_NAME = re.compile(r"^[A-Za-z]\w*$")


def validate_contexts(subgraph: Subgraph) -> list[CompositionError]:
    errors = list(_context_names(subgraph))
    setters = context_setters(subgraph)
    for parent in subgraph.types.values():
        for field in parent.fields.values():
            for found in contextual_arguments(subgraph, field):
                errors += _check_argument(subgraph, setters, parent, field, found)
    for name, definition in subgraph.directive_definitions.items():
        for arg in definition.arguments or ():
            if any(
                subgraph.federation_names.get(d.name.value) == "fromContext"
                for d in arg.directives or ()
            ):
                errors.append(
                    _error(
                        subgraph,
                        Code.CONTEXT_NOT_SET,
                        f"@fromContext argument cannot be used on a directive definition "
                        f'"@{name}({arg.name.value}:)".',
                        name,
                    )
                )
    return errors


def context_setters(subgraph: Subgraph) -> dict[str, list[TypeDef]]:
    """Context name -> the types setting it, in the subgraph's order."""
    setters: dict[str, list[TypeDef]] = {}
    for parent in subgraph.types.values():
        for node in subgraph.applied(parent.directives, "context"):
            setters.setdefault(str(argument(node, "name")), []).append(parent)
    return setters


def context_used_fields(subgraph: Subgraph) -> set[tuple[str, str]]:
    """``(type, field)`` of every field a ``@fromContext`` selection reads: an @external
    field read this way is used."""
    setters = context_setters(subgraph)
    used: set[tuple[str, str]] = set()
    for parent in subgraph.types.values():
        for field in parent.fields.values():
            for found in contextual_arguments(subgraph, field):
                for location in setters.get(found.context, ()):
                    resolution = resolve_field_set(subgraph.types, location, _braced(found))
                    used.update((s.parent.name, s.field.name) for s in resolution.selected)
    return used


def _error(
    subgraph: Subgraph, code: Code, message: str, parent: str, field: str | None = None
) -> CompositionError:
    return CompositionError(code, f"[{subgraph.name}] {message}", subgraph.name, parent, field)


def _context_names(subgraph: Subgraph) -> Iterator[CompositionError]:
    for parent in subgraph.types.values():
        for node in subgraph.applied(parent.directives, "context"):
            name = str(argument(node, "name"))
            if "_" in name:
                problem = "may not contain an underscore"
            elif not _NAME.match(name):
                problem = "is invalid. It should have only alphanumeric characters"
            else:
                continue
            yield _error(
                subgraph,
                Code.CONTEXT_NAME_INVALID,
                f'Context name "{name}" on type "{parent.name}" {problem}.',
                parent.name,
            )


def _check_argument(
    subgraph: Subgraph,
    setters: dict[str, list[TypeDef]],
    parent: TypeDef,
    field: Field,
    found: ContextualArgument,
) -> list[CompositionError]:
    where = f"{parent.name}.{field.name}({found.name}:)"

    def error(code: Code, message: str) -> CompositionError:
        return _error(subgraph, code, message, parent.name, field.name)

    if parent.kind != "object" or subgraph.has(parent.directives, "interfaceObject"):
        return [
            error(
                Code.CONTEXT_NOT_SET,
                f"@fromContext argument cannot be used on a field that exists on an abstract "
                f'type "{where}".',
            )
        ]
    errors = [
        error(
            Code.CONTEXT_NOT_SET,
            f"@fromContext argument cannot be used on a field implementing an interface field "
            f'"{interface}.{field.name}".',
        )
        for interface in parent.interfaces
        if field.name in getattr(subgraph.types.get(interface), "fields", {})
    ]
    if found.argument.default is not None:
        errors.append(
            error(
                Code.CONTEXT_NOT_SET,
                f'@fromContext arguments may not have a default value: "{where}".',
            )
        )
    if not found.context or not found.selection:
        errors.append(
            error(
                Code.NO_CONTEXT_IN_SELECTION,
                f'@fromContext argument of "{where}" does not reference a context.',
            )
        )
        return errors
    locations = setters.get(found.context)
    if locations is None:
        errors.append(
            error(
                Code.CONTEXT_NOT_SET,
                f'Context "{found.context}" is used at location "{where}" but is never set.',
            )
        )
    else:
        problem = _selection_problem(subgraph, locations, found)
        if problem is not None:
            errors.append(
                error(
                    Code.CONTEXT_INVALID_SELECTION,
                    f'Context "{found.context}" is used in "{where}" but the selection is '
                    f"invalid: {problem}",
                )
            )
    if not _has_resolvable_key(subgraph, parent):
        errors.append(
            error(
                Code.CONTEXT_NO_RESOLVABLE_KEY,
                f'Object "{parent.name}" has no resolvable key but its field '
                f'"{parent.name}.{field.name}" has a contextual argument. Give it a @key the '
                "router can fetch it by.",
            )
        )
    return errors


def _has_resolvable_key(subgraph: Subgraph, parent: TypeDef) -> bool:
    return any(
        argument(node, "resolvable") is not False
        for node in subgraph.applied(parent.directives, "key")
    )


def _braced(found: ContextualArgument) -> str:
    text = found.selection.strip()
    return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def _selection_problem(
    subgraph: Subgraph, locations: list[TypeDef], found: ContextualArgument
) -> str | None:
    try:
        selection_set = parse_selection_set(_braced(found))
    except GraphQLSyntaxError as error:
        return error.message
    selections = selection_set.selections
    expected = found.argument.type
    fragments = [s for s in selections if isinstance(s, InlineFragmentNode)]
    if len(fragments) == len(selections):
        return _fragments_problem(subgraph, locations, fragments, expected)
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return "multiple selections are made"
    for location in locations:
        problem = _field_problem(subgraph, location, selection_set, expected)
        if problem is not None:
            return problem
    return None


def _field_problem(
    subgraph: Subgraph, location: TypeDef, selection_set: SelectionSetNode, expected: TypeNode
) -> str | None:
    resolution = resolve_field_set(subgraph.types, location, _print(selection_set))
    if resolution.problems:
        return f"it cannot be read from type {location.name}: {resolution.problems[0]}."
    if _has_alias_or_directive(selection_set):
        return "aliases and directives are not allowed in the selection"
    resolved = _selected_type(subgraph, location, selection_set)
    if resolved is None or not _fits(resolved, expected):
        return (
            f'the type of the selection "{resolved}" does not match the expected type '
            f'"{type_str(expected)}"'
        )
    return None


def _fragments_problem(
    subgraph: Subgraph,
    locations: list[TypeDef],
    fragments: list[InlineFragmentNode],
    expected: TypeNode,
) -> str | None:
    conditions = [f.type_condition.name.value for f in fragments if f.type_condition]
    if len(conditions) != len(fragments) or len(set(conditions)) != len(conditions):
        return "inline fragments must have distinct type conditions"
    by_condition = dict(zip(conditions, fragments, strict=True))
    used: set[str] = set()
    for location in locations:
        possible = _possible_types(subgraph, location)
        matching = [name for name in by_condition if name in possible]
        if not matching:
            return f'no type condition matches the location "{location.name}"'
        for name in matching:
            condition = subgraph.types[name]
            used.add(condition.name)
            selection_set = by_condition[name].selection_set
            problem = _field_problem(subgraph, condition, selection_set, expected)
            if problem is not None:
                return problem
    unused = [name for name in conditions if name not in used]
    return f'type condition "{unused[0]}" is never used.' if unused else None


def _possible_types(subgraph: Subgraph, location: TypeDef) -> set[str]:
    if location.kind == "union":
        return set(location.members)
    if location.kind == "interface":
        return {t.name for t in subgraph.types.values() if location.name in t.interfaces}
    return {location.name}


def _selected_type(
    subgraph: Subgraph, parent: TypeDef, selection_set: SelectionSetNode
) -> str | None:
    """The type the selection yields (list levels kept, non-null dropped, as Apollo
    compares them), or None when its fields yield different types."""
    types = set()
    for selection in selection_set.selections:
        assert isinstance(selection, FieldNode)
        field = parent.fields[selection.name.value]
        inner = named_type(field.type)
        if selection.selection_set is not None:
            child = _selected_type(subgraph, subgraph.types[inner], selection.selection_set)
            if child is None:
                return None
            inner = child
        types.add(_lists(field.type, inner))
    return types.pop() if len(types) == 1 else None


def _lists(ref: TypeNode, inner: str) -> str:
    if isinstance(ref, NonNullTypeNode):
        return _lists(ref.type, inner)
    if isinstance(ref, ListTypeNode):
        return f"[{_lists(ref.type, inner)}]"
    return inner


def _fits(resolved: str, expected: TypeNode) -> bool:
    """GraphQL's IsValidImplementationFieldType, of a resolved type with no non-null."""
    if isinstance(expected, ListTypeNode):
        return resolved.startswith("[") and _fits(resolved[1:-1], expected.type)
    return not isinstance(expected, NonNullTypeNode) and resolved == named_type(expected)


def _has_alias_or_directive(selection_set: SelectionSetNode) -> bool:
    for selection in selection_set.selections:
        if selection.directives or (isinstance(selection, FieldNode) and selection.alias):
            return True
        if not isinstance(selection, FieldNode | InlineFragmentNode):
            continue
        inner = selection.selection_set
        if inner is not None and _has_alias_or_directive(inner):
            return True
    return False


def _print(selection_set: SelectionSetNode) -> str:
    return print_ast(selection_set)[1:-1]
