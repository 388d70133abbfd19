"""@requires: required fields are fetched first and sent in the representation."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

INVENTORY = """
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  price: Int @external
  inStock: Boolean
  shippingEstimate: Int @requires(fields: "price weight")
}
"""

CATALOG = """
type Query {
  topProducts: [Product!]!
}

type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int
  weight: Int
}
"""

SHIPPING = """
type Product @key(fields: "upc") {
  upc: String!
  weight: Int @external
  delivery: String @requires(fields: "weight")
}
"""

WEIGHTS = """
type Product @key(fields: "upc") {
  upc: String!
  weight: Int
}
"""

LISTING = """
type Query {
  topProducts: [Product!]!
}

type Product @key(fields: "upc") {
  upc: String!
  name: String!
}
"""


def test_required_fields_come_from_the_parent_fetch(supergraph_of: SupergraphOf) -> None:
    """Required fields the parent subgraph has are selected there."""
    # given
    supergraph = supergraph_of(inventory=INVENTORY, catalog=CATALOG)
    operation = """
        {
          topProducts {
            name
            shippingEstimate
            inStock
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
            Fetch(service: "catalog") {
              {
                topProducts {
                  __typename
                  upc
                  name
                  price
                  weight
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "inventory") {
                {
                  ... on Product {
                    __typename
                    price
                    weight
                    upc
                  }
                } =>
                {
                  ... on Product {
                    shippingEstimate
                    inStock
                  }
                }
              },
            },
          },
        }
        """
    )


def test_fields_required_from_a_third_subgraph_come_first(supergraph_of: SupergraphOf) -> None:
    """The requiring fetch runs after the fetch of its required fields."""
    # given
    supergraph = supergraph_of(shipping=SHIPPING, weights=WEIGHTS, listing=LISTING)
    operation = """
        {
          topProducts {
            name
            delivery
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
            Fetch(service: "listing") {
              {
                topProducts {
                  __typename
                  upc
                  name
                }
              }
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "weights") {
                {
                  ... on Product {
                    __typename
                    upc
                  }
                } =>
                {
                  ... on Product {
                    weight
                  }
                }
              },
            },
            Flatten(path: "topProducts.@") {
              Fetch(service: "shipping") {
                {
                  ... on Product {
                    __typename
                    weight
                    upc
                  }
                } =>
                {
                  ... on Product {
                    delivery
                  }
                }
              },
            },
          },
        }
        """
    )
