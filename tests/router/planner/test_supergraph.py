"""The supergraph model: subgraph URLs, join__ metadata and the API schema."""

from __future__ import annotations

from graphql import parse, print_schema

from router.planner import validate
from router.supergraph import FieldInGraph
from tests.router.planner.conftest import SupergraphOf, expected

USERS = """
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String secret: String @inaccessible }
"""
EMAILS = """
type User @key(fields: "id") { id: ID! email: String @override(from: "users") }
"""


def test_subgraph_urls_are_keyed_by_service_name(supergraph_of: SupergraphOf) -> None:
    # when
    supergraph = supergraph_of(users=USERS, emails=EMAILS)

    # then
    assert supergraph.subgraph_urls == {"emails": "http://emails", "users": "http://users"}


def test_join_metadata_says_who_resolves_what(supergraph_of: SupergraphOf) -> None:
    # when
    supergraph = supergraph_of(users=USERS, emails=EMAILS)

    # then
    assert supergraph.type_info("User").keys("users") == ["id"]
    assert supergraph.resolving_graphs("User", "id") == ["emails", "users"]
    assert supergraph.field_graphs("User", "email") == (
        FieldInGraph(graph="emails", override="users"),
    )


def test_api_schema_hides_machinery_and_inaccessible_fields(supergraph_of: SupergraphOf) -> None:
    # when
    supergraph = supergraph_of(users=USERS, emails=EMAILS)

    # then
    assert print_schema(supergraph.api_schema) == expected(
        """
        type Query {
          me: User
        }

        type User {
          id: ID!
          email: String
          name: String
        }
        """
    )


def test_inaccessible_field_fails_validation(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)

    # when
    errors = validate(supergraph, parse("{ me { secret } }"))

    # then
    assert [error.message for error in errors] == ["Cannot query field 'secret' on type 'User'."]
