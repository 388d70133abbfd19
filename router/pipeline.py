"""One client operation through the router: parse, validate, plan, execute, shape.

Request errors carry the status and codes Apollo Server gives in front of Apollo's
gateway: ``GRAPHQL_PARSE_FAILED`` and ``GRAPHQL_VALIDATION_FAILED`` (400) before any
subgraph is called, 500 ``INVALID_GRAPHQL`` for a missing or unknown operation name (the gateway's
quirk), 405 for a mutation sent with GET (checked before validation, as Apollo does), and
``BAD_USER_INPUT`` with status 200 for variables that do not coerce.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    value_from_ast_untyped,
)
from graphql.execution.values import get_variable_values

from router.executor import ExecutionContext, execute_plan
from router.planner import QueryPlanner, validate
from router.response import shape_response
from router.supergraph import Supergraph


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    operation_name: str | None = None
    variables: dict[str, Any] | None = None


class RequestError(Exception):
    """A request refused before execution: an HTTP status and the response's errors."""

    def __init__(self, status: int, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"])
        self.status = status
        self.errors = errors

    @classmethod
    def of(cls, status: int, message: str, code: str) -> RequestError:
        return cls(status, [{"message": message, "extensions": {"code": code}}])

    @classmethod
    def from_graphql(
        cls, errors: list[GraphQLError], code: str, *, status: int = 400
    ) -> RequestError:
        formatted = [{**error.formatted, "extensions": {"code": code}} for error in errors]
        return cls(status, formatted)


@dataclass(frozen=True)
class Router:
    supergraph: Supergraph
    planner: QueryPlanner
    client: httpx.AsyncClient
    timeout_seconds: float

    async def run(
        self, request: GraphQLRequest, headers: Mapping[str, str], *, read_only: bool = False
    ) -> dict[str, Any]:
        """The response body for ``request``; raises ``RequestError`` to refuse it."""
        document = _parse(request.query)
        if read_only:
            _check_read_only(get_operation_ast(document, request.operation_name))
        errors = validate(self.supergraph, document)
        if errors:
            raise RequestError.from_graphql(errors, "GRAPHQL_VALIDATION_FAILED")
        operation = self._operation(document, request.operation_name)
        self._check_variables(operation, request.variables or {})
        plan = self.planner.plan(document, request.operation_name)
        loop = asyncio.get_running_loop()
        context = ExecutionContext(
            self.supergraph.subgraph_urls,
            self.client,
            variables=_with_defaults(operation, request.variables or {}),
            headers=headers,
            deadline=loop.time() + self.timeout_seconds,
        )
        data, errors = await execute_plan(plan, context)
        api_schema = self.supergraph.api_schema
        return shape_response(
            api_schema, document, request.operation_name, request.variables, data, errors
        )

    def _operation(self, document: DocumentNode, name: str | None) -> OperationDefinitionNode:
        operation = get_operation_ast(document, name)
        if operation is not None:
            return operation
        if name is None:
            message = "Must provide operation name if query contains multiple operations."
        else:
            message = f'Unknown operation named "{name}".'
        # Apollo's gateway fails here inside its own operation handling: 500, INVALID_GRAPHQL
        # (Apollo Server alone would say 400, OPERATION_RESOLUTION_FAILURE).
        raise RequestError.of(500, message, "INVALID_GRAPHQL")

    def _check_variables(self, operation: OperationDefinitionNode, values: dict[str, Any]) -> None:
        coerced = get_variable_values(
            self.supergraph.api_schema, operation.variable_definitions or (), values
        )
        if isinstance(coerced, list):
            # Apollo Server 4 answers 200 here (its status400ForVariableCoercionErrors is off).
            raise RequestError.from_graphql(coerced, "BAD_USER_INPUT", status=200)


def _with_defaults(operation: OperationDefinitionNode, variables: dict[str, Any]) -> dict[str, Any]:
    """The client's variables plus the defaults of those it left out.

    Plan conditions (``@include(if: $v)`` lifted out of fetches) read them, and a
    subgraph given the default explicitly answers as if it had applied it itself.
    """
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    return {**defaults, **variables}


def _parse(query: str) -> DocumentNode:
    try:
        return parse(query)
    except GraphQLError as error:
        raise RequestError.from_graphql([error], "GRAPHQL_PARSE_FAILED") from error


def _check_read_only(operation: OperationDefinitionNode | None) -> None:
    if operation is not None and operation.operation != OperationType.QUERY:
        kind = operation.operation.value
        message = f"GET requests only support query operations, not {kind} operations"
        raise RequestError.of(405, message, "BAD_REQUEST")
