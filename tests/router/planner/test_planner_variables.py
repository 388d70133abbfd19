"""Variables: each fetch declares and forwards the client variables it uses."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

USERS = """
type Query {
  me: User
  user(id: ID!): User
}

type User @key(fields: "id") {
  id: ID!
  name: String
}
"""

EMAILS = """
type User @key(fields: "id") {
  id: ID!
  email: String
  posts(first: Int!): [String]
}
"""


def test_each_fetch_declares_only_the_variables_it_uses(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query Q($id: ID!, $n: Int!, $unused: String) {
          user(id: $id) {
            name
            posts(first: $n)
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation, "Q")

    # then
    assert plan == expected(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "users") {
              {
                user(id: $id) {
                  __typename
                  id
                  name
                }
              }
            },
            Flatten(path: "user") {
              Fetch(service: "emails") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    posts(first: $n)
                  }
                }
              },
            },
          },
        }
        """
    )
