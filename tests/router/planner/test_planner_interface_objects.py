"""@interfaceObject: a subgraph that sees an interface as one object type."""

from __future__ import annotations

from graphql import parse

from router.plan import Fetch, Flatten, Sequence, TypenameRewrite
from router.planner import build_plan
from tests.router.planner.conftest import SupergraphOf, expected, plan_text

CATALOG = """
type Query {
  items: [ProductItem!]!
  book(sku: ID!): Book
}

interface ProductItem @key(fields: "sku") {
  sku: ID!
  title: String
}

type Book implements ProductItem @key(fields: "sku") {
  sku: ID!
  title: String
  pages: Int
}

type Movie implements ProductItem @key(fields: "sku") {
  sku: ID!
  title: String
  minutes: Int
}
"""

STOCK = """
type Query {
  restockNeeded: [ProductItem!]!
}

type ProductItem @key(fields: "sku") @interfaceObject {
  sku: ID!
  inStock: Int
}
"""


def test_interface_field_of_an_interface_object_is_fetched_on_the_interface(
    supergraph_of: SupergraphOf,
) -> None:
    """Representations name the interface, as the @interfaceObject subgraph knows it."""
    # given
    supergraph = supergraph_of(catalog=CATALOG, stock=STOCK)
    operation = """
        {
          items {
            sku
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
                items {
                  __typename
                  sku
                }
              }
            },
            Flatten(path: "items.@") {
              Fetch(service: "stock") {
                {
                  ... on ProductItem {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on ProductItem {
                    inStock
                  }
                }
              },
            },
          },
        }
        """
    )


def test_representations_of_implementations_are_rewritten_to_the_interface(
    supergraph_of: SupergraphOf,
) -> None:
    """Apollo's inputRewrites: one on the interface, matching each implementation, whose
    __typename goes out as the interface."""
    # given
    supergraph = supergraph_of(catalog=CATALOG, stock=STOCK)

    # when
    plan = build_plan(supergraph, parse("{ items { sku inStock } }"))

    # then
    assert isinstance(plan.node, Sequence)
    stock = plan.node.nodes[1]
    assert isinstance(stock, Flatten) and isinstance(stock.node, Fetch)
    assert stock.node.input_rewrites == (
        TypenameRewrite("ProductItem", "ProductItem", ("Book", "Movie")),
    )


def test_typename_and_implementations_come_from_the_interface_subgraph(
    supergraph_of: SupergraphOf,
) -> None:
    """The @interfaceObject knows no implementation; the fetch back to it waits for __typename."""
    # given
    supergraph = supergraph_of(catalog=CATALOG, stock=STOCK)
    operation = """
        {
          restockNeeded {
            __typename
            title
            ... on Book {
              pages
              inStock
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
            Fetch(service: "stock") {
              {
                restockNeeded {
                  __typename
                  sku
                }
              }
            },
            Flatten(path: "restockNeeded.@") {
              Fetch(service: "catalog") {
                {
                  ... on ProductItem {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on ProductItem {
                    __typename
                    title
                    ... on Book {
                      pages
                    }
                  }
                }
              },
            },
            Flatten(path: "restockNeeded.@") {
              Fetch(service: "stock") {
                {
                  ... on Book {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on ProductItem {
                    inStock
                  }
                }
              },
            },
          },
        }
        """
    )


def test_object_field_given_by_an_interface_object(supergraph_of: SupergraphOf) -> None:
    """Book.inStock is in no subgraph: it is fetched as ProductItem.inStock."""
    # given
    supergraph = supergraph_of(catalog=CATALOG, stock=STOCK)
    operation = """
        {
          book(sku: "b1") {
            title
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
                book(sku: "b1") {
                  __typename
                  sku
                  title
                }
              }
            },
            Flatten(path: "book") {
              Fetch(service: "stock") {
                {
                  ... on Book {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on ProductItem {
                    inStock
                  }
                }
              },
            },
          },
        }
        """
    )
