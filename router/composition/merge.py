"""Merge validated subgraphs into the supergraph model, type by type."""

from __future__ import annotations

from graphql import DirectiveDefinitionNode, DirectiveNode

from router.composition.access_control import (
    check_transitive_requirements,
    implementations,
    inherited,
)
from router.composition.context import (
    MergeContext,
    Sources,
    carried_directives,
    join_types,
    merge_description,
)
from router.composition.custom_directives import CustomDirectives
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.feature_links import used_directives
from router.composition.merge_enums import merge_enum
from router.composition.merge_fields import merge_fields
from router.composition.merge_values import merge_input_values
from router.composition.model import (
    Applied,
    Graph,
    MergedDirective,
    MergedField,
    MergedType,
    Supergraph,
)
from router.composition.schema import TypeKind
from router.composition.subgraph import Subgraph

ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def merge(
    subgraphs: list[Subgraph], custom: CustomDirectives
) -> tuple[Supergraph, list[CompositionError]]:
    """``subgraphs`` must be sorted by name: Apollo lists graphs, and merges, in that order."""
    context = MergeContext(
        subgraphs,
        composed=custom.names,
        repeatable={name: node.repeatable for name, (_, node) in custom.definitions.items()},
        implementations=implementations(subgraphs),
    )
    names = list(dict.fromkeys(name for subgraph in subgraphs for name in subgraph.types))
    types = [_merge_type(context, name) for name in names]
    merged = [t for t in types if t is not None]
    _add_interface_object_fields(context, merged)
    supergraph = Supergraph(
        federation_version=max(subgraph.version for subgraph in subgraphs),
        graphs=[Graph(s.graph, s.name, s.source.url) for s in subgraphs],
        types=merged,
        roots={op: name for op, name in ROOTS.items() if name in names},
        schema_directives=custom.links
        + carried_directives(context, [(sg, sg.schema_directives) for sg in subgraphs]),
        directives=[
            _custom_directive(context, name, subgraph, node)
            for name, (subgraph, node) in custom.definitions.items()
        ],
        features=used_directives(subgraphs),
    )
    return supergraph, context.errors or check_transitive_requirements(supergraph)


def _custom_directive(
    context: MergeContext, name: str, subgraph: Subgraph, node: DirectiveDefinitionNode
) -> MergedDirective:
    """Directive ``name`` of the supergraph, as ``subgraph`` defines it."""
    args = [
        MergedField(
            arg.name.value,
            arg.type,
            arg.description.value if arg.description else None,
            carried_directives(context, [(subgraph, list(arg.directives or ()))]),
            default=arg.default_value,
        )
        for arg in node.arguments or ()
    ]
    return MergedDirective(
        name,
        node.description.value if node.description else None,
        args,
        node.repeatable,
        [location.value for location in node.locations],
    )


def _merge_type(context: MergeContext, name: str) -> MergedType | None:
    sources = [(sg, sg.types[name]) for sg in context.subgraphs if name in sg.types]
    kinds = {_kind(sg, definition.kind, definition.directives) for sg, definition in sources}
    if len(kinds) > 1:
        context.errors.append(_kind_mismatch(name, sources))
        return None
    kind = kinds.pop()
    if kind == "enum":
        return merge_enum(context, sources)
    merged = MergedType(kind, name, merge_description([d.description for _, d in sources]))
    merged.directives = _implements(context, sources) + join_types(context, sources)
    if kind in ("object", "interface"):
        merged.interfaces = list(dict.fromkeys(i for _, d in sources for i in d.interfaces))
        merged.fields = merge_fields(context, sources, check_sharing=kind == "object")
    elif kind == "input":
        merged.fields = _merge_input_fields(context, sources)
    elif kind == "union":
        merged.members = list(dict.fromkeys(m for _, d in sources for m in d.members))
        merged.directives += _union_members(context, sources, merged.members)
    applications = [(sg, d.directives) for sg, d in sources]
    if kind == "interface":
        applications += inherited(context.subgraphs, context.implementations, name, None)
    merged.directives += carried_directives(
        context, applications, security_first=kind == "interface"
    )
    return merged


def _kind(subgraph: Subgraph, kind: TypeKind, directives: list[DirectiveNode]) -> TypeKind:
    """An ``@interfaceObject`` is the subgraph's view of an interface."""
    return "interface" if subgraph.has(directives, "interfaceObject") else kind


def _implements(context: MergeContext, sources: Sources) -> list[Applied]:
    return [
        Applied.of("join__implements", graph=context.graph(sg), interface=interface)
        for sg, definition in sources
        for interface in definition.interfaces
    ]


def _union_members(context: MergeContext, sources: Sources, members: list[str]) -> list[Applied]:
    return [
        Applied.of("join__unionMember", graph=context.graph(sg), member=member)
        for member in members
        for sg, definition in sources
        if member in definition.members
    ]


def _merge_input_fields(context: MergeContext, sources: Sources) -> list[MergedField]:
    name = sources[0][1].name
    values = [(sg, definition.fields) for sg, definition in sources]
    fields = merge_input_values(context, name, values, input_fields=True)
    if not fields:
        context.errors.append(
            CompositionError(
                Code.EMPTY_MERGED_INPUT_TYPE,
                f'Input type "{name}" keeps only the fields every subgraph defining it has, and '
                "none is shared. Give it at least one field in every subgraph.",
                sources[0][0].name,
                name,
            )
        )
    return fields


def _add_interface_object_fields(context: MergeContext, types: list[MergedType]) -> None:
    """Implementations get the fields an ``@interfaceObject`` adds to their interface.

    No subgraph declares them on the object, so they carry a bare ``@join__field`` (the
    planner resolves them through the interface object's subgraph) and the access control
    the interface object's field asks (first, as Apollo prints them).
    """
    by_name = {t.name: t for t in types}
    for interface in types:
        if not any(_is_interface_object(d) for d in interface.directives):
            continue
        for implementation in types:
            if interface.name not in implementation.interfaces:
                continue
            own = {f.name for f in implementation.fields}
            implementation.fields += [
                MergedField(
                    f.name,
                    f.type,
                    f.description,
                    [*_inherited(context, implementation.name, f.name), Applied.of("join__field")],
                    f.args,
                )
                for f in by_name[interface.name].fields
                if f.name not in own
            ]


def _inherited(context: MergeContext, type_name: str, name: str) -> list[Applied]:
    applications = inherited(context.subgraphs, context.implementations, type_name, name)
    return carried_directives(context, applications)


def _is_interface_object(directive: Applied) -> bool:
    return directive.name == "join__type" and any(
        k == "isInterfaceObject" for k, _ in directive.args
    )


def _kind_mismatch(name: str, sources: Sources) -> CompositionError:
    kinds = ", ".join(f'{d.kind} in subgraph "{sg.name}"' for sg, d in sources)
    return CompositionError(
        Code.TYPE_KIND_MISMATCH,
        f'Type "{name}" has different kinds across subgraphs: {kinds}. Define it with one kind '
        "everywhere, or rename one of them.",
        sources[0][0].name,
        name,
    )
