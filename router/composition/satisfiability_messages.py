"""The ``SATISFIABILITY_ERROR`` message: an example query, then per subgraph why it fails.

It reads as Apollo's does, so authors can search for it: "The following supergraph API
query: ... cannot be satisfied by the subgraphs because: - from subgraph "X": ...".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphql import ListTypeNode, NonNullTypeNode, TypeNode

from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.model import MergedField
from router.composition.query_graph import Missing, QueryGraph
from router.composition.subgraph_paths import CastStep, DeadEnd, FieldStep, Step, Stuck
from router.composition.typeref import named_type

if TYPE_CHECKING:
    from router.composition.satisfiability import ApiSchema

SCALAR_EXAMPLES = {
    "Int": "0",
    "Float": "3.14",
    "Boolean": "true",
    "String": '"A string value"',
    "ID": '"<any id>"',
}
FIELD_FIX = (
    "To fix it, resolve the field in a subgraph the query reaches, or give a subgraph "
    "resolving it a resolvable @key whose fields the reaching subgraph can provide; a "
    "@requires needs its fields reachable the same way."
)
CAST_FIX = (
    "To fix it, let the query reach a subgraph defining that type: a resolvable @key on "
    "the interface, in a subgraph defining it and its implementations, lets the others "
    "find out the implementation of an object."
)


def unsatisfiable(
    api: ApiSchema, graph: QueryGraph, steps: tuple[Step, ...], stuck: list[Stuck]
) -> CompositionError:
    dead_ends = [end for each in stuck for end in each.dead_ends + _unreachable(graph, each)]
    last = steps[-1]
    fix = FIELD_FIX if isinstance(last, FieldStep) else CAST_FIX
    message = (
        f"The following supergraph API query:\n{witness(api, steps)}\n"
        f"cannot be satisfied by the subgraphs because:\n{_reasons(dead_ends)}\n{fix}"
    )
    where = dead_ends[0].source if dead_ends else None
    if isinstance(last, FieldStep):
        return CompositionError(Code.SATISFIABILITY_ERROR, message, where, last.parent, last.name)
    return CompositionError(Code.SATISFIABILITY_ERROR, message, where, last.source)


def witness(api: ApiSchema, steps: tuple[Step, ...]) -> str:
    """The shortest query following ``steps``; ``...`` where a selection would go on."""
    first = steps[0]
    root = first.parent if isinstance(first, FieldStep) else first.source
    operation = next(op for op, name in api.roots.items() if name == root)
    head = "{" if operation == "query" else f"{operation} {{"
    return "\n".join([head, *_selection(api, steps, 1), "}"])


def _selection(api: ApiSchema, steps: tuple[Step, ...], depth: int) -> list[str]:
    pad = "  " * depth
    step, rest = steps[0], steps[1:]
    if isinstance(step, CastStep):
        text, target = f"... on {step.target}", step.target
    else:
        field = next(f for f in api.types[step.parent].fields if f.name == step.name)
        text, target = step.name + _arguments(api, field), named_type(field.type)
    if rest:
        inner = _selection(api, rest, depth + 1)
    elif not api.is_leaf(target):
        inner = [pad + "  ..."]
    else:
        return [pad + text]
    return [pad + text + " {", *inner, pad + "}"]


def _arguments(api: ApiSchema, field: MergedField) -> str:
    if not field.args:
        return ""
    return "(" + ", ".join(f"{a.name}: {_example(api, a.type)}" for a in field.args) + ")"


def _example(api: ApiSchema, ref: TypeNode) -> str:
    """A value of type ``ref`` (required input fields only), as Apollo's witness shows."""
    if isinstance(ref, NonNullTypeNode):
        return _example(api, ref.type)
    if isinstance(ref, ListTypeNode):
        return "[]"
    name = named_type(ref)
    if name in SCALAR_EXAMPLES:
        return SCALAR_EXAMPLES[name]
    found = api.types.get(name)
    if found is not None and found.kind == "enum" and found.values:
        return found.values[0].name
    if found is not None and found.kind == "input":
        required = [
            f"{f.name}: {_example(api, f.type)}"
            for f in found.fields
            if isinstance(f.type, NonNullTypeNode) and f.default is None
        ]
        return "{" + ", ".join(required) + "}"
    return '"<some value>"'


def _reasons(dead_ends: list[DeadEnd]) -> str:
    by_subgraph: dict[str, list[str]] = {}
    for end in dead_ends:
        by_subgraph.setdefault(end.source, []).append(end.details)
    lines = []
    for subgraph, details in by_subgraph.items():
        if len(details) == 1:
            lines.append(f'- from subgraph "{subgraph}": {details[0]}.')
        else:
            lines.append(f'- from subgraph "{subgraph}":')
            lines += [f"  - {each}." for each in dict.fromkeys(details)]
    return "\n".join(lines)


def _unreachable(graph: QueryGraph, stuck: Stuck) -> list[DeadEnd]:
    """Subgraphs resolving the field that no @key edge even leads to, and why."""
    step, position = stuck.step, stuck.position
    if not isinstance(step, FieldStep):
        return []
    tried = {end.target for end in stuck.dead_ends}
    found = []
    for name in graph.subgraphs:
        if name in tried or graph.field(name, step.parent, step.name) is Missing.NO_FIELD:
            continue
        reason = _why_unreachable(graph, name, position.type, step)
        if reason is not None:
            found.append(DeadEnd(position.subgraph, name, reason))
    return found


def _why_unreachable(graph: QueryGraph, name: str, tail: str, step: FieldStep) -> str | None:
    where = f'cannot move to subgraph "{name}", which has field "{step.parent}.{step.name}"'
    if graph.type(name, tail) is None:
        return (
            f'{where}, because interface "{tail}" is not defined in this subgraph (to jump to '
            f'"{name}", it would need to both define interface "{tail}" and have a @key on it)'
        )
    keys = graph.keys(name, tail)
    kind = "type" if tail == step.parent else "interface"
    if not keys:
        return f'{where}, because {kind} "{tail}" has no @key defined in subgraph "{name}"'
    if any(resolvable for _, resolvable in keys):
        return None
    return (
        f'{where}, because none of the @key defined on {kind} "{tail}" in subgraph "{name}" '
        'are resolvable (they are all declared with their "resolvable" argument set to false)'
    )
