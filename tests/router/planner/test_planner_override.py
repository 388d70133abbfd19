"""@override: the overriding subgraph owns the field."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text

PRICING = """
type Query {
  product: Product
}

type Product @key(fields: "id") {
  id: ID!
  price: Int @override(from: "catalog")
}
"""

CATALOG = """
type Product @key(fields: "id") {
  id: ID!
  price: Int
  name: String
}
"""


def test_overridden_field_comes_from_the_overriding_subgraph(supergraph_of: SupergraphOf) -> None:
    """price comes from pricing, name from catalog."""
    # given
    supergraph = supergraph_of(pricing=PRICING, catalog=CATALOG)
    operation = """
        {
          product {
            price
            name
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
            Fetch(service: "pricing") {
              {
                product {
                  __typename
                  id
                  price
                }
              }
            },
            Flatten(path: "product") {
              Fetch(service: "catalog") {
                {
                  ... on Product {
                    __typename
                    id
                  }
                } =>
                {
                  ... on Product {
                    name
                  }
                }
              },
            },
          },
        }
        """
    )
