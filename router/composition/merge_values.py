"""Merge input values (arguments, input fields) by intersection, as Apollo does.

A value only some subgraphs declare is dropped, unless one of them requires it; types merge to
the strictest (non-null where any is); a default survives only when every subgraph gives it.
"""

from __future__ import annotations

from graphql import print_ast

from router.composition.context import (
    MergeContext,
    carried_directives,
    merge_description,
    quoted,
)
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.model import Applied, MergedField
from router.composition.schema import Field
from router.composition.subgraph import Subgraph
from router.composition.typeref import merge_input_types, type_str

ValueSources = list[tuple[Subgraph, dict[str, Field]]]


def merge_input_values(
    context: MergeContext, owner: str, sources: ValueSources, input_fields: bool = False
) -> list[MergedField]:
    """``owner`` is ``Type.field`` for arguments, the input type's name for input fields."""
    names = list(dict.fromkeys(name for _, values in sources for name in values))
    merged = (_merge_value(context, owner, sources, name, input_fields) for name in names)
    return [value for value in merged if value is not None]


def _merge_value(
    context: MergeContext, owner: str, sources: ValueSources, name: str, input_fields: bool
) -> MergedField | None:
    having = [(sg, values[name]) for sg, values in sources if name in values]
    if len(having) < len(sources):
        required = [sg.name for sg, value in having if _is_required(value)]
        if required:
            missing = [sg.name for sg, values in sources if name not in values]
            context.errors.append(_missing(owner, name, required, missing, input_fields))
        return None
    merged_type = merge_input_types([value.type for _, value in having])
    if merged_type is None:
        context.errors.append(_type_mismatch(owner, name, having, input_fields))
        return None
    defaults = [None if v.default is None else print_ast(v.default) for _, v in having]
    if len({d for d in defaults if d is not None}) > 1:
        context.errors.append(_default_mismatch(owner, name, having, input_fields))
    merged = MergedField(
        name,
        merged_type,
        merge_description([value.description for _, value in having]),
        default=having[0][1].default if None not in defaults else None,
    )
    joins: list[Applied] = []
    if input_fields and len({type_str(v.type) for _, v in having}) > 1:
        joins = [
            Applied.of("join__field", graph=context.graph(sg), type=type_str(v.type))
            for sg, v in having
        ]
    merged.directives = carried_directives(context, [(sg, v.directives) for sg, v in having], joins)
    return merged


def _is_required(value: Field) -> bool:
    return value.type.kind == "non_null_type" and value.default is None


def _where(owner: str, name: str, input_fields: bool) -> str:
    return f'Input field "{owner}.{name}"' if input_fields else f'Argument "{owner}({name}:)"'


def _missing(
    owner: str, name: str, required: list[str], missing: list[str], input_fields: bool
) -> CompositionError:
    code = (
        Code.REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH
        if input_fields
        else Code.REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH
    )
    parent, _, field = owner.partition(".")
    return CompositionError(
        code,
        f"{_where(owner, name, input_fields)} is required in subgraph(s) {quoted(required)} "
        f"but missing in {quoted(missing)}. Add it to every subgraph, "
        "or make it optional (nullable or with a default) where it is required.",
        missing[0],
        parent,
        field or name,
    )


def _type_mismatch(
    owner: str, name: str, having: list[tuple[Subgraph, Field]], input_fields: bool
) -> CompositionError:
    types = ", ".join(f'"{type_str(v.type)}" in subgraph "{sg.name}"' for sg, v in having)
    code = Code.FIELD_TYPE_MISMATCH if input_fields else Code.FIELD_ARGUMENT_TYPE_MISMATCH
    parent, _, field = owner.partition(".")
    return CompositionError(
        code,
        f"{_where(owner, name, input_fields)} has incompatible types across subgraphs: {types}. "
        "Give it the same type everywhere (only nullability may differ).",
        having[0][0].name,
        parent,
        field or name,
    )


def _default_mismatch(
    owner: str, name: str, having: list[tuple[Subgraph, Field]], input_fields: bool
) -> CompositionError:
    defaults = ", ".join(
        f'"{print_ast(v.default)}" in subgraph "{sg.name}"' for sg, v in having if v.default
    )
    code = (
        Code.INPUT_FIELD_DEFAULT_MISMATCH if input_fields else Code.FIELD_ARGUMENT_DEFAULT_MISMATCH
    )
    parent, _, field = owner.partition(".")
    return CompositionError(
        code,
        f"{_where(owner, name, input_fields)} has different default values: {defaults}. Use "
        "one default everywhere.",
        having[0][0].name,
        parent,
        field or name,
    )
