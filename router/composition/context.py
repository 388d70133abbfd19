"""What every merge step shares: the subgraphs, their graph names and the errors so far."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import DirectiveNode, StringValueNode, value_from_ast_untyped

from router.composition.arguments import argument
from router.composition.directive_arguments import merge_arguments
from router.composition.errors import CompositionError
from router.composition.feature_specs import (
    ACCESS_CONTROL,
    BY_DIRECTIVE,
    DIRECTIVE_ORDER,
    REPEATABLE,
)
from router.composition.model import Applied, GraphName
from router.composition.schema import TypeDef
from router.composition.subgraph import Subgraph

# Type sources: the subgraphs defining a type, in graph order, with their definition.
Sources = list[tuple[Subgraph, TypeDef]]
CARRIED = DIRECTIVE_ORDER
BUILT_IN_CARRIED = ("deprecated", "specifiedBy")
DEPRECATED = "No longer supported"


@dataclass
class MergeContext:
    subgraphs: list[Subgraph]
    errors: list[CompositionError] = field(default_factory=list)
    # subgraph name -> the custom directives (@composeDirective) kept from it
    composed: dict[str, frozenset[str]] = field(default_factory=dict)
    # custom directive -> whether the supergraph defines it repeatable
    repeatable: dict[str, bool] = field(default_factory=dict)
    # interface -> the object types implementing it in the supergraph
    implementations: dict[str, list[str]] = field(default_factory=dict)

    def graph(self, subgraph: Subgraph) -> GraphName:
        return GraphName(subgraph.graph)

    def carried_name(self, subgraph: Subgraph, local: str) -> str | None:
        """The supergraph name of directive ``local`` of ``subgraph`` if the supergraph keeps
        its applications: @inaccessible, @tag, built-in and composed custom directives."""
        federation = subgraph.federation_names.get(local)
        if federation in CARRIED:
            return federation
        if local in BUILT_IN_CARRIED or local in self.composed.get(subgraph.name, ()):
            return local
        return None

    def defaults(self, subgraph: Subgraph, local: str) -> dict[str, Any]:
        """Directive ``local``'s argument defaults, as ``subgraph`` defines it."""
        if local == "deprecated":
            return {"reason": DEPRECATED}
        federation = subgraph.federation_names.get(local)
        spec = BY_DIRECTIVE.get(federation or "")
        if spec is not None:
            return dict(spec.defaults.get(federation or "", {}))
        definition = subgraph.directive_definitions.get(local)
        arguments = definition.arguments if definition is not None else ()
        return {
            arg.name.value: value_from_ast_untyped(arg.default_value)
            for arg in arguments or ()
            if arg.default_value is not None
        }


def graph_enum_values(names: list[str]) -> list[str]:
    """``join__Graph`` values for subgraph ``names``: upper snake case, numbered on clashes."""
    bases = [re.sub(r"\W", "_", name).upper() for name in names]
    bases = [f"_{base}" if base[:1].isdigit() else base for base in bases]
    counts = Counter(bases)
    seen: Counter[str] = Counter()
    values = []
    for base in bases:
        if counts[base] == 1:
            values.append(base)
        else:
            seen[base] += 1
            values.append(f"{base}_{seen[base]}")
    return values


def quoted(names: list[str]) -> str:
    """``"a"``, ``"a" and "b"``, ``"a", "b" and "c"``: subgraph names in messages."""
    marked = [f'"{name}"' for name in names]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]


def merge_description(descriptions: list[str | None]) -> str | None:
    """The description most subgraphs give; an empty one only when there is nothing else."""
    counts = Counter(d for d in descriptions if d is not None)
    if not counts:
        return None
    non_empty = [d for d in counts if d != ""]
    if not non_empty:
        return ""
    # Counter keeps first-seen order, so ties go to the first subgraph.
    return max(non_empty, key=lambda d: counts[d])


def carried_directives(
    context: MergeContext,
    applications: list[tuple[Subgraph, list[DirectiveNode]]],
    joins: Sequence[Applied] = (),
    security_first: bool = False,
) -> list[Applied]:
    """The applications the supergraph keeps, as Apollo orders them: @inaccessible, then
    the element's ``joins`` (``@join__field`` ...), then the others by name, in the order
    first seen (access control first when ``security_first``, as for fields and interfaces):
    every distinct application of a repeatable directive (@tag ...); for the others, the one
    application if all agree, else their merged arguments for the directives that merge
    them (@requiresScopes, @cost ...), else the most common one (first on ties).

    A directive one subgraph composes brings along its namesakes' applications to the same
    element in the subgraphs that do not compose it, as in Apollo.
    """
    names = {
        name: None
        for subgraph, directives in applications
        for node in directives
        if (name := context.carried_name(subgraph, node.name.value)) is not None
    }
    carried = [Applied.of("inaccessible")] if "inaccessible" in names else []
    carried += joins
    names.pop("inaccessible", None)
    if security_first:
        names = {name: None for name in ACCESS_CONTROL if name in names} | names
    for name in names:
        found = [
            _application(context, subgraph, name, node)
            for subgraph, directives in applications
            for node in directives
            if (context.carried_name(subgraph, node.name.value) or node.name.value) == name
        ]
        carried += _keep(name, found, context.repeatable.get(name, name in REPEATABLE))
    return carried


def _application(
    context: MergeContext, subgraph: Subgraph, name: str, node: DirectiveNode
) -> tuple[Applied, dict[str, Any]]:
    """The application as the supergraph carries it, and its arguments' values (omitted
    ones taken at their default)."""
    args = tuple((a.name.value, a.value) for a in node.arguments or ())
    if name == "context":
        # Each subgraph's contexts are its own: Apollo prefixes them with its name.
        args = tuple(
            (key, StringValueNode(value=f"{subgraph.name}__{value_from_ast_untyped(value)}"))
            for key, value in args
        )
    values = dict(context.defaults(subgraph, node.name.value))
    values.update((key, value_from_ast_untyped(value)) for key, value in args)
    return Applied(name, args), values


def _keep(
    name: str, found: list[tuple[Applied, dict[str, Any]]], repeatable: bool
) -> list[Applied]:
    first: dict[str, tuple[Applied, dict[str, Any]]] = {}
    keys = [repr(sorted(values.items())) for _, values in found]
    for key, application in zip(keys, found, strict=True):
        first.setdefault(key, application)
    if repeatable:
        return [applied for applied, _ in first.values()]
    if len(first) > 1:
        merged = merge_arguments(name, [values for _, values in first.values()])
        if merged is not None:
            return [Applied(name, merged)]
    counts = Counter(keys)
    return [first[max(counts, key=counts.__getitem__)][0]]


def join_types(context: MergeContext, sources: Sources) -> list[Applied]:
    """One ``@join__type`` per subgraph, or per ``@key`` where a subgraph has keys."""
    applied: list[Applied] = []
    for subgraph, definition in sources:
        graph = context.graph(subgraph)
        extension = definition.is_extension or subgraph.has(definition.directives, "extends")
        interface_object = subgraph.has(definition.directives, "interfaceObject")
        flags = {
            "extension": extension or None,
            "isInterfaceObject": interface_object or None,
        }
        keys = subgraph.field_sets(definition, "key")
        if not keys:
            applied.append(Applied.of("join__type", graph=graph, **flags))
        for node, fields in keys:
            resolvable = None if argument(node, "resolvable") is not False else False
            applied.append(
                Applied.of(
                    "join__type",
                    graph=graph,
                    key=fields,
                    extension=flags["extension"],
                    resolvable=resolvable,
                    isInterfaceObject=flags["isInterfaceObject"],
                )
            )
    return applied
