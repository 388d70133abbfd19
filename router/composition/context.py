"""What every merge step shares: the subgraphs, their graph names and the errors so far."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graphql import DirectiveNode

from router.composition.errors import CompositionError
from router.composition.model import Applied, GraphName
from router.composition.schema import TypeDef
from router.composition.subgraph import Subgraph, argument

# Type sources: the subgraphs defining a type, in graph order, with their definition.
Sources = list[tuple[Subgraph, TypeDef]]
CARRIED = ("inaccessible", "tag")
BUILT_IN_CARRIED = ("deprecated", "specifiedBy")


@dataclass
class MergeContext:
    subgraphs: list[Subgraph]
    errors: list[CompositionError] = field(default_factory=list)

    def graph(self, subgraph: Subgraph) -> GraphName:
        return GraphName(subgraph.graph)


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


def carried_directives(applications: list[tuple[Subgraph, list[DirectiveNode]]]) -> list[Applied]:
    """@inaccessible once, each distinct @tag, the first @deprecated and @specifiedBy."""
    inaccessible = False
    tags: list[str] = []
    built_in: dict[str, Applied] = {}
    for subgraph, directives in applications:
        inaccessible = inaccessible or subgraph.has(directives, "inaccessible")
        for tag in subgraph.applied(directives, "tag"):
            name = str(argument(tag, "name"))
            tags += [] if name in tags else [name]
        for node in directives:
            if node.name.value in BUILT_IN_CARRIED:
                built_in.setdefault(node.name.value, Applied.copy(node))
    carried = [Applied.of("inaccessible")] if inaccessible else []
    carried += [Applied.of("tag", name=tag) for tag in tags]
    return carried + list(built_in.values())


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
