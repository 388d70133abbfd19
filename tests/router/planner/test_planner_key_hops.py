"""Keys a subgraph lacks: an extra entity fetch supplies them first."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

REVIEWS = """
type Query {
  reviews: [Review!]!
}

type Review {
  id: ID!
  author: Author!
}

type Author @key(fields: "email") {
  email: String!
}
"""

PEOPLE = """
type Author @key(fields: "id") @key(fields: "email") {
  id: ID!
  email: String!
  name: String
}
"""

BOOKS = """
type Author @key(fields: "id") {
  id: ID!
  books: [String!]!
}
"""


def test_key_the_subgraph_lacks_is_fetched_through_a_hop(supergraph_of: SupergraphOf) -> None:
    """Reviews knows authors by email, books by id: people turns one key into the other."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, people=PEOPLE, books=BOOKS)
    operation = """
        {
          reviews {
            id
            author {
              name
              books
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
                  id
                  author {
                    __typename
                    email
                  }
                }
              }
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "people") {
                {
                  ... on Author {
                    __typename
                    email
                  }
                } =>
                {
                  ... on Author {
                    id
                    name
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "books") {
                {
                  ... on Author {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Author {
                    books
                  }
                }
              },
            },
          },
        }
        """
    )
