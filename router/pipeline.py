"""One client operation through the router: parse, validate, plan, execute, shape.

Request errors carry the status and codes Apollo Server gives in front of Apollo's
gateway: ``GRAPHQL_PARSE_FAILED`` and ``GRAPHQL_VALIDATION_FAILED`` (400) before any
subgraph is called, 500 ``INVALID_GRAPHQL`` for a missing or unknown operation name (the gateway's
quirk), 405 for a mutation sent with GET (checked before validation, as Apollo does), and
``BAD_USER_INPUT`` with status 200 for variables that do not coerce.

Parsing, validation, the choice of operation and planning are done once per query text
and operation name (``OperationCache``); only the variables are checked per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType
from graphql.execution.values import get_variable_values

from router.executor import ExecutionContext, execute_plan
from router.operation_cache import OperationCache, PreparedOperation
from router.plan import QueryPlan, format_plan, plan_object
from router.response import shape_response
from router.subgraph_fetch import SubgraphClient
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


class PlanExposure(Enum):
    """What a client asks with Apollo's ``Apollo-Expose-Query-Plan`` header, by its value."""

    INCLUDE = "true"  # run the operation; the plan comes in the response's extensions
    DRY_RUN = "dry-run"  # answer with the plan alone: no subgraph is called


@dataclass(frozen=True)
class Router:
    supergraph: Supergraph
    operations: OperationCache
    client: SubgraphClient
    timeout_seconds: float

    async def run(
        self,
        request: GraphQLRequest,
        headers: Mapping[str, str],
        *,
        read_only: bool = False,
        expose_plan: PlanExposure | None = None,
    ) -> dict[str, Any]:
        """The response body for ``request``; raises ``RequestError`` to refuse it."""
        prepared = self._prepare(request)
        if read_only:
            _check_read_only(prepared.operation)
        if prepared.validation_errors:
            raise RequestError.from_graphql(prepared.validation_errors, "GRAPHQL_VALIDATION_FAILED")
        operation = _operation(prepared.operation, request.operation_name)
        variables = request.variables or {}
        self._check_variables(operation, variables)
        plan = self.operations.plan(prepared)
        if expose_plan is PlanExposure.DRY_RUN:
            return _with_plan({}, plan)
        loop = asyncio.get_running_loop()
        context = ExecutionContext(
            self.supergraph.subgraph_urls,
            self.client,
            # Defaults of the variables left out: plan conditions (``@include(if: $v)``
            # lifted out of fetches) read them, and a subgraph given the default
            # explicitly answers as if it had applied it itself.
            variables={**prepared.variable_defaults, **variables},
            headers=headers,
            deadline=loop.time() + self.timeout_seconds,
        )
        data, errors = await execute_plan(plan, context)
        shaping = self.operations.shaping(prepared)
        body = shape_response(shaping, request.variables, data, errors)
        return _with_plan(body, plan) if expose_plan is PlanExposure.INCLUDE else body

    def _prepare(self, request: GraphQLRequest) -> PreparedOperation:
        try:
            return self.operations.get(request.query, request.operation_name)
        except GraphQLError as error:
            raise RequestError.from_graphql([error], "GRAPHQL_PARSE_FAILED") from error

    def _check_variables(self, operation: OperationDefinitionNode, values: dict[str, Any]) -> None:
        coerced = get_variable_values(
            self.supergraph.api_schema, operation.variable_definitions or (), values
        )
        if isinstance(coerced, list):
            # Apollo Server 4 answers 200 here (its status400ForVariableCoercionErrors is off).
            raise RequestError.from_graphql(coerced, "BAD_USER_INPUT", status=200)


def _operation(
    operation: OperationDefinitionNode | None, name: str | None
) -> OperationDefinitionNode:
    if operation is not None:
        return operation
    if name is None:
        message = "Must provide operation name if query contains multiple operations."
    else:
        message = f'Unknown operation named "{name}".'
    # Apollo's gateway fails here inside its own operation handling: 500, INVALID_GRAPHQL
    # (Apollo Server alone would say 400, OPERATION_RESOLUTION_FAILURE).
    raise RequestError.of(500, message, "INVALID_GRAPHQL")


def _with_plan(body: dict[str, Any], plan: QueryPlan) -> dict[str, Any]:
    """``body`` with the plan in ``extensions.apolloQueryPlan``, as Apollo's router puts it."""
    exposed = {"object": plan_object(plan), "text": format_plan(plan)}
    return {**body, "extensions": {**body.get("extensions", {}), "apolloQueryPlan": exposed}}


def _check_read_only(operation: OperationDefinitionNode | None) -> None:
    if operation is not None and operation.operation != OperationType.QUERY:
        kind = operation.operation.value
        message = f"GET requests only support query operations, not {kind} operations"
        raise RequestError.of(405, message, "BAD_REQUEST")
