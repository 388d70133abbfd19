"""Response shaping by the projection: exact answers, and the same answers as graphql-core's
``execute`` (what shaped responses before) on every corruption of the data."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import build_schema, get_operation_ast, parse

from router.response import Shaping, shape_response, shaping_for

SCHEMA = build_schema(
    """
    type Query {
      me: User
      users: [User!]!
      products: [Product]
      search(text: String): [Result!]
      review: Review!
      matrix: [[Int!]]
    }
    type Mutation { rename(name: String!): User }
    interface Node { id: ID! }
    interface Product { upc: String! name: String price: Int }
    type Book implements Product & Node {
      id: ID! upc: String! name: String price: Int pages: Int!
    }
    type Movie implements Product & Node {
      id: ID! upc: String! name: String price: Int minutes: Int
    }
    type User implements Node {
      id: ID! name: String! nickname: String reviews: [Review!] favourite: Product stars: Stars
    }
    type Review { id: ID! body: String product: Product! author: User }
    union Result = Book | Movie | User
    enum Stars { ONE TWO THREE }
    """
)

QUERY = """
query Everything($withReviews: Boolean!, $skipName: Boolean = false) {
  __typename
  me { __typename ...U }
  people: users {
    id name @skip(if: $skipName) nickname
    reviews @include(if: $withReviews) {
      body product { __typename upc ... on Book { pages } ... on Movie { minutes } }
    }
  }
  search(text: "x") {
    kind: __typename ... on Node { id } ... on Product { name } ... on User { name }
  }
  products { upc price }
  matrix
}
fragment U on User { name favourite { name ... on Book { pages } } stars }
"""

BOOK = {"__typename": "Book", "id": "b1", "upc": "1", "name": "Dune", "price": 9, "pages": 412}
MOVIE = {"__typename": "Movie", "id": "m1", "upc": "2", "name": "Alien", "price": 5, "minutes": 117}
ADA = {"__typename": "User", "id": "u1", "name": "Ada", "nickname": None}
# What the executor merges: the client's keys and the fields plans add for joins.
DATA: dict[str, Any] = {
    "me": {**ADA, "favourite": {**BOOK}, "stars": "TWO"},
    "people": [
        {
            **ADA,
            "reviews": [
                {"id": "r1", "body": "Great", "product": {**BOOK}},
                {"id": "r2", "body": None, "product": {**MOVIE}},
            ],
        },
        {"__typename": "User", "id": "u2", "name": "Alan", "nickname": "al", "reviews": []},
    ],
    "search": [{**BOOK}, {**ADA}, {**MOVIE}],
    "products": [{**BOOK}, None],
    "matrix": [[1, 2], None, []],
}


def shape(
    query: str,
    data: dict[str, Any],
    variables: dict[str, Any] | None = None,
    fetch_errors: list[dict[str, Any]] | None = None,
    *,
    projected: bool = True,
) -> dict[str, Any]:
    """The response body, by the projection (or by graphql-core's ``execute``)."""
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    shaping = shaping_for(SCHEMA, document, operation, None)
    if not projected:
        shaping = Shaping(SCHEMA, document, None, None)
    return shape_response(shaping, variables, copy.deepcopy(data), fetch_errors or [])


def value_completion(message: str, path: list[str | int]) -> dict[str, Any]:
    return {"message": message, "path": path, "extensions": {"code": "INVALID_GRAPHQL"}}


def test_keys_follow_the_query_with_aliases_typenames_fragments_and_conditions() -> None:
    # when
    body = shape(QUERY, DATA, {"withReviews": True})
    # then
    book_product = {"__typename": "Book", "upc": "1", "pages": 412}
    movie_product = {"__typename": "Movie", "upc": "2", "minutes": 117}
    assert body == {
        "data": {
            "__typename": "Query",
            "me": {
                "__typename": "User",
                "name": "Ada",
                "favourite": {"name": "Dune", "pages": 412},
                "stars": "TWO",
            },
            "people": [
                {
                    "id": "u1",
                    "name": "Ada",
                    "nickname": None,
                    "reviews": [
                        {"body": "Great", "product": book_product},
                        {"body": None, "product": movie_product},
                    ],
                },
                {"id": "u2", "name": "Alan", "nickname": "al", "reviews": []},
            ],
            "search": [
                {"kind": "Book", "id": "b1", "name": "Dune"},
                {"kind": "User", "id": "u1", "name": "Ada"},
                {"kind": "Movie", "id": "m1", "name": "Alien"},
            ],
            "products": [{"upc": "1", "price": 9}, None],
            "matrix": [[1, 2], None, []],
        }
    }
    assert list(body["data"]["people"][0]) == ["id", "name", "nickname", "reviews"]


def test_skip_and_include_read_each_request_s_variables_and_defaults() -> None:
    # given
    query = (
        "query ($a: Boolean!, $b: Boolean = true) { me { id @include(if: $a) name @skip(if: $b) } }"
    )
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    shaping = shaping_for(SCHEMA, document, operation, None)
    assert shaping.projection is not None
    # when
    answers = [
        shape_response(shaping, variables, copy.deepcopy(DATA), [])
        for variables in ({"a": True}, {"a": False, "b": False}, {"a": True}, {"a": False})
    ]
    # then
    assert [answer["data"]["me"] for answer in answers] == [
        {"id": "u1"},
        {"name": "Ada"},
        {"id": "u1"},
        {},
    ]
    assert sorted(shaping.projection.shapes) == [(False, False), (False, True), (True, True)]


def test_interface_object_data_without_its_own_typename_shapes_as_the_first_implementation() -> (
    None
):
    # given: an @interfaceObject subgraph names the interface, or nothing
    data = {"products": [{"__typename": "Product", "upc": "7"}, {"upc": "8", "name": "Tea"}]}
    # when
    body = shape("{ products { __typename upc name ... on Movie { minutes } } }", data)
    # then: Book is Product's first possible type, so the Movie fragment does not apply
    assert body == {
        "data": {
            "products": [
                {"__typename": "Book", "upc": "7", "name": None},
                {"__typename": "Book", "upc": "8", "name": "Tea"},
            ]
        }
    }


def test_null_for_a_non_null_field_nulls_the_nearest_nullable_parent() -> None:
    # given: the second review's product is missing; Review.product is Product!
    data = copy.deepcopy(DATA)
    del data["people"][0]["reviews"][1]["product"]
    # when
    body = shape("{ me { name } people: users { id reviews { product { upc } } } }", data)
    # then: [Review!] is nullable, so the user's whole list goes
    assert body == {
        "data": {
            "me": {"name": "Ada"},
            "people": [{"id": "u1", "reviews": None}, {"id": "u2", "reviews": []}],
        },
        "extensions": {
            "valueCompletion": [
                value_completion(
                    "Cannot return null for non-nullable field Review.product.",
                    ["people", 0, "reviews", 1, "product"],
                )
            ]
        },
    }


def test_null_bubbles_through_non_null_lists_to_the_data_and_stops_the_other_fields() -> None:
    # given: users is [User!]! and the first user has no name (String!)
    data = copy.deepcopy(DATA)
    data["people"][0]["name"] = None
    data["me"] = {"name": None}
    # when
    body = shape("{ people: users { name } me { name } }", data)
    # then: me comes after the failing field, so its own error is not reported
    assert body == {
        "data": None,
        "extensions": {
            "valueCompletion": [
                value_completion(
                    "Cannot return null for non-nullable field User.name.", ["people", 0, "name"]
                )
            ]
        },
    }


def test_null_item_of_a_non_null_list_item_type_nulls_the_list() -> None:
    # given: matrix is [[Int!]]
    data = {"matrix": [[1, None], [3]]}
    # when
    body = shape("{ matrix }", data)
    # then
    message = "Cannot return null for non-nullable field Query.matrix."
    assert body == {
        "data": {"matrix": [None, [3]]},
        "extensions": {"valueCompletion": [value_completion(message, ["matrix", 0, 1])]},
    }


def test_value_completion_is_left_out_when_a_fetch_failed() -> None:
    # given
    fetch_error = {"message": "down", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    # when
    body = shape("{ review { id } }", {}, fetch_errors=[fetch_error])
    # then
    assert body == {"errors": [fetch_error], "data": None}


def test_abstract_value_of_a_type_outside_the_schema_is_an_error() -> None:
    # when
    body = shape('{ search(text: "x") { __typename } }', {"search": [{"__typename": "Secret"}]})
    # then: Result! items, and search itself is nullable
    message = "Abstract type 'Result' was resolved to a type 'Secret' that does not exist inside the schema."  # noqa: E501
    assert body == {
        "data": {"search": None},
        "extensions": {"valueCompletion": [value_completion(message, ["search", 0])]},
    }


def test_mutation_is_projected_too() -> None:
    # given
    data = {"rename": {"__typename": "User", "id": "u1", "name": "Bea"}}
    # when
    body = shape('mutation { __typename rename(name: "Bea") { name } }', data)
    # then
    assert body == {"data": {"__typename": "Mutation", "rename": {"name": "Bea"}}}


def test_introspection_is_shaped_by_graphql_core() -> None:
    # given
    query = '{ __type(name: "Stars") { enumValues { name } } me { name } }'
    document = parse(query)
    operation = get_operation_ast(document)
    assert operation is not None
    # when
    shaping = shaping_for(SCHEMA, document, operation, None)
    body = shape_response(shaping, None, {"me": {"name": "Ada"}}, [])
    # then
    assert shaping.projection is None
    stars = [{"name": name} for name in ("ONE", "TWO", "THREE")]
    assert body == {"data": {"__type": {"enumValues": stars}, "me": {"name": "Ada"}}}


def test_condition_variable_given_as_null_is_left_to_graphql_core() -> None:
    # given
    query = "query ($b: Boolean = true) { me { name @include(if: $b) } }"
    # when
    body = shape(query, DATA, {"b": None})
    # then
    message = (
        "Argument 'if' has invalid value:"
        " Expected variable '$b' provided to non-null type 'Boolean!' not to be None."
    )
    assert body == {
        "data": {"me": None},
        "extensions": {"valueCompletion": [value_completion(message, ["me"])]},
    }
    assert body == shape(query, DATA, {"b": None}, projected=False)


def corruptions(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in ``value``."""
    if isinstance(value, dict):
        items: Iterator[tuple[Any, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield (*path, key)
        yield from corruptions(item, (*path, key))


BAD_VALUES = [None, "text", 7, 2.5, True, {}, [], [None], {"__typename": "Nope"}, {"__typename": 3}]


def with_value(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    "variables", [{"withReviews": True}, {"withReviews": False, "skipName": True}]
)
def test_every_corruption_of_the_data_shapes_as_graphql_core_did(
    variables: dict[str, Any],
) -> None:
    # given
    cases = [with_value(DATA, path, value) for path in corruptions(DATA) for value in BAD_VALUES]
    # when
    differences = [
        data
        for data in cases
        if shape(QUERY, data, variables) != shape(QUERY, data, variables, projected=False)
    ]
    # then
    assert len(cases) == 810
    assert differences == []
