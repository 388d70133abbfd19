"""Aliases: kept in subgraph operations; paths use response names."""

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


def test_aliases_are_kept_and_name_flatten_paths(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        {
          first: user(id: 1) {
            fullName: name
            mail: email
          }
          second: user(id: 2) {
            email
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "users") {
              {
                first: user(id: 1) {
                  __typename
                  id
                  fullName: name
                }
                second: user(id: 2) {
                  __typename
                  id
                }
              }
            },
            Parallel {
              Flatten(path: "first") {
                Fetch(service: "emails") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      mail: email
                    }
                  }
                },
              },
              Flatten(path: "second") {
                Fetch(service: "emails") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      email
                    }
                  }
                },
              },
            },
          },
        }
        """
    )
