"""The client's response, shaped from the data the subgraphs returned.

graphql-core executes the client's operation against the API schema with the merged
data as root value and a resolver that reads each field's response key. That gives
the client's field order and aliases, ``__typename``, ``@skip``/``@include``, fragments
on abstract types (by the data's ``__typename``), introspection, drops the fields the
plan added for joins, and bubbles nulls by the API schema's nullability.

Apollo's gateway reports the subgraphs' errors only: errors found while shaping (a null
for a non-null field) bubble the null but are not added to ``errors``; when no fetch
failed they go to ``extensions.valueCompletion`` instead.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLAbstractType,
    GraphQLResolveInfo,
    GraphQLSchema,
    execute,
)

INVALID = {"code": "INVALID_GRAPHQL"}


def shape_response(
    api_schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    data: dict[str, Any],
    fetch_errors: list[dict[str, Any]],
) -> dict[str, Any]:
    """The response body for ``document`` given the merged ``data`` and fetch errors."""
    result = execute(
        api_schema,
        document,
        root_value=data,
        variable_values=variables,
        operation_name=operation_name,
        field_resolver=_read_response_key,
        type_resolver=_read_typename,
    )
    assert not hasattr(result, "__await__"), "resolvers are synchronous"
    body: dict[str, Any] = {}
    if fetch_errors:
        body["errors"] = fetch_errors
    body["data"] = result.data  # type: ignore[union-attr]
    shaping_errors = result.errors  # type: ignore[union-attr]
    if shaping_errors and not fetch_errors:
        body["extensions"] = {
            "valueCompletion": [
                {"message": error.message, "path": error.path, "extensions": INVALID}
                for error in shaping_errors
            ]
        }
    return body


def _read_response_key(source: Any, info: GraphQLResolveInfo, **_: Any) -> Any:
    return source.get(info.path.key) if isinstance(source, dict) else None


def _read_typename(value: Any, info: GraphQLResolveInfo, abstract: GraphQLAbstractType) -> Any:
    """The object's own type; an ``@interfaceObject`` subgraph knows none (it gives the
    interface's name or nothing) and any implementation shapes the interface's fields."""
    typename = value.get("__typename") if isinstance(value, dict) else None
    possible = info.schema.get_possible_types(abstract)
    if typename is None or typename == abstract.name:
        return possible[0].name if possible else None
    return typename
