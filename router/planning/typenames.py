"""A client's ``__typename`` next to other fields goes where the first of them goes.

Every subgraph can answer ``__typename``, so Apollo's planner takes a plain one (no
alias, no directive) out of a selection set and fetches it with the first field after
or before it, wherever that field is fetched: ``author { __typename name }`` asks the
subgraph with ``name`` for ``__typename`` too, not the one that returned ``author``.
"""

from __future__ import annotations

from graphql import FieldNode, SelectionSetNode


def without_sibling_typename(
    selection_set: SelectionSetNode,
) -> tuple[SelectionSetNode, FieldNode | None]:
    """The selection set without its first plain ``__typename``, and the field to fetch
    it with; unchanged, with no field, when it has no such pair."""
    selections = list(selection_set.selections)
    typename = next((s for s in selections if is_plain_typename(s)), None)
    if typename is None:
        return selection_set, None
    selections.remove(typename)
    carrier = next((s for s in selections if isinstance(s, FieldNode)), None)
    if carrier is None:
        return selection_set, None
    return SelectionSetNode(selections=tuple(selections)), carrier


def is_plain_typename(selection: object) -> bool:
    return (
        isinstance(selection, FieldNode)
        and selection.name.value == "__typename"
        and selection.alias is None
        and not selection.directives
    )
