"""Where the walk through a client operation is, and how planning fails."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DirectiveNode, SelectionSetNode

from router.planning.groups import FetchGroup
from router.planning.selections import SelectionBuilder


class PlanningError(Exception):
    """The operation cannot be planned against this supergraph."""


@dataclass(frozen=True)
class Position:
    """Where the walk is: the object at ``path``, of ``parent_type``, inside ``group``."""

    group: FetchGroup
    builder: SelectionBuilder
    parent_type: str
    path: tuple[str, ...]
    provided: SelectionSetNode | None = None
    conditions: tuple[DirectiveNode, ...] = ()
    # A field above was one of several options (a shareable root field, say). Apollo
    # then adds each of its leaves to the plan one by one, which orders things
    # differently: entity fetches in query order, keys after the fields selected so far.
    among_options: bool = False
    # The field is planned because a @requires needs it.
    for_requires: bool = False
    # Where the objects above this one whose types set a context (@context) are, outermost
    # first: a @fromContext argument takes its value from the nearest one setting its own.
    contexts: tuple[Position, ...] = ()
