"""Merge enums: by union when only output uses them, by intersection when only input does,
and strictly (same values everywhere) when both do, since a value must then round-trip."""

from __future__ import annotations

from typing import Literal

from router.composition.context import (
    MergeContext,
    Sources,
    carried_directives,
    join_types,
    quoted,
)
from router.composition.context import merge_description as describe
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.model import Applied, MergedEnumValue, MergedType
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type

Usage = Literal["input", "output", "both", "unused"]


def enum_usage(subgraphs: list[Subgraph], name: str) -> Usage:
    """Whether any subgraph uses enum ``name`` as an input type, an output type, or both."""
    seen: set[str] = set()
    for subgraph in subgraphs:
        for definition in subgraph.types.values():
            for field in definition.fields.values():
                position = "input" if definition.kind == "input" else "output"
                seen.update([position] if named_type(field.type) == name else [])
                if any(named_type(arg.type) == name for arg in field.args.values()):
                    seen.add("input")
    if len(seen) == 2:
        return "both"
    return "unused" if not seen else "input" if "input" in seen else "output"


def merge_enum(context: MergeContext, sources: Sources) -> MergedType:
    name = sources[0][1].name
    usage = enum_usage(context.subgraphs, name)
    names = list(dict.fromkeys(v for _, definition in sources for v in definition.values))
    if usage == "both":
        _check_same_values(context, sources, names)
    if usage == "input":
        names = [v for v in names if all(v in d.values for _, d in sources)]
        if not names:
            context.errors.append(_empty(name, sources))
    merged = MergedType("enum", name, describe([d.description for _, d in sources]))
    merged.directives = join_types(context, sources)
    merged.directives += carried_directives(context, [(sg, d.directives) for sg, d in sources])
    merged.values = [_merge_value(context, sources, value) for value in names]
    return merged


def _merge_value(context: MergeContext, sources: Sources, name: str) -> MergedEnumValue:
    having = [(sg, d.values[name]) for sg, d in sources if name in d.values]
    value = MergedEnumValue(name, describe([v.description for _, v in having]))
    joins = [Applied.of("join__enumValue", graph=context.graph(sg)) for sg, _ in having]
    value.directives = carried_directives(context, [(sg, v.directives) for sg, v in having], joins)
    return value


def _check_same_values(context: MergeContext, sources: Sources, names: list[str]) -> None:
    enum = sources[0][1].name
    for value in names:
        missing = [sg.name for sg, d in sources if value not in d.values]
        if not missing:
            continue
        defined = [sg.name for sg, d in sources if value in d.values]
        context.errors.append(
            CompositionError(
                Code.ENUM_VALUE_MISMATCH,
                f'Enum "{enum}" is used as both an input and an output type, so its values must '
                f'match in every subgraph, but value "{value}" is defined in subgraph(s) '
                f"{quoted(defined)} and missing in {quoted(missing)}. Add the value to "
                "every subgraph defining the enum, or remove it.",
                missing[0],
                enum,
            )
        )


def _empty(name: str, sources: Sources) -> CompositionError:
    return CompositionError(
        Code.EMPTY_MERGED_ENUM_TYPE,
        f'Enum "{name}" is used only as an input type, so only values every subgraph defines '
        "are kept, and none is. Share at least one value across subgraphs.",
        sources[0][0].name,
        name,
    )
