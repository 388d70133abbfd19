"""Entity jumps: keys fetched first, then _entities fetches flattened at their path."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text
from tests.router.planner.subgraphs import ACCOUNTS, PRODUCTS, REVIEWS


def test_field_of_another_subgraph_is_fetched_by_key(supergraph_of: SupergraphOf) -> None:
    """The first fetch adds __typename and the key; the second runs at the path."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        {
          me {
            name
            reviews {
              body
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
            Fetch(service: "accounts") {
              {
                me {
                  __typename
                  id
                  name
                }
              }
            },
            Flatten(path: "me") {
              Fetch(service: "reviews") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    reviews {
                      body
                    }
                  }
                }
              },
            },
          },
        }
        """
    )


def test_nested_jumps_at_one_level_run_in_parallel(supergraph_of: SupergraphOf) -> None:
    """Two jumps under one entity fetch run side by side; lists add '@'."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        {
          me {
            name
            reviews {
              body
              product {
                name
                price
                reviews {
                  author {
                    name
                  }
                }
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
            Fetch(service: "accounts") {
              {
                me {
                  __typename
                  id
                  name
                }
              }
            },
            Flatten(path: "me") {
              Fetch(service: "reviews") {
                {
                  ... on User {
                    __typename
                    id
                  }
                } =>
                {
                  ... on User {
                    reviews {
                      body
                      product {
                        __typename
                        upc
                        reviews {
                          author {
                            __typename
                            id
                          }
                        }
                      }
                    }
                  }
                }
              },
            },
            Parallel {
              Flatten(path: "me.reviews.@.product") {
                Fetch(service: "products") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      name
                      price
                    }
                  }
                },
              },
              Flatten(path: "me.reviews.@.product.reviews.@.author") {
                Fetch(service: "accounts") {
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
          },
        }
        """
    )


def test_jumps_under_several_root_fields(supergraph_of: SupergraphOf) -> None:
    """Each root field's jumps follow its own fetch."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        {
          topProducts {
            name
            reviews {
              body
              author {
                name
              }
            }
          }
          me {
            reviews {
              body
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
          Parallel {
            Sequence {
              Fetch(service: "products") {
                {
                  topProducts {
                    __typename
                    upc
                    name
                  }
                }
              },
              Flatten(path: "topProducts.@") {
                Fetch(service: "reviews") {
                  {
                    ... on Product {
                      __typename
                      upc
                    }
                  } =>
                  {
                    ... on Product {
                      reviews {
                        body
                        author {
                          __typename
                          id
                        }
                      }
                    }
                  }
                },
              },
              Flatten(path: "topProducts.@.reviews.@.author") {
                Fetch(service: "accounts") {
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
            Sequence {
              Fetch(service: "accounts") {
                {
                  me {
                    __typename
                    id
                  }
                }
              },
              Flatten(path: "me") {
                Fetch(service: "reviews") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      reviews {
                        body
                      }
                    }
                  }
                },
              },
            },
          },
        }
        """
    )
