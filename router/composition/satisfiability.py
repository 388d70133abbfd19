"""Post-merge check that subgraph fetches can answer every supergraph API query.

As Apollo's composition (``validate.ts``), walk every path of the API schema from its root
types, keeping for each the positions subgraph fetches can reach (``subgraph_paths``). A
step no position can take is a ``SATISFIABILITY_ERROR``, shown with an example query and,
per subgraph, why it fails. A type already checked with a subset of the current
subgraphs is not walked again, which bounds the walk.
"""

from __future__ import annotations

from dataclasses import dataclass

from router.composition.errors import CompositionError
from router.composition.model import Applied, MergedType, Supergraph
from router.composition.query_graph import TYPENAME, QueryGraph
from router.composition.satisfiability_messages import unsatisfiable
from router.composition.subgraph import Subgraph
from router.composition.subgraph_paths import (
    CastStep,
    FieldStep,
    Labels,
    Position,
    Step,
    Stuck,
    Walker,
)
from router.composition.typeref import named_type
from router.composition.validate import COMPOSITE


@dataclass(frozen=True)
class State:
    """A supergraph path (``steps``) ending on ``type``, and where fetches can be."""

    steps: tuple[Step, ...]
    type: str
    positions: tuple[Position, ...]
    labels: Labels = frozenset()


def check_satisfiability(
    subgraphs: list[Subgraph], supergraph: Supergraph
) -> list[CompositionError]:
    """One ``SATISFIABILITY_ERROR`` per supergraph step no subgraph fetch can take."""
    api = ApiSchema(supergraph)
    walker = Walker(QueryGraph(subgraphs, api.all_implementations))
    return _Traversal(api, walker).run()


class ApiSchema:
    """The merged types clients can query: no @inaccessible type or field."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.roots = supergraph.roots
        self.types = {t.name: t for t in supergraph.types if _accessible(t.directives)}
        objects = [t for t in supergraph.types if t.kind == "object"]
        self.all_implementations = {
            t.name: [o.name for o in objects if t.name in o.interfaces]
            for t in supergraph.types
            if t.kind == "interface"
        }

    def steps(self, name: str) -> list[Step]:
        """The supergraph edges out of type ``name``: fields, or casts to runtime types."""
        found = self.types[name]
        if found.kind == "object":
            return [
                FieldStep(name, f.name, self.is_leaf(named_type(f.type)))
                for f in found.fields
                if f.name != TYPENAME and _accessible(f.directives)
            ]
        interface = found.kind == "interface"
        return [CastStep(name, target, interface) for target in self.runtime_types(found)]

    def runtime_types(self, abstract: MergedType) -> list[str]:
        if abstract.kind == "union":
            return [m for m in abstract.members if m in self.types]
        implementations = self.all_implementations[abstract.name]
        return [name for name in implementations if name in self.types]

    def is_leaf(self, name: str) -> bool:
        found = self.types.get(name)
        return found is None or found.kind not in COMPOSITE


def _accessible(directives: list[Applied]) -> bool:
    return not any(d.name == "inaccessible" for d in directives)


class _Traversal:
    def __init__(self, api: ApiSchema, walker: Walker) -> None:
        self.api = api
        self.walker = walker
        self.graph = walker.graph
        self.errors: list[CompositionError] = []
        # supergraph type -> the (subgraph, type) sets and labels it was checked with
        self.visits: dict[str, list[tuple[frozenset[tuple[str, str]], Labels]]] = {}

    def run(self) -> list[CompositionError]:
        stack = [self._initial(root) for root in self.api.roots.values() if root in self.api.types]
        while stack:
            state = stack.pop()
            if self._seen(state):
                continue
            for step in self.api.steps(state.type):
                for labels in self._label_choices(state, step):
                    moved = self._move(state, step, labels)
                    if moved is not None and not self.api.is_leaf(moved.type):
                        stack.append(moved)
        return self.errors

    def _initial(self, root: str) -> State:
        positions = tuple(
            Position(name, root, via="root")
            for name in self.graph.subgraphs
            if self.graph.has_root(name, root)
        )
        return State((), root, positions)

    def _seen(self, state: State) -> bool:
        """Whether ``state.type`` was checked from a subset of these positions already:
        with more places to fetch from, whatever worked then works now."""
        current = frozenset((p.subgraph, p.type) for p in state.positions)
        previous = self.visits.setdefault(state.type, [])
        if any(seen <= current and labels <= state.labels for seen, labels in previous):
            return True
        previous.append((current, state.labels))
        return False

    def _label_choices(self, state: State, step: Step) -> list[Labels]:
        """A field under a progressive @override is checked with its label on and off,
        unless the path already took one side."""
        if not isinstance(step, FieldStep) or (step.parent, step.name) not in self.graph.labels:
            return [state.labels]
        label = self.graph.labels[(step.parent, step.name)]
        taken = [value for name, value in state.labels if name == label]
        return [state.labels | {(label, value)} for value in taken or (True, False)]

    def _move(self, state: State, step: Step, labels: Labels) -> State | None:
        """The state after ``step``, or None when the path ends (an error or no data)."""
        positions: list[Position] = []
        stuck: list[Stuck] = []
        for position in state.positions:
            moved = self.walker.advance(position, step, labels=labels)
            if isinstance(moved, Stuck):
                stuck.append(moved)
            elif not moved:
                return None  # the type condition can never match: nothing follows
            else:
                positions += moved
        steps = (*state.steps, step)
        if not positions:
            self.errors.append(unsatisfiable(self.api, self.graph, steps, stuck))
            return None
        target = step.target if isinstance(step, CastStep) else self._field_type(step)
        return State(steps, target, tuple(positions), labels)

    def _field_type(self, step: FieldStep) -> str:
        parent = self.api.types[step.parent]
        return next(named_type(f.type) for f in parent.fields if f.name == step.name)
