"""@shareable: a field several subgraphs resolve is taken where it costs fewest fetches."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

PRICES = """
type Query {
  product(id: ID!): Product
}

type Product @key(fields: "id") {
  id: ID!
  name: String! @shareable
  price: Int
}
"""

STOCK = """
type Query {
  products: [Product!]!
}

type Product @key(fields: "id") {
  id: ID!
  name: String! @shareable
  stock: Int
}
"""

NAMES = """
type Query {
  me: User @shareable
}

type User @key(fields: "id") {
  id: ID!
  name: String
}
"""

EMAILS = """
type Query {
  me: User @shareable
}

type User @key(fields: "id") {
  id: ID!
  email: String
}
"""


def test_shareable_field_is_read_in_the_current_subgraph(supergraph_of: SupergraphOf) -> None:
    """name is read with the rest of each root field."""
    # given
    supergraph = supergraph_of(prices=PRICES, stock=STOCK)
    operation = """
        {
          products {
            name
            stock
          }
          product(id: 1) {
            name
            price
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Parallel {
            Fetch(service: "stock") {
              {
                products {
                  name
                  stock
                }
              }
            },
            Fetch(service: "prices") {
              {
                product(id: 1) {
                  name
                  price
                }
              }
            },
          },
        }
        """
    )


def test_shareable_root_field_goes_where_its_selection_lives(supergraph_of: SupergraphOf) -> None:
    """me is asked of the subgraph that has email."""
    # given
    supergraph = supergraph_of(names=NAMES, emails=EMAILS)
    operation = """
        {
          me {
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
          Fetch(service: "emails") {
            {
              me {
                email
              }
            }
          },
        }
        """
    )
