"""@shareable: a field several subgraphs resolve is taken where it costs fewest fetches."""

from __future__ import annotations

from tests.router.planner.conftest import ApolloPlan, SupergraphOf, expected, plan_text

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


LISTING = """
type Query {
  products: [Product]
}

type Product @key(fields: "upc") {
  upc: ID!
  reviews: [Review]
}

type Review {
  body: String
  author: User
}

type User @key(fields: "id") {
  id: ID!
}
"""

NICKNAMES = """
type User @key(fields: "id") {
  id: ID!
  name: String @shareable
  nick: String
}
"""

AGES = """
type User @key(fields: "id") {
  id: ID!
  name: String @shareable
  age: Int
}
"""

BIRTHDAYS = """
type User @key(fields: "id") {
  id: ID!
  age: Int
}
"""


def test_shareable_field_joins_the_fetch_its_sibling_needs(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """name could come from nicknames or ages, age only from ages: one fetch gets both."""
    # given
    supergraph = supergraph_of(listing=LISTING, nicknames=NICKNAMES, ages=AGES)
    operation = """
        {
          products {
            reviews {
              author {
                name
                age
              }
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
            Fetch(service: "listing") {
              {
                products {
                  reviews {
                    author {
                      __typename
                      id
                    }
                  }
                }
              }
            },
            Flatten(path: "products.@.reviews.@.author") {
              Fetch(service: "ages") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    age
                    name
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_shareable_field_alone_goes_to_the_first_subgraph(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """With no sibling to share a fetch with, the first subgraph in supergraph order wins."""
    # given
    supergraph = supergraph_of(listing=LISTING, nicknames=NICKNAMES, ages=AGES)
    operation = """
        {
          products {
            reviews {
              author {
                name
              }
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
            Fetch(service: "listing") {
              {
                products {
                  reviews {
                    author {
                      __typename
                      id
                    }
                  }
                }
              }
            },
            Flatten(path: "products.@.reviews.@.author") {
              Fetch(service: "ages") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    name
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_key_below_a_shareable_root_field_follows_the_fields(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """Apollo adds the leaves under a field with options one by one: the key comes last."""
    # given
    supergraph = supergraph_of(names=NAMES, emails=EMAILS, birthdays=BIRTHDAYS)
    operation = """
        {
          me {
            name
            age
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
            Fetch(service: "names") {
              {
                me {
                  __typename
                  name
                  id
                }
              }
            },
            Flatten(path: "me") {
              Fetch(service: "birthdays") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    age
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan
