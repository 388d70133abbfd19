"""How subgraph fetches follow a supergraph query path, one step at a time.

A ``Position`` is where a fetch plan can stand: a type of one subgraph. ``Walker.advance``
moves it over one supergraph step (a field, or a type condition) as Apollo's
``advancePathWithTransition`` does: directly in the same subgraph, or after @key jumps to
other subgraphs whose key fields it can collect. When nothing works it returns ``Stuck``
with the dead ends met, which the error message explains.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from router.composition.query_graph import (
    ROOT_TYPES,
    TYPENAME,
    FieldTree,
    Missing,
    QueryGraph,
    print_field_tree,
    subtree,
)

# How a position was reached: from the supergraph root, by a @key jump, or otherwise.
Via = Literal["root", "key", "field"]
# Subgraphs a condition may not jump to, and conditions already being resolved.
Exclusions = tuple[frozenset[str], frozenset[FieldTree]]
# The progressive @override labels a query path assumes on (True) or off (False).
Labels = frozenset[tuple[str, bool]]
NO_EXCLUSIONS: Exclusions = (frozenset(), frozenset())
TYPENAME_CONDITION: FieldTree = ((TYPENAME, ()),)


@dataclass(frozen=True)
class Position:
    subgraph: str
    type: str
    # What an enclosing @provides makes resolvable here, though @external.
    provided: FieldTree | None = None
    via: Via = "field"


@dataclass(frozen=True)
class FieldStep:
    parent: str
    name: str
    leaf: bool


@dataclass(frozen=True)
class CastStep:
    """A type condition ``... on target`` on an abstract type ``source``."""

    source: str
    target: str
    source_is_interface: bool = True


Step = FieldStep | CastStep


@dataclass(frozen=True)
class DeadEnd:
    source: str
    target: str
    details: str


@dataclass
class Stuck:
    """No way past a step from ``position``; ``dead_ends`` say what was tried."""

    position: Position
    step: Step
    dead_ends: list[DeadEnd] = field(default_factory=list)


Moves = tuple[list[Position], list[DeadEnd]]


class Walker:
    """Advances positions over one query graph, caching @key jumps and conditions."""

    def __init__(self, graph: QueryGraph) -> None:
        self.graph = graph
        self._jumps: dict[tuple[Position, Exclusions], Moves] = {}
        self._conditions: dict[tuple[Position, FieldTree, Exclusions], bool] = {}

    def advance(
        self,
        position: Position,
        step: Step,
        exclusions: Exclusions = NO_EXCLUSIONS,
        labels: Labels = frozenset(),
    ) -> list[Position] | Stuck:
        """The positions after ``step``; an empty list when the step can never match.

        Conditions (@key, @requires fields) are collected with no ``labels``: a field
        under a progressive @override cannot be part of them.
        """
        if isinstance(step, CastStep) and not self._may_be(position, step):
            return []
        options, dead_ends = self._direct(position, step, labels)
        if options and isinstance(step, FieldStep) and step.leaf:
            return options
        jumps, jump_dead_ends = self.jumps(position, exclusions)
        for jumped in jumps:
            more, more_dead_ends = self._direct(jumped, step, labels)
            options += more
            dead_ends += more_dead_ends
        if options:
            return options
        return Stuck(position, step, dead_ends + jump_dead_ends)

    def jumps(self, position: Position, exclusions: Exclusions = NO_EXCLUSIONS) -> Moves:
        """Where @key (and root type) edges take ``position``, shortest hops first."""
        cache_key = (position, exclusions)
        if cache_key not in self._jumps:
            self._jumps[cache_key] = self._compute_jumps(position, exclusions)
        return self._jumps[cache_key]

    def can_collect(
        self, position: Position, tree: FieldTree, exclusions: Exclusions = NO_EXCLUSIONS
    ) -> bool:
        """Whether fetches from ``position`` can collect every field of ``tree``."""
        excluded, conditions = exclusions
        inner = (excluded, conditions | {tree})
        cache_key = (position, tree, inner)
        if cache_key not in self._conditions:
            self._conditions[cache_key] = False  # a cycle through the same condition fails
            self._conditions[cache_key] = self._collect([position], tree, inner)
        return self._conditions[cache_key]

    def _collect(self, positions: list[Position], tree: FieldTree, exclusions: Exclusions) -> bool:
        for key, sub in tree:
            options: list[Position] = []
            for position in positions:
                moved = self.advance(position, self._condition_step(position, key, sub), exclusions)
                if isinstance(moved, list):
                    options += moved
            if not options or (sub and not self._collect(options, sub, exclusions)):
                return False
        return True

    def _condition_step(self, position: Position, key: str, sub: FieldTree) -> Step:
        if key.startswith("... on "):
            return CastStep(position.type, key.removeprefix("... on "))
        return FieldStep(position.type, key, leaf=not sub)

    def _may_be(self, position: Position, step: CastStep) -> bool:
        """False when no runtime type of ``position`` matches the type condition, so the
        step gives no data at all. An object standing for an interface (@interfaceObject)
        stands for every implementation."""
        found = self.graph.type(position.subgraph, position.type)
        if step.source_is_interface and found is not None and found.kind == "object":
            return True
        targets = self.graph.implementations.get(step.target, [step.target])
        here = self.graph.runtime_types(position.subgraph, position.type)
        return any(target in here for target in targets)

    def _direct(self, position: Position, step: Step, labels: Labels) -> Moves:
        if isinstance(step, CastStep):
            return self._cast(position, step)
        return self._field(self._restore_cast(position, step), step, labels)

    def _restore_cast(self, position: Position, step: FieldStep) -> Position:
        """After a key on an interface, go back to the implementation the query is on."""
        sub = position.subgraph
        if position.type == step.parent or self.graph.is_interface_object(sub, position.type):
            return position
        if step.parent not in self.graph.runtime_types(sub, position.type):
            return position
        return Position(sub, step.parent, subtree(position.provided, f"... on {step.parent}"))

    def _cast(self, position: Position, step: CastStep) -> Moves:
        sub = position.subgraph
        if step.target == position.type:
            return [position], []
        if self.graph.is_interface_object(sub, position.type):
            # Only a subgraph with the real interface can tell the implementation.
            if self.can_collect(position, TYPENAME_CONDITION):
                return [Position(sub, position.type, position.provided)], []
            details = (
                "no subgraph can be reached to resolve the implementation type of "
                f'@interfaceObject type "{position.type}"'
            )
            return [], [DeadEnd(sub, sub, details)]
        if step.target in self.graph.runtime_types(sub, position.type):
            provided = subtree(position.provided, f"... on {step.target}")
            return [Position(sub, step.target, provided)], []
        return [], [DeadEnd(sub, sub, f'cannot find type "{step.target}"')]

    def _field(self, position: Position, step: FieldStep, labels: Labels) -> Moves:
        sub = position.subgraph
        if step.name == TYPENAME:
            if self.graph.is_interface_object(sub, position.type):
                return [], [DeadEnd(sub, sub, f'cannot find field "{position.type}.{TYPENAME}"')]
            return [Position(sub, "String")], []
        provided = subtree(position.provided, step.name)
        edge = self.graph.field(sub, position.type, step.name)
        if isinstance(edge, Missing):
            if provided is None:
                return [], [DeadEnd(sub, sub, self._missing(position, step, edge))]
            field_type = self.graph.field_type(sub, position.type, step.name)
            return [Position(sub, field_type, provided or None)], []
        label = self.graph.labelled.get((sub, position.type, step.name))
        if label is not None and label not in labels:
            name, value = label
            details = (
                f'field "{position.type}.{step.name}" is resolved in this subgraph only while '
                f'override label "{name}" is {"on" if value else "off"}'
            )
            return [], [DeadEnd(sub, sub, details)]
        if edge.requires is not None:
            problem = self._requires_problem(position, step, edge.requires)
            if problem is not None:
                return [], [DeadEnd(sub, sub, problem)]
        return [Position(sub, edge.type, provided or edge.provides)], []

    def _requires_problem(
        self, position: Position, step: FieldStep, requires: FieldTree
    ) -> str | None:
        sub = position.subgraph
        coordinate = f"{position.type}.{step.name}"
        if not self.can_collect(position, requires):
            return f'cannot satisfy @require conditions on field "{coordinate}"' + self._hint(
                position
            )
        # The required fields come from elsewhere: a key must lead back here.
        if position.via != "key" and not self.graph.has_local_key(sub, position.type):
            return (
                f'@require condition on field "{coordinate}" can be satisfied but missing '
                f'usable key on "{position.type}" in subgraph "{sub}" to resume query'
            )
        return None

    def _hint(self, position: Position) -> str:
        fields = self.graph.external_key_fields(position.subgraph, position.type)
        if not fields:
            return ""
        names = ", ".join(f'"{name}"' for name in fields)
        noun = "field" if len(fields) == 1 else "fields"
        return (
            f" (please ensure that this is not due to key {noun} {names} being accidentally "
            "marked @external)"
        )

    def _missing(self, position: Position, step: FieldStep, why: Missing) -> str:
        coordinate = f"{step.parent}.{step.name}"
        if why is Missing.EXTERNAL:
            return f'field "{coordinate}" is not resolvable because marked @external'
        if why is Missing.OVERRIDDEN:
            names = self.graph.overriders(position.subgraph, position.type, step.name)
            by = ", ".join(f'"{name}"' for name in names)
            return f'field "{coordinate}" is not resolvable because it is overridden by {by}'
        if self.graph.type(position.subgraph, step.parent) is None and position.type != step.parent:
            return (
                f'cannot find implementation type "{step.parent}" (supergraph interface '
                f'"{position.type}" is declared with @interfaceObject in "{position.subgraph}")'
            )
        return f'cannot find field "{coordinate}"'

    def _compute_jumps(self, position: Position, exclusions: Exclusions) -> Moves:
        if position.via == "root":
            return [], []  # every subgraph's root is a starting position already
        excluded, conditions = exclusions
        if position.type in ROOT_TYPES:
            return [
                Position(other, position.type)
                for other in self.graph.subgraphs
                if other != position.subgraph
                and other not in excluded
                and self.graph.has_root(other, position.type)
            ], []
        found: dict[str, Position] = {}
        dead_ends: list[DeadEnd] = []
        queue = deque([position])
        while queue:
            current = queue.popleft()
            for edge in self.graph.key_edges(current.subgraph, current.type):
                target = edge.target
                if target in excluded or target == position.subgraph or target in found:
                    continue
                if edge.fields in conditions:
                    continue
                if self.can_collect(current, edge.fields, (excluded | {target}, conditions)):
                    found[target] = Position(target, edge.target_type, via="key")
                    queue.append(found[target])
                else:
                    dead_ends.append(self._unusable_key(current, target, edge.fields))
        return list(found.values()), dead_ends

    def _unusable_key(self, current: Position, target: str, fields: FieldTree) -> DeadEnd:
        details = (
            f'cannot move to subgraph "{target}" using @key(fields: "{print_field_tree(fields)}") '
            f'of "{current.type}", the key field(s) cannot be resolved from subgraph '
            f'"{current.subgraph}"'
        )
        return DeadEnd(current.subgraph, target, details)
