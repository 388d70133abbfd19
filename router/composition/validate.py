"""Checks on one subgraph before merging: its @key, @requires, @provides and @external."""

from __future__ import annotations

from collections.abc import Iterator

from router.composition.arguments import argument
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.fieldset import Resolution, resolve_field_set
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type
from router.composition.validate_context import context_used_fields, validate_contexts
from router.composition.validate_features import validate_features

COMPOSITE = ("object", "interface", "union")


def validate_subgraph(subgraph: Subgraph) -> list[CompositionError]:
    """Every problem of ``subgraph`` that Apollo reports before it merges anything."""
    errors = [*_check_keys(subgraph)]
    used: set[tuple[str, str]] = set(subgraph.key_fields) | context_used_fields(subgraph)
    for parent in _composite_types(subgraph):
        for field in parent.fields.values():
            errors += _check_requires(subgraph, parent, field, used)
            errors += _check_provides(subgraph, parent, field, used)
    errors += _check_external_unused(subgraph, used)
    return errors + validate_features(subgraph) + validate_contexts(subgraph)


def _composite_types(subgraph: Subgraph) -> list[TypeDef]:
    return [t for t in subgraph.types.values() if t.kind in ("object", "interface")]


def _error(
    subgraph: Subgraph, code: Code, message: str, parent: str, field: str | None = None
) -> CompositionError:
    return CompositionError(code, f"[{subgraph.name}] {message}", subgraph.name, parent, field)


def _check_keys(subgraph: Subgraph) -> Iterator[CompositionError]:
    for parent in _composite_types(subgraph):
        for _, fields in subgraph.field_sets(parent, "key"):
            where = f'On type "{parent.name}", for @key(fields: "{fields}")'
            resolution = resolve_field_set(subgraph.types, parent, fields)
            for problem in resolution.problems:
                yield _error(
                    subgraph,
                    Code.KEY_INVALID_FIELDS,
                    f"{where}: {problem}. Add the field to this subgraph (with @external if "
                    "another subgraph resolves it) or fix the key.",
                    parent.name,
                )
            yield from _check_key_selection(subgraph, parent, where, resolution)


def _check_key_selection(
    subgraph: Subgraph, parent: TypeDef, where: str, resolution: Resolution
) -> Iterator[CompositionError]:
    for selected in resolution.selected:
        path = f"{selected.parent.name}.{selected.field.name}"
        target = subgraph.types.get(named_type(selected.field.type))
        if target is not None and target.kind in ("interface", "union"):
            yield _error(
                subgraph,
                Code.KEY_FIELDS_SELECT_INVALID_TYPE,
                f'{where}: field "{path}" is of {target.kind} type "{target.name}", which a '
                "@key may not select. Key on fields of object, scalar or enum types instead.",
                parent.name,
                selected.field.name,
            )
        if selected.has_args or selected.field.args:
            yield _error(
                subgraph,
                Code.KEY_FIELDS_HAS_ARGS,
                f'{where}: field "{path}" has arguments, which a @key may not select.',
                parent.name,
                selected.field.name,
            )


def _check_requires(
    subgraph: Subgraph, parent: TypeDef, field: Field, used: set[tuple[str, str]]
) -> list[CompositionError]:
    errors: list[CompositionError] = []
    for directive in subgraph.applied(field.directives, "requires"):
        fields = str(argument(directive, "fields"))
        where = f'On field "{parent.name}.{field.name}", for @requires(fields: "{fields}")'
        resolution = resolve_field_set(subgraph.types, parent, fields)
        errors += [
            _error(
                subgraph,
                Code.REQUIRES_INVALID_FIELDS,
                f"{where}: {problem}. Declare the required field in this subgraph with @external.",
                parent.name,
                field.name,
            )
            for problem in resolution.problems
        ]
        errors += _must_be_external(subgraph, resolution, where, "requires", parent, field)
        used.update((s.parent.name, s.field.name) for s in resolution.selected)
    return errors


def _check_provides(
    subgraph: Subgraph, parent: TypeDef, field: Field, used: set[tuple[str, str]]
) -> list[CompositionError]:
    errors: list[CompositionError] = []
    for directive in subgraph.applied(field.directives, "provides"):
        fields = str(argument(directive, "fields"))
        where = f'On field "{parent.name}.{field.name}", for @provides(fields: "{fields}")'
        target = subgraph.types.get(named_type(field.type))
        if target is None or target.kind not in COMPOSITE:
            errors.append(
                _error(
                    subgraph,
                    Code.PROVIDES_ON_NON_OBJECT_FIELD,
                    f"{where}: the field returns a leaf type; @provides needs an object, "
                    "interface or union type. Remove the @provides.",
                    parent.name,
                    field.name,
                )
            )
            continue
        resolution = resolve_field_set(subgraph.types, target, fields)
        errors += [
            _error(
                subgraph,
                Code.PROVIDES_INVALID_FIELDS,
                f"{where}: {problem}. Declare the provided field in this subgraph with @external.",
                parent.name,
                field.name,
            )
            for problem in resolution.problems
        ]
        errors += _must_be_external(subgraph, resolution, where, "provides", parent, field)
        used.update((s.parent.name, s.field.name) for s in resolution.selected)
    return errors


def _must_be_external(
    subgraph: Subgraph,
    resolution: Resolution,
    where: str,
    directive: str,
    parent: TypeDef,
    field: Field,
) -> list[CompositionError]:
    code = (
        Code.REQUIRES_FIELDS_MISSING_EXTERNAL
        if directive == "requires"
        else Code.PROVIDES_FIELDS_MISSING_EXTERNAL
    )
    return [
        _error(
            subgraph,
            code,
            f'{where}: field "{s.parent.name}.{s.field.name}" is resolved by this subgraph '
            f"already (it is not @external); mark it @external or drop it from the @{directive}.",
            parent.name,
            field.name,
        )
        for s in resolution.selected
        if s.top and not subgraph.is_external(s.parent, s.field)
    ]


def _check_external_unused(
    subgraph: Subgraph, used: set[tuple[str, str]]
) -> list[CompositionError]:
    errors: list[CompositionError] = []
    for parent in _composite_types(subgraph):
        for field in parent.fields.values():
            if not subgraph.is_external(parent, field) or (parent.name, field.name) in used:
                continue
            if _satisfies_interface(subgraph, parent, field.name):
                continue
            errors.append(
                _error(
                    subgraph,
                    Code.EXTERNAL_UNUSED,
                    f'Field "{parent.name}.{field.name}" is marked @external but no @key, '
                    "@requires or @provides uses it, nor does an interface need it. Remove the "
                    "field, or drop @external if this subgraph resolves it.",
                    parent.name,
                    field.name,
                )
            )
    return errors


def _satisfies_interface(subgraph: Subgraph, parent: TypeDef, field_name: str) -> bool:
    interfaces = (subgraph.types.get(name) for name in parent.interfaces)
    return any(i is not None and field_name in i.fields for i in interfaces)
