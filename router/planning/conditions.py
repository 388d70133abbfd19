"""``@skip``/``@include`` on a variable that everything a fetch selects carries.

Apollo lifts such conditions out of the subgraph operation into the plan: the fetch,
and every fetch that runs after it because of it, sits in ``Include``/``Skip`` nodes,
so nothing is sent when the variable says its fields are not wanted. A fetch's
conditions are those all its top-level selections share: a field's own directives
(merged with its selections' when it has some), an inline fragment's merged with its
selections'. Conditions already handled by an enclosing node are not repeated, and
are removed from the operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import BooleanValueNode, DirectiveNode, FieldNode, VariableNode

from router.plan import Condition, PlanNode
from router.planning.selections import FieldEntry, FragmentEntry, SelectionBuilder

Entry = FieldEntry | FragmentEntry


@dataclass(frozen=True)
class Conditional:
    """``@include(if: $variable)``, or ``@skip(if: $variable)`` when ``negated``."""

    variable: str
    negated: bool


# True: always selected; False: never; else selected when every conditional holds.
Conditions = tuple[Conditional, ...] | bool


def conditions_of(selection: SelectionBuilder) -> Conditions:
    """The conditions every top-level selection of ``selection`` carries."""
    entries = list(selection.entries.values())
    if not entries:
        return False
    first = _entry_conditions(entries[0])
    if any(not _same(first, _entry_conditions(entry)) for entry in entries[1:]):
        return True
    return first


def merge(first: Conditions, second: Conditions) -> Conditions:
    """Both conditions at once (False when they contradict each other)."""
    if isinstance(first, bool):
        return second if first else False
    if isinstance(second, bool):
        return first if second else False
    merged = list(first)
    for conditional in second:
        known = next((c for c in first if c.variable == conditional.variable), None)
        if known is None:
            merged.append(conditional)
        elif known.negated != conditional.negated:
            return False
    return tuple(merged)


def unhandled(conditions: Conditions, handled: Conditions) -> Conditions:
    """``conditions`` without those an enclosing node already checks."""
    if isinstance(conditions, bool) or isinstance(handled, bool):
        return conditions
    left: list[Conditional] = []
    for conditional in conditions:
        known = next((c for c in handled if c.variable == conditional.variable), None)
        if known is None:
            left.append(conditional)
        elif known.negated != conditional.negated:
            return False
    return tuple(left) or True


def remove_handled(selection: SelectionBuilder, handled: Conditions) -> None:
    """Drop the ``@skip``/``@include`` the plan checks (and, as Apollo does, those on
    a literal) from ``selection``, at every depth."""
    if isinstance(handled, bool):
        return
    for entry in selection.entries.values():
        if isinstance(entry, FragmentEntry):
            entry.directives = _kept(entry.directives, handled)
        else:
            entry.node = _with_directives(entry.node, _kept(entry.node.directives or (), handled))
        if entry.children is not None:
            remove_handled(entry.children, handled)


def wrap(node: PlanNode, conditions: Conditions) -> PlanNode | None:
    """``node`` inside an ``Include``/``Skip`` per conditional, the first innermost."""
    if isinstance(conditions, bool):
        return node if conditions else None
    for conditional in conditions:
        if conditional.negated:
            node = Condition(conditional.variable, None, node)
        else:
            node = Condition(conditional.variable, node, None)
    return node


def _entry_conditions(entry: Entry) -> Conditions:
    if isinstance(entry, FieldEntry):
        own = _directive_conditions(entry.node.directives or ())
        if own is True or own is False:
            return own
    else:
        own = _directive_conditions(entry.directives)
        if own is False:
            return own
    if entry.children is None:
        return own
    return merge(own, conditions_of(entry.children))


def _directive_conditions(directives: tuple[DirectiveNode, ...]) -> Conditions:
    conditionals: list[Conditional] = []
    for directive in directives:
        value = _condition_value(directive)
        negated = directive.name.value == "skip"
        if isinstance(value, BooleanValueNode):
            if value.value == negated:
                return False
        elif isinstance(value, VariableNode):
            conditionals.append(Conditional(value.name.value, negated))
    if len(conditionals) == 2 and conditionals[0].variable == conditionals[1].variable:
        return False
    return tuple(conditionals) or True


def _condition_value(directive: DirectiveNode) -> object:
    if directive.name.value not in ("skip", "include"):
        return None
    return next((a.value for a in directive.arguments or () if a.name.value == "if"), None)


def _same(first: Conditions, second: Conditions) -> bool:
    if isinstance(first, bool) or isinstance(second, bool):
        return first is second
    return len(first) == len(second) and set(first) == set(second)


def _kept(
    directives: tuple[DirectiveNode, ...], handled: tuple[Conditional, ...]
) -> tuple[DirectiveNode, ...]:
    return tuple(d for d in directives if not _is_handled(d, handled))


def _is_handled(directive: DirectiveNode, handled: tuple[Conditional, ...]) -> bool:
    value = _condition_value(directive)
    if value is None:
        return False
    if not isinstance(value, VariableNode):
        return True
    return Conditional(value.name.value, directive.name.value == "skip") in handled


def _with_directives(node: FieldNode, directives: tuple[DirectiveNode, ...]) -> FieldNode:
    return FieldNode(
        alias=node.alias, name=node.name, arguments=node.arguments, directives=directives
    )
