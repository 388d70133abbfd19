"""``@skip``/``@include`` shared by everything an entity fetch selects.

Apollo lifts such a condition out of the subgraph operation into the plan (an
``Include``/``Skip`` node around the fetch), so the fetch is not even sent when the
variable says its fields are not wanted.
"""

from __future__ import annotations

from graphql import DirectiveNode, FieldNode, VariableNode, print_ast

from router.planning.selections import FieldEntry, FragmentEntry, SelectionBuilder

Entry = FieldEntry | FragmentEntry


def lift_condition(selection: SelectionBuilder) -> DirectiveNode | None:
    """Remove and return the condition all top-level selections carry, if there is one."""
    entries = [entry for fragment in _fragments(selection) for entry in _conditioned(fragment)]
    conditions = [_condition_of(entry) for entry in entries]
    first = conditions[0] if conditions else None
    if first is None or not isinstance((first.arguments or ())[0].value, VariableNode):
        return None
    if any(c is None or print_ast(c) != print_ast(first) for c in conditions):
        return None
    for entry in entries:
        _strip_conditions(entry)
    return first


def _fragments(selection: SelectionBuilder) -> list[FragmentEntry]:
    return [entry for entry in selection.entries.values() if isinstance(entry, FragmentEntry)]


def _conditioned(fragment: FragmentEntry) -> list[Entry]:
    """The entity fragment itself when it carries a condition, else its selections."""
    if _condition_of(fragment) is not None:
        return [fragment]
    return list(fragment.children.entries.values())


def _condition_of(entry: Entry) -> DirectiveNode | None:
    directives = entry.node.directives if isinstance(entry, FieldEntry) else entry.directives
    found = [d for d in directives or () if d.name.value in ("skip", "include")]
    return found[0] if len(found) == 1 else None


def _strip_conditions(entry: Entry) -> None:
    if isinstance(entry, FragmentEntry):
        entry.directives = _unconditional(entry.directives)
        return
    node = entry.node
    entry.node = FieldNode(
        alias=node.alias,
        name=node.name,
        arguments=node.arguments,
        directives=_unconditional(node.directives or ()),
    )


def _unconditional(directives: tuple[DirectiveNode, ...]) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives if d.name.value not in ("skip", "include"))
