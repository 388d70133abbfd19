"""Query plans as data: what the planner builds, the executor runs and tests print.

The node kinds follow Apollo's (``apollo-federation/src/query_plan``): a plan is a tree
of fetches to subgraphs, run in sequence or in parallel, with ``Flatten`` placing an
entity fetch's results at a path of the response, and ``Condition`` choosing a branch
on a boolean variable (``@skip``/``@include`` at the root of a plan).
``format_plan`` prints Apollo's text form, so plans diff line by line with Apollo's;
``plan_object`` is Apollo's JSON form (what its router's ``Apollo-Expose-Query-Plan``
header returns), as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    parse,
    print_ast,
    strip_ignored_characters,
)
from graphql.language.print_string import print_string

OperationKind = Literal["query", "mutation", "subscription"]


@dataclass(frozen=True)
class TypenameRewrite:
    """A representation of an object of ``type_condition`` goes out as ``set_value_to``.

    It is Apollo's ``inputRewrites`` ``ValueSetter`` on ``__typename``: an entity fetch
    on an interface (``... on ProductItem``), often one a subgraph knows only as an
    ``@interfaceObject``, names the interface in each representation, not the object's
    own type. The condition is the interface, so it matches an object of any of its
    ``possible_types`` (carried here, so the executor needs no schema); a ``requires``
    fragment on ``set_value_to`` also selects from such objects.
    """

    type_condition: str
    set_value_to: str
    possible_types: tuple[str, ...] = ()

    def matched_types(self) -> tuple[str, ...]:
        return (self.type_condition, *self.possible_types)


@dataclass(frozen=True)
class ContextRewrite:
    """Apollo's ``contextRewrites`` ``KeyRenamer``: the value at ``path``, taken from each
    entity's position in the response, is sent as variable ``rename_key_to``.

    ``".."`` steps up one field (and the list levels below it), ``"... on T"`` goes on only
    for an object of type ``T``, a name steps into that field. It carries the value of a
    ``@fromContext`` argument from the ancestor that sets the context.
    """

    path: tuple[str, ...]
    rename_key_to: str


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
    context_rewrites: tuple[ContextRewrite, ...] = ()

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
    body = _operation(fetch).selection_set
    if fetch.requires is not None:
        entities = body.selections[0]
        assert isinstance(entities, FieldNode) and entities.selection_set is not None
        text = _indent(_print_selection_set(fetch.requires), inner) + " =>\n"
        text += _indent(_print_selection_set(entities.selection_set), inner)
    else:
        text = _indent(_print_selection_set(body), inner)
    return f'{pad}Fetch(service: "{fetch.service}") {{\n{text}\n{pad}}},\n'


def _operation(fetch: Fetch) -> OperationDefinitionNode:
    operation = parse(fetch.operation, no_location=True).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation


def _without_comma(text: str) -> str:
    """Apollo prints the one node inside ``Include``/``Skip`` without its trailing comma."""
    return text.removesuffix(",\n") + "\n"


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + line for line in text.splitlines())


# Apollo prints plans with graphql-js 16, whose printer differs from graphql-core 3.3's
# (graphql-js 17's): object literals print as `{a: 1}`, lists and objects never wrap, and
# only a field's arguments go one per line, once its line passes 80 characters.
MAX_LINE_LENGTH = 80


def _print_selection_set(selection_set: SelectionSetNode) -> str:
    lines = "\n".join(_print_selection(selection) for selection in selection_set.selections)
    return "{\n" + _indent(lines, "  ") + "\n}"


def _print_selection(node: SelectionNode) -> str:
    directives = " ".join(_print_directive(directive) for directive in node.directives or ())
    match node:
        case FieldNode(alias=alias, name=name, arguments=arguments, selection_set=selections):
            prefix = f"{alias.value}: {name.value}" if alias else name.value
            args = [f"{arg.name.value}: {_print_value(arg.value)}" for arg in arguments or ()]
            line = f"{prefix}({', '.join(args)})" if args else prefix
            if len(line) > MAX_LINE_LENGTH:
                line = prefix + "(\n" + _indent("\n".join(args), "  ") + "\n)"
            body = _print_selection_set(selections) if selections else None
            return _words(line, directives, body)
        case InlineFragmentNode(type_condition=condition, selection_set=selections):
            on = f"on {condition.name.value}" if condition else ""
            return _words("...", on, directives, _print_selection_set(selections))
        case FragmentSpreadNode(name=name):
            return _words(f"...{name.value}", directives)
    raise TypeError(f"not a selection: {node!r}")


def _print_directive(node: DirectiveNode) -> str:
    args = ", ".join(f"{arg.name.value}: {_print_value(arg.value)}" for arg in node.arguments or ())
    return f"@{node.name.value}({args})" if args else f"@{node.name.value}"


def _print_value(node: ValueNode) -> str:
    match node:
        case ListValueNode(values=values):
            return "[" + ", ".join(_print_value(value) for value in values) + "]"
        case ObjectValueNode(fields=fields):
            items = (f"{item.name.value}: {_print_value(item.value)}" for item in fields)
            return "{" + ", ".join(items) + "}"
        case StringValueNode(value=value):
            # Apollo rebuilds each subgraph operation, so a block string prints as a string.
            return print_string(value)
        case VariableNode(name=name):
            return f"${name.value}"
    return print_ast(node)


def _words(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def plan_object(plan: QueryPlan) -> dict[str, Any]:
    """Apollo's JSON form of a query plan: nodes are objects named by ``kind``."""
    if plan.node is None:
        return {"kind": "QueryPlan"}
    return {"kind": "QueryPlan", "node": _node_object(plan.node)}


