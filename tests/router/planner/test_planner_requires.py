"""@requires: required fields are fetched first and sent in the representation."""

from __future__ import annotations

from tests.router.planner.conftest import ApolloPlan, SupergraphOf, expected, plan_text

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
                    upc
                    price
                    weight
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


# Reviews know authors by email; every other subgraph by id, which people maps.
REVIEWS = """
type Query {
  reviews: [Review]
}

type Review {
  body: String
  author: User
}

type User @key(fields: "email") {
  email: String!
}
"""

PEOPLE = """
type User @key(fields: "id") @key(fields: "email") {
  id: ID!
  email: String!
  weight: Int
}
"""

GEO = """
type User @key(fields: "id") {
  id: ID!
  country: String
}
"""

TAX = """
type User @key(fields: "id") {
  id: ID!
  country: String @external
  rate: Int @requires(fields: "country")
}
"""

FEES = """
type User @key(fields: "id") {
  id: ID!
  weight: Int @external
  fee: Int @requires(fields: "weight")
}
"""


def test_required_field_behind_a_key_hop_is_fetched_before_the_requiring_field(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """country needs people's id to reach geo; rate waits for geo, not only for the hop."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, people=PEOPLE, geo=GEO, tax=TAX, shipping=FEES)
    operation = """
        {
          reviews {
            author {
              rate
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
                  ... on User {
                    __typename
                    email
                  }
                } =>
                {
                  ... on User {
                    __typename
                    id
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "geo") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    country
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "tax") {
                {
                  ... on User {
                    __typename
                    country
                    id
                  }
                } =>
                {
                  ... on User {
                    rate
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_required_field_from_the_hop_itself(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """people gives both shipping's key and weight: one hop, then the requiring fetch."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, people=PEOPLE, geo=GEO, tax=TAX, shipping=FEES)
    operation = """
        {
          reviews {
            author {
              fee
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
                  ... on User {
                    __typename
                    email
                  }
                } =>
                {
                  ... on User {
                    id
                    weight
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "shipping") {
                {
                  ... on User {
                    __typename
                    id
                    weight
                  }
                } =>
                {
                  ... on User {
                    fee
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_required_field_behind_a_hop_also_selected_by_the_client(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """country is selected and required: geo is fetched once, before tax."""
    # given
    supergraph = supergraph_of(reviews=REVIEWS, people=PEOPLE, geo=GEO, tax=TAX, shipping=FEES)
    operation = """
        {
          reviews {
            body
            author {
              country
              rate
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
                    email
                  }
                }
              }
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "people") {
                {
                  ... on User {
                    __typename
                    email
                  }
                } =>
                {
                  ... on User {
                    __typename
                    id
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "geo") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    country
                  }
                }
              },
            },
            Flatten(path: "reviews.@.author") {
              Fetch(service: "tax") {
                {
                  ... on User {
                    __typename
                    country
                    id
                  }
                } =>
                {
                  ... on User {
                    rate
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan
