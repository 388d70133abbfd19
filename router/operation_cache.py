"""What a repeated client operation needs, prepared once per query text and operation name.

A cache hit skips parsing, validation, choosing the operation and the planner's own
cache key (``print_ast``): Apollo's router keeps the same kind of query analysis cache in
front of its planner. Only what depends on the request (variables) is left to do.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    value_from_ast_untyped,
)

from router.plan import QueryPlan
from router.planner import QueryPlanner, validate
from router.response import Shaping, shaping_for
from router.supergraph import Supergraph


@dataclass
class PreparedOperation:
    """A parsed document, its validation errors, the chosen operation, its plan and
    how its responses are shaped.

    ``operation`` is None when the document has no operation of that name. ``plan`` and
    ``shaping`` are filled by ``OperationCache`` the first time a request gets that far,
    so an operation refused before planning (invalid, or a mutation over GET) is never
    planned.
    """

    document: DocumentNode
    operation_name: str | None
    validation_errors: list[GraphQLError]
    operation: OperationDefinitionNode | None
    # The defaults of the operation's variables, to add to those a request leaves out.
    variable_defaults: dict[str, Any]
    plan: QueryPlan | None = None
    shaping: Shaping | None = None


class OperationCache:
    """An LRU of ``PreparedOperation`` keyed by the raw query text and operation name.

    A query that does not parse raises ``GraphQLError`` and is not kept. Entries are
    shared by concurrent requests: nothing in them depends on a request.
    """

    def __init__(self, supergraph: Supergraph, planner: QueryPlanner, size: int = 1024) -> None:
        self.supergraph = supergraph
        self.planner = planner
        self.size = size
        self._entries: OrderedDict[tuple[str, str | None], PreparedOperation] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> PreparedOperation:
        key = (query, operation_name)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry
        entry = self._prepare(query, operation_name)
        self._entries[key] = entry
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return entry

    def _prepare(self, query: str, operation_name: str | None) -> PreparedOperation:
        document = parse(query)
        errors = validate(self.supergraph, document)
        operation = get_operation_ast(document, operation_name)
        return PreparedOperation(
            document, operation_name, errors, operation, _variable_defaults(operation)
        )

    def plan(self, entry: PreparedOperation) -> QueryPlan:
        """The plan of a valid ``entry``, asked of the planner once and kept with it."""
        if entry.plan is None:
            entry.plan = self.planner.plan(entry.document, entry.operation_name)
        return entry.plan

    def shaping(self, entry: PreparedOperation) -> Shaping:
        """How the responses of a valid ``entry`` are shaped, decided once and kept with it."""
        if entry.shaping is None:
            assert entry.operation is not None, "only a chosen operation is shaped"
            api_schema = self.supergraph.api_schema
            entry.shaping = shaping_for(
                api_schema, entry.document, entry.operation, entry.operation_name
            )
        return entry.shaping

    def __len__(self) -> int:
        return len(self._entries)


def _variable_defaults(operation: OperationDefinitionNode | None) -> dict[str, Any]:
    if operation is None:
        return {}
    return {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
