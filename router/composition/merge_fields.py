"""Merge the fields of an object or interface type, with the ``@join__field``s they need."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as default

from graphql import print_ast

from router.composition.access_control import inherited
from router.composition.arguments import argument
from router.composition.context import (
    MergeContext,
    Sources,
    carried_directives,
    merge_description,
    quoted,
)
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.from_context import context_arguments_value, is_contextual
from router.composition.merge_values import merge_input_values
from router.composition.model import Applied, MergedField
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import merge_output_types, type_str

# (subgraph, its type definition, its field) for the subgraphs that define the field.
Present = list[tuple[Subgraph, TypeDef, Field]]


@dataclass
class Overrides:
    """Who ``@override``s whom for one field, by subgraph name."""

    overridden: set[str] = default(default_factory=set)
    used: set[str] = default(default_factory=set)
    labels: dict[str, str] = default(default_factory=dict)


def merge_fields(context: MergeContext, sources: Sources, check_sharing: bool) -> list[MergedField]:
    names = list(dict.fromkeys(name for _, definition in sources for name in definition.fields))
    merged = (_merge_field(context, sources, name, check_sharing) for name in names)
    return [field for field in merged if field is not None]


def _merge_field(
    context: MergeContext, sources: Sources, name: str, check_sharing: bool
) -> MergedField | None:
    parent = sources[0][1].name
    present = [(sg, t, t.fields[name]) for sg, t in sources if name in t.fields]
    merged_type = merge_output_types([f.type for _, _, f in present])
    if merged_type is None:
        context.errors.append(_type_mismatch(parent, name, present))
        return None
    all_equal = len({type_str(f.type) for _, _, f in present}) == 1
    overrides = _overrides(context, parent, name, present)
    resolving = [(sg, t, f) for sg, t, f in present if not sg.is_external(t, f)]
    contextual = _contextual_names(context, parent, name, present)
    arg_sources = _arg_sources(present, resolving, contextual)
    args = merge_input_values(context, f"{parent}.{name}", arg_sources)
    merged = MergedField(
        name,
        merged_type,
        merge_description([f.description for _, _, f in present]),
        args=args,
    )
    joins: list[Applied] = []
    if contextual or _needs_join_field(sources, name, all_equal, overrides):
        joins = _join_fields(context, present, all_equal, overrides)
    applications = [(sg, f.directives) for sg, _, f in (resolving or present)]
    applications += inherited(context.subgraphs, context.implementations, parent, name)
    merged.directives = carried_directives(context, applications, joins, security_first=True)
    if not resolving:
        context.errors.append(_missing_on_base(parent, name, present))
    elif len(resolving) < len(present):
        context.errors += _carried_on_external(context, parent, name, present)
    live = [(sg, t, f) for sg, t, f in resolving if sg.name not in overrides.overridden]
    if check_sharing and len(live) > 1 and not all(sg.is_shareable(t, f) for sg, t, f in live):
        context.errors.append(_not_shareable(parent, name, live))
    return merged


def _arg_sources(
    present: Present, resolving: Present, contextual: set[str]
) -> list[tuple[Subgraph, dict[str, Field]]]:
    """Arguments merge over the subgraphs resolving the field (all when none does); the
    supergraph has no contextual argument."""
    return [
        (sg, {n: arg for n, arg in f.args.items() if n not in contextual})
        for sg, _, f in (resolving or present)
    ]


def _contextual_names(context: MergeContext, parent: str, name: str, present: Present) -> set[str]:
    """The arguments some subgraph marks ``@fromContext``; where another subgraph has one
    without it, it must be optional there (clients cannot pass it)."""
    contextual = {
        arg_name
        for sg, _, f in present
        for arg_name, arg in f.args.items()
        if is_contextual(sg, arg)
    }
    for sg, _, f in present:
        for arg_name in contextual & f.args.keys():
            arg = f.args[arg_name]
            if not is_contextual(sg, arg) and arg.type.kind == "non_null_type" and not arg.default:
                context.errors.append(_not_contextual_everywhere(sg, parent, name, arg_name))
    return contextual


def _overrides(context: MergeContext, parent: str, name: str, present: Present) -> Overrides:
    by_name = {sg.name: (sg, f) for sg, _, f in present}
    result = Overrides()
    for subgraph, _, field in present:
        for directive in subgraph.applied(field.directives, "override"):
            source = str(argument(directive, "from"))
            label = argument(directive, "label")
            where = f'Field "{parent}.{name}" in subgraph "{subgraph.name}"'
            if source == subgraph.name:
                context.errors.append(
                    CompositionError(
                        Code.OVERRIDE_FROM_SELF_ERROR,
                        f"{where} overrides itself; name the subgraph it takes the field from "
                        "in @override(from:).",
                        subgraph.name,
                        parent,
                        name,
                    )
                )
                continue
            if source not in by_name:
                continue
            other, other_field = by_name[source]
            if other.has(other_field.directives, "override"):
                context.errors.append(
                    CompositionError(
                        Code.OVERRIDE_SOURCE_HAS_OVERRIDE,
                        f'{where} overrides subgraph "{source}", whose field has an @override '
                        "too; keep only one @override for the field.",
                        subgraph.name,
                        parent,
                        name,
                    )
                )
                continue
            result.overridden.add(source)
            if (parent, name) in other.key_fields:
                result.used.add(source)
            if label is not None:
                result.labels[source] = result.labels[subgraph.name] = str(label)
    return result


def _needs_join_field(sources: Sources, name: str, all_equal: bool, overrides: Overrides) -> bool:
    """False when every subgraph with the type resolves the field plainly, as Apollo decides."""
    if not all_equal or overrides.used or overrides.labels:
        return True
    for subgraph, definition in sources:
        field = definition.fields.get(name)
        if field is None or subgraph.name in overrides.overridden:
            return True
        if subgraph.is_external(definition, field) or any(
            subgraph.has(field.directives, d) for d in ("requires", "provides")
        ):
            return True
    return False


def _join_fields(
    context: MergeContext, present: Present, all_equal: bool, overrides: Overrides
) -> list[Applied]:
    applied = []
    for subgraph, definition, field in present:
        label = overrides.labels.get(subgraph.name)
        if subgraph.name in overrides.overridden - overrides.used and label is None:
            continue
        override = subgraph.applied(field.directives, "override")
        join = Applied.of(
            "join__field",
            graph=context.graph(subgraph),
            requires=_field_set(subgraph, field, "requires"),
            provides=_field_set(subgraph, field, "provides"),
            type=None if all_equal else print_ast(field.type),
            external=subgraph.is_external(definition, field) or None,
            override=str(argument(override[0], "from")) if override else None,
            usedOverridden=(subgraph.name in overrides.used) or None,
            overrideLabel=label,
        )
        contexts = context_arguments_value(subgraph, field)
        if contexts is not None:
            join = Applied(join.name, (*join.args, ("contextArguments", contexts)))
        applied.append(join)
    return applied


def _field_set(subgraph: Subgraph, field: Field, directive: str) -> str | None:
    applied = subgraph.applied(field.directives, directive)
    return str(argument(applied[0], "fields")) if applied else None


def _type_mismatch(parent: str, name: str, present: Present) -> CompositionError:
    types = ", ".join(f'"{type_str(f.type)}" in subgraph "{sg.name}"' for sg, _, f in present)
    return CompositionError(
        Code.FIELD_TYPE_MISMATCH,
        f'Field "{parent}.{name}" has incompatible types across subgraphs: {types}. Give it '
        "the same type everywhere (only nullability may differ).",
        present[0][0].name,
        parent,
        name,
    )


def _not_contextual_everywhere(
    subgraph: Subgraph, parent: str, name: str, arg: str
) -> CompositionError:
    return CompositionError(
        Code.CONTEXTUAL_ARGUMENT_NOT_CONTEXTUAL_IN_ALL_SUBGRAPHS,
        f'Argument "{parent}.{name}({arg}:)" is contextual in at least one subgraph but in '
        f'"{parent}.{name}({arg}:)" of subgraph "{subgraph.name}" it does not have '
        "@fromContext, is not nullable and has no default value. Mark it @fromContext there "
        "too, or make it nullable.",
        subgraph.name,
        parent,
        name,
    )


def _missing_on_base(parent: str, name: str, present: Present) -> CompositionError:
    subgraphs = quoted([sg.name for sg, _, _ in present])
    return CompositionError(
        Code.EXTERNAL_MISSING_ON_BASE,
        f'Field "{parent}.{name}" is @external in every subgraph defining it ({subgraphs}), '
        "so no subgraph resolves it. Define it without @external in the subgraph that owns it.",
        present[0][0].name,
        parent,
        name,
    )


def _carried_on_external(
    context: MergeContext, parent: str, name: str, present: Present
) -> list[CompositionError]:
    """Apollo keeps a field's directives from the subgraphs resolving it only, and refuses
    them where the field is @external rather than drop them silently."""
    return [
        CompositionError(
            Code.MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL,
            f"[{sg.name}] Cannot apply merged directive @{node.name.value} to external field "
            f'"{parent}.{name}". Apply it where the field is resolved, and remove it here.',
            sg.name,
            parent,
            name,
        )
        for sg, t, f in present
        if sg.is_external(t, f)
        for node in f.directives
        if context.carried_name(sg, node.name.value) is not None
    ]


def _not_shareable(parent: str, name: str, live: Present) -> CompositionError:
    subgraphs = quoted([sg.name for sg, _, _ in live])
    unshared = quoted([sg.name for sg, t, f in live if not sg.is_shareable(t, f)])
    return CompositionError(
        Code.INVALID_FIELD_SHARING,
        f'Non-shareable field "{parent}.{name}" is resolved by subgraphs {subgraphs} and is not '
        f"@shareable in {unshared}. Mark it @shareable in every subgraph resolving it, or "
        "resolve it in one subgraph only (@external or @override in the others).",
        live[0][0].name,
        parent,
        name,
    )
