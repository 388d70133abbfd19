"""Query plans as data: what the planner builds, the executor runs and tests print.

The node kinds follow Apollo's (``apollo-federation/src/query_plan``): a plan is a tree
of fetches to subgraphs, run in sequence or in parallel, with ``Flatten`` placing an
entity fetch's results at a path of the response, and ``Condition`` choosing a branch
on a boolean variable (``@skip``/``@include`` at the root of a plan).
``format_plan`` prints Apollo's text form, so plans diff line by line with Apollo's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from graphql import (
    FieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
)

OperationKind = Literal["query", "mutation", "subscription"]


@dataclass(frozen=True)
class TypenameRewrite:
    """A representation of an object of ``from_type`` goes out as ``to_type``.

    It is Apollo's ``inputRewrites`` ``ValueSetter`` on ``__typename``: an entity fetch
    on an interface (``... on ProductItem``), often one a subgraph knows only as an
    ``@interfaceObject``, names the interface in each representation, not the object's
    own type. A ``requires`` fragment on ``to_type`` also selects from such objects.
    """

    from_type: str
    to_type: str


@dataclass(frozen=True)
class Fetch:
    """One request to one subgraph.

    ``operation`` is the complete document sent. For an entity fetch, ``requires`` is
    the selection set (``... on User { __typename id }``) that shapes each
    representation taken from the data at the enclosing ``Flatten`` path, and the
    operation takes them as ``$representations``, their ``__typename`` rewritten by
    ``input_rewrites``. ``variable_usages`` are the client variables the operation
    uses, forwarded as they came.
    """

    service: str
    operation: str
    requires: SelectionSetNode | None = None
    variable_usages: tuple[str, ...] = ()
    operation_kind: OperationKind = "query"
    input_rewrites: tuple[TypenameRewrite, ...] = ()

    @property
    def is_entity_fetch(self) -> bool:
        return self.requires is not None


@dataclass(frozen=True)
class Sequence:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True)
class Parallel:
    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True)
class Flatten:
    """Run ``node`` on the objects at ``path``; ``"@"`` steps into every list item."""

    path: tuple[str, ...]
    node: PlanNode


@dataclass(frozen=True)
class Condition:
    variable: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode = Fetch | Sequence | Parallel | Flatten | Condition


@dataclass(frozen=True)
class QueryPlan:
    node: PlanNode | None


def format_plan(plan: QueryPlan) -> str:
    """Apollo's printed form of a query plan."""
    if plan.node is None:
        return "QueryPlan {}"
    return "QueryPlan {\n" + _format_node(plan.node, 1) + "}"


def _format_node(node: PlanNode, depth: int) -> str:
    pad = "  " * depth
    match node:
        case Fetch():
            return _format_fetch(node, depth)
        case Sequence(nodes) | Parallel(nodes):
            name = "Sequence" if isinstance(node, Sequence) else "Parallel"
            children = "".join(_format_node(child, depth + 1) for child in nodes)
            return f"{pad}{name} {{\n{children}{pad}}},\n"
        case Flatten(path, child):
            inner = _format_node(child, depth + 1)
            return f'{pad}Flatten(path: "{".".join(path)}") {{\n{inner}{pad}}},\n'
        case Condition(variable, if_clause, None) if if_clause is not None:
            inner = _without_comma(_format_node(if_clause, depth + 1))
            return f"{pad}Include(if: ${variable}) {{\n{inner}{pad}}},\n"
        case Condition(variable, None, else_clause) if else_clause is not None:
            inner = _without_comma(_format_node(else_clause, depth + 1))
            return f"{pad}Skip(if: ${variable}) {{\n{inner}{pad}}},\n"
        case Condition(variable, if_clause, else_clause):
            text = f"{pad}Condition(if: ${variable}) {{\n"
            if if_clause is not None:
                text += f"{pad}  Then {{\n{_format_node(if_clause, depth + 2)}{pad}  }}\n"
            if else_clause is not None:
                text += f"{pad}  Else {{\n{_format_node(else_clause, depth + 2)}{pad}  }}\n"
            return text + f"{pad}}},\n"
    raise TypeError(f"not a plan node: {node!r}")


def _format_fetch(fetch: Fetch, depth: int) -> str:
    pad = "  " * depth
    inner = "  " * (depth + 1)
    operation = parse(fetch.operation, no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    body = operation.selection_set
    if fetch.requires is not None:
        entities = body.selections[0]
        assert isinstance(entities, FieldNode) and entities.selection_set is not None
        text = _indent(print_ast(fetch.requires), inner) + " =>\n"
        text += _indent(print_ast(entities.selection_set), inner)
    else:
        text = _indent(print_ast(body), inner)
    return f'{pad}Fetch(service: "{fetch.service}") {{\n{text}\n{pad}}},\n'


def _without_comma(text: str) -> str:
    """Apollo prints the one node inside ``Include``/``Skip`` without its trailing comma."""
    return text.removesuffix(",\n") + "\n"


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line for line in text.splitlines())
