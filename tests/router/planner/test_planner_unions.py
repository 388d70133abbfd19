"""Unions: members by type condition, jumps for members that are entities."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

SEARCH = """
type Query {
  search: [Result!]!
}

union Result = Book | Author

type Book @key(fields: "id") {
  id: ID!
  title: String!
}

type Author {
  name: String!
}
"""

PRICES = """
type Book @key(fields: "id") {
  id: ID!
  price: Int
}
"""


def test_union_member_field_of_another_subgraph_jumps(supergraph_of: SupergraphOf) -> None:
    """Only Book results go to prices."""
    # given
    supergraph = supergraph_of(search=SEARCH, prices=PRICES)
    operation = """
        {
          search {
            ... on Book {
              title
              price
            }
            ... on Author {
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
          Sequence {
            Fetch(service: "search") {
              {
                search {
                  __typename
                  ... on Book {
                    __typename
                    id
                    title
                  }
                  ... on Author {
                    name
                  }
                }
              }
            },
            Flatten(path: "search.@") {
              Fetch(service: "prices") {
                {
                  ... on Book {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Book {
                    price
                  }
                }
              },
            },
          },
        }
        """
    )