def _node_object(node: PlanNode) -> dict[str, Any]:
    match node:
        case Fetch():
            return _fetch_object(node)
        case Sequence(nodes) | Parallel(nodes):
            kind = "Sequence" if isinstance(node, Sequence) else "Parallel"
            return {"kind": kind, "nodes": [_node_object(child) for child in nodes]}
        case Flatten(path, child):
            return {"kind": "Flatten", "path": list(path), "node": _node_object(child)}
        case Condition(variable, if_clause, else_clause):
            condition: dict[str, Any] = {"kind": "Condition", "condition": variable}
            if if_clause is not None:
                condition["ifClause"] = _node_object(if_clause)
            if else_clause is not None:
                condition["elseClause"] = _node_object(else_clause)
            return condition
    raise TypeError(f"not a plan node: {node!r}")


def _fetch_object(fetch: Fetch) -> dict[str, Any]:
    """Apollo's fetch node: the keys it leaves undefined (and JSON drops) are left out."""
    fetch_object: dict[str, Any] = {"kind": "Fetch", "serviceName": fetch.service}
    if fetch.requires is not None:
        fetch_object["requires"] = _selections_object(fetch.requires)
    fetch_object["variableUsages"] = list(fetch.variable_usages)
    fetch_object["operation"] = strip_ignored_characters(fetch.operation)
    fetch_object["operationKind"] = fetch.operation_kind
    name = _operation(fetch).name
    if name is not None:
        fetch_object["operationName"] = name.value
    if fetch.input_rewrites:
        fetch_object["inputRewrites"] = [
            {
                "kind": "ValueSetter",
                "path": [f"... on {rewrite.type_condition}", "__typename"],
                "setValueTo": rewrite.set_value_to,
            }
            for rewrite in fetch.input_rewrites
        ]
    if fetch.context_rewrites:
        fetch_object["contextRewrites"] = [
            {"kind": "KeyRenamer", "path": list(rewrite.path), "renameKeyTo": rewrite.rename_key_to}
            for rewrite in fetch.context_rewrites
        ]
    return fetch_object


def _selections_object(selection_set: SelectionSetNode) -> list[dict[str, Any]]:
    """A ``requires`` selection as Apollo trims it: fields by name, inline fragments."""
    trimmed: list[dict[str, Any]] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            field: dict[str, Any] = {"kind": "Field", "name": selection.name.value}
            if selection.selection_set is not None:
                field["selections"] = _selections_object(selection.selection_set)
            trimmed.append(field)
        elif isinstance(selection, InlineFragmentNode):
            fragment: dict[str, Any] = {"kind": "InlineFragment"}
            if selection.type_condition is not None:
                fragment["typeCondition"] = selection.type_condition.name.value
            fragment["selections"] = _selections_object(selection.selection_set)
            trimmed.append(fragment)
    return trimmed
