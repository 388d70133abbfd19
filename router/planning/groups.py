"""Fetch groups: the subgraph operations a plan is made of, while they are built.

A group is one future ``Fetch``: a service, the response path its results merge at,
and the selections gathered so far. Groups form a tree: a child runs after its parent,
because the parent fetches the keys (and ``@requires`` fields) of the child's entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    FieldNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    parse_type,
    print_ast,
    visit,
)

from router.plan import ContextRewrite, Fetch, OperationKind, TypenameRewrite
from router.planning.selections import SelectionBuilder

_REPRESENTATIONS = VariableDefinitionNode(
    variable=VariableNode(name=NameNode(value="representations")),
    type=NonNullTypeNode(
        type=ListTypeNode(type=NonNullTypeNode(type=NamedTypeNode(name=NameNode(value="_Any"))))
    ),
)


@dataclass(eq=False)
class FetchGroup:
    """One subgraph operation under construction."""

    service: str
    path: tuple[str, ...]
    is_entity: bool
    operation_kind: OperationKind = "query"
    selection: SelectionBuilder = field(default_factory=SelectionBuilder)
    requires: SelectionBuilder = field(default_factory=SelectionBuilder)
    children: list[FetchGroup] = field(default_factory=list)
    # Run after every child: their @requires fields come from several children.
    later_children: list[FetchGroup] = field(default_factory=list)
    # Interface -> the rewrite naming it in the representations of its implementations.
    input_rewrites: dict[str, TypenameRewrite] = field(default_factory=dict)
    # Contextual argument variable -> its type; where each entity's value comes from.
    context_variables: dict[str, str] = field(default_factory=dict)
    context_rewrites: list[ContextRewrite] = field(default_factory=list)

    def dependent(
        self, service: str, path: tuple[str, ...], *, after_children: bool = False
    ) -> FetchGroup:
        """The entity group for ``service`` at ``path`` that runs after this one (or,
        with ``after_children``, after all of this one's children).

        It is shared, so several fields of one subgraph at one path cost one fetch.
        """
        siblings = self.later_children if after_children else self.children
        for child in siblings:
            if (child.service, child.path) == (service, path):
                return child
        child = FetchGroup(service, path, is_entity=True)
        siblings.append(child)
        return child


@dataclass(frozen=True)
class OperationContext:
    """What every subgraph operation inherits from the client's operation."""

    name: str | None
    variables: tuple[VariableDefinitionNode, ...]


def build_fetch(group: FetchGroup, context: OperationContext, index: int) -> Fetch:
    """The ``Fetch`` node of a finished group, numbered as Apollo numbers them."""
    body = group.selection.build()
    used = _variables_used(body)
    definitions = [d for d in context.variables if d.variable.name.value in used]
    definitions += [_variable(name, type_) for name, type_ in group.context_variables.items()]
    if group.is_entity:
        body = _entities_selection(body)
        definitions.insert(0, _REPRESENTATIONS)
    name = f"{context.name}__{group.service}__{index}" if context.name else None
    operation = OperationDefinitionNode(
        operation=OperationType(group.operation_kind),
        name=NameNode(value=name) if name else None,
        variable_definitions=tuple(definitions),
        selection_set=body,
    )
    return Fetch(
        service=group.service,
        operation=print_ast(operation),
        requires=group.requires.build() if group.is_entity else None,
        variable_usages=tuple(
            d.variable.name.value for d in definitions if d is not _REPRESENTATIONS
        ),
        operation_kind=group.operation_kind,
        input_rewrites=tuple(group.input_rewrites.values()),
        context_rewrites=tuple(group.context_rewrites),
    )


def _variable(name: str, type_: str) -> VariableDefinitionNode:
    type_node = parse_type(type_, no_location=True)
    return VariableDefinitionNode(variable=VariableNode(name=NameNode(value=name)), type=type_node)


def _entities_selection(body: SelectionSetNode) -> SelectionSetNode:
    argument = ArgumentNode(
        name=NameNode(value="representations"),
        value=VariableNode(name=NameNode(value="representations")),
    )
    entities = FieldNode(
        name=NameNode(value="_entities"), arguments=(argument,), selection_set=body
    )
    return SelectionSetNode(selections=(entities,))


def _variables_used(selection_set: SelectionSetNode) -> set[str]:
    names: set[str] = set()

    class _Collect(Visitor):
        def enter_variable(self, node: VariableNode, *_: object) -> None:
            names.add(node.name.value)

    visit(selection_set, _Collect())
    return names
