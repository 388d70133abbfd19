"""@provides: a provided field is read where it is provided, without a jump."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

REVIEWS = """
type Query {
  reviews: [Review!]!
}

type Review {
  body: String!
  author: User! @provides(fields: "name")
}

type User @key(fields: "id") {
  id: ID!
  name: String! @external
}
"""

ACCOUNTS = """
type User @key(fields: "id") {
  id: ID!
  name: String! @shareable
  email: String!
}
"""


def test_provided_field_needs_no_entity_fetch(supergraph_of: SupergraphOf) -> None:
    """author.name comes from reviews."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, accounts=ACCOUNTS)
    operation = """
        {
          reviews {
            body
            author {
              name
            }
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Fetch(service: "reviews") {
            {
              reviews {
                body
                author {
                  name
                }
              }
            }
          },
        }
        """
    )


def test_unprovided_field_still_jumps(supergraph_of: SupergraphOf) -> None:
    """email is not provided: accounts is asked for it."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, accounts=ACCOUNTS)
    operation = """
        {
          reviews {
            body
            author {
              name
              email
            }
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
            Fetch(service: "reviews") {
              {
                reviews {
                  body
                  author {
                    __typename
                    id
                    name
                  }
                }
              }
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "accounts") {
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
        }
        """
    )
