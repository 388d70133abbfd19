"""The client's response, shaped from the data the subgraphs returned.

Shaping gives the client's field order and aliases, ``__typename``, ``@skip``/``@include``,
fragments on abstract types (by the data's ``__typename``), drops the fields the plan
added for joins, and bubbles nulls by the API schema's nullability. A query or mutation
is shaped by its ``Projection`` (``router/projection.py``), compiled once per cached
operation. An operation that reads introspection (``__schema``, ``__type``), or any
other kind of operation, goes through graphql-core's ``execute`` against the API
schema instead, with the merged data as root value and a resolver that reads each
field's response key; both give the same answers.

Apollo's gateway reports the subgraphs' errors only: errors found while shaping (a null
for a non-null field) bubble the null but are not added to ``errors``; when no fetch
failed they go to ``extensions.valueCompletion`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    Visitor,
    execute,
    visit,
)

from router.projection import Projection

INVALID = {"code": "INVALID_GRAPHQL"}
INTROSPECTION_FIELDS = ("__schema", "__type")


@dataclass(frozen=True)
class Shaping:
    """How the responses of one operation are shaped, decided once per cached operation:
    by ``projection``, or by graphql-core's ``execute`` when it is None."""

    api_schema: GraphQLSchema
    document: DocumentNode
    operation_name: str | None
    projection: Projection | None


def shaping_for(
    api_schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operation_name: str | None,
) -> Shaping:
    projected = operation.operation in (OperationType.QUERY, OperationType.MUTATION)
    if projected and not _reads_introspection(document):
        projection = Projection(api_schema, document, operation)
        return Shaping(api_schema, document, operation_name, projection)
    return Shaping(api_schema, document, operation_name, None)


def shape_response(
    shaping: Shaping,
    variables: dict[str, Any] | None,
    data: dict[str, Any],
    fetch_errors: list[dict[str, Any]],
) -> dict[str, Any]:
    """The response body given the merged ``data`` and fetch errors."""
    projection = shaping.projection
    completed = projection.complete(data, variables) if projection is not None else None
    if completed is None:
        completed = _execute(shaping, variables, data)
    shaped, shaping_errors = completed
    body: dict[str, Any] = {}
    if fetch_errors:
        body["errors"] = fetch_errors
    body["data"] = shaped
    if shaping_errors and not fetch_errors:
        body["extensions"] = {
            "valueCompletion": [
                {"message": error.message, "path": error.path, "extensions": INVALID}
                for error in shaping_errors
            ]
        }
    return body


def _execute(
    shaping: Shaping, variables: dict[str, Any] | None, data: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[GraphQLError]]:
    result = execute(
        shaping.api_schema,
        shaping.document,
        root_value=data,
        variable_values=variables,
        operation_name=shaping.operation_name,
        field_resolver=_read_response_key,
        type_resolver=_read_typename,
    )
    assert not hasattr(result, "__await__"), "resolvers are synchronous"
    return result.data, result.errors or []


def _read_response_key(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
    return source.get(info.path.key) if isinstance(source, dict) else None


def _read_typename(value: Any, info: GraphQLResolveInfo[Any], abstract: GraphQLAbstractType) -> Any:
    """The object's own type; an ``@interfaceObject`` subgraph knows none (it gives the
    interface's name or nothing) and any implementation shapes the interface's fields."""
    typename = value.get("__typename") if isinstance(value, dict) else None
    possible = info.schema.get_possible_types(abstract)
    if typename is None or typename == abstract.name:
        return possible[0].name if possible else None
    return typename


class _IntrospectionFields(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.found = True


def _reads_introspection(document: DocumentNode) -> bool:
    visitor = _IntrospectionFields()
    visit(document, visitor)
    return visitor.found
