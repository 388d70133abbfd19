"""@authenticated, @requiresScopes and @policy across types: what Apollo adds and checks.

Subgraphs may not put them on interfaces, so the supergraph derives an interface's (and its
fields') requirements from its implementations': a query through the interface must meet
those of every object it may return. Fields an @interfaceObject adds pass theirs to the
implementations. And a field with @requires must ask at least what the fields it requires ask,
or a client could read them through it (MISSING_TRANSITIVE_AUTH_REQUIREMENTS).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    SelectionSetNode,
    value_from_ast_untyped,
)

from router.composition.directive_arguments import Dnf, dnf_conjunction, implies
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.feature_specs import ACCESS_CONTROL
from router.composition.fieldset import parse_selection_set
from router.composition.model import Applied, Graph, MergedField, MergedType, Supergraph
from router.composition.schema import TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type

Applications = list[tuple[Subgraph, list[DirectiveNode]]]


def implementations(subgraphs: list[Subgraph]) -> dict[str, list[str]]:
    """Interface -> the object types implementing it in some subgraph."""
    found: dict[str, dict[str, None]] = {}
    for subgraph in subgraphs:
        for definition in subgraph.types.values():
            if definition.kind == "object" and not _is_interface_object(subgraph, definition):
                for interface in definition.interfaces:
                    found.setdefault(interface, {})[definition.name] = None
    return {interface: list(objects) for interface, objects in found.items()}


def inherited(
    subgraphs: list[Subgraph], by_interface: dict[str, list[str]], type_name: str, name: str | None
) -> Applications:
    """The access control applications type ``type_name`` (or its field ``name``) takes from
    other types: an interface's from its implementations, and a field's from the
    @interfaceObject fields standing for it."""
    found: Applications = []
    for subgraph in subgraphs:
        for definition in subgraph.types.values():
            if _passes_to(subgraph, definition, by_interface, type_name, name):
                element = definition if name is None else definition.fields.get(name)
                if element is None or (name is not None and _external(subgraph, definition, name)):
                    continue
                security = [
                    node
                    for node in element.directives
                    if subgraph.federation_names.get(node.name.value) in ACCESS_CONTROL
                ]
                if security:
                    found.append((subgraph, security))
    return found


def _passes_to(
    subgraph: Subgraph,
    definition: TypeDef,
    by_interface: dict[str, list[str]],
    type_name: str,
    name: str | None,
) -> bool:
    if definition.kind != "object":
        return False
    if not _is_interface_object(subgraph, definition):
        return definition.name in by_interface.get(type_name, ())
    if name is None or definition.name == type_name:
        return False
    reached = by_interface.get(definition.name, [])
    return type_name in reached or any(type_name in _interfaces(by_interface, o) for o in reached)


def _interfaces(by_interface: dict[str, list[str]], object_name: str) -> list[str]:
    return [interface for interface, objects in by_interface.items() if object_name in objects]


def _is_interface_object(subgraph: Subgraph, definition: TypeDef) -> bool:
    return subgraph.has(definition.directives, "interfaceObject")


def _external(subgraph: Subgraph, definition: TypeDef, name: str) -> bool:
    return subgraph.is_external(definition, definition.fields[name])


@dataclass
class Requirements:
    """What reading an element asks: being authenticated, scopes and policies (in DNF)."""

    authenticated: bool = False
    scopes: Dnf | None = None
    policies: Dnf | None = None

    @classmethod
    def on(cls, directives: list[Applied]) -> Requirements:
        found = cls()
        for directive in directives:
            values = {name: value_from_ast_untyped(value) for name, value in directive.args}
            if directive.name == "authenticated":
                found.authenticated = True
            elif directive.name == "requiresScopes":
                found.scopes = values.get("scopes")
            elif directive.name == "policy":
                found.policies = values.get("policies")
        return found

    def and_(self, other: Requirements) -> Requirements:
        return Requirements(
            self.authenticated or other.authenticated,
            _and(self.scopes, other.scopes),
            _and(self.policies, other.policies),
        )

    def meets(self, other: Requirements) -> bool:
        return (
            (self.authenticated or not other.authenticated)
            and implies(self.scopes, other.scopes)
            and implies(self.policies, other.policies)
        )


def _and(first: Dnf | None, second: Dnf | None) -> Dnf | None:
    given = [value for value in (first, second) if value is not None]
    return dnf_conjunction(given) if given else None


@dataclass
class _Check:
    types: dict[str, MergedType]
    owner: str
    asks: Requirements
    problems: list[str] = field(default_factory=list)


def check_transitive_requirements(supergraph: Supergraph) -> list[CompositionError]:
    """One error per @requires asking less than the fields it selects, as Apollo reports it."""
    types = {merged.name: merged for merged in supergraph.types}
    graphs = {graph.enum_value: graph for graph in supergraph.graphs}
    errors = []
    for merged, owned, graph, fields in _requires(supergraph):
        check = _Check(
            types,
            f"{merged.name}.{owned.name}",
            Requirements.on(merged.directives).and_(Requirements.on(owned.directives)),
        )
        _walk(check, merged, parse_selection_set(fields))
        if check.problems:
            errors.append(_missing(graphs[graph], merged, owned, check.problems[0]))
    return errors


def _requires(supergraph: Supergraph) -> Iterator[tuple[MergedType, MergedField, str, str]]:
    for merged in supergraph.types:
        for owned in merged.fields:
            for directive in owned.directives:
                args = {name: value_from_ast_untyped(value) for name, value in directive.args}
                if directive.name == "join__field" and "requires" in args:
                    yield merged, owned, str(args["graph"]), str(args["requires"])


def _walk(check: _Check, parent: MergedType, selections: SelectionSetNode) -> None:
    for selection in selections.selections:
        if isinstance(selection, InlineFragmentNode):
            target = parent
            if selection.type_condition is not None:
                target = check.types[selection.type_condition.name.value]
                if not check.asks.meets(Requirements.on(target.directives)):
                    check.problems.append(
                        f'the transitive data in inline fragment type condition "{target.name}"'
                    )
            _walk(check, target, selection.selection_set)
        elif isinstance(selection, FieldNode) and selection.name.value != "__typename":
            _field(check, parent, selection)


def _field(check: _Check, parent: MergedType, node: FieldNode) -> None:
    selected = next(f for f in parent.fields if f.name == node.name.value)
    returned = check.types.get(named_type(selected.type))
    asked = [Requirements.on(selected.directives)]
    asked += [Requirements.on(returned.directives)] if returned is not None else []
    if not all(check.asks.meets(other) for other in asked):
        check.problems.append(f'the transitive field "{parent.name}.{selected.name}" data')
    if node.selection_set is not None and returned is not None:
        _walk(check, returned, node.selection_set)


def _missing(graph: Graph, merged: MergedType, owned: MergedField, what: str) -> CompositionError:
    return CompositionError(
        Code.MISSING_TRANSITIVE_AUTH_REQUIREMENTS,
        f'[{graph.name}] Field "{merged.name}.{owned.name}" does not specify necessary '
        f"@authenticated, @requiresScopes and/or @policy auth requirements to access {what} "
        "from @requires selection set. Give the field at least the requirements of the fields "
        "it requires.",
        graph.name,
        merged.name,
        owned.name,
    )
