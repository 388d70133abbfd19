"""Root fields: one fetch per subgraph, parallel for queries, in order for mutations."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text
from tests.router.planner.subgraphs import ACCOUNTS, PRODUCTS, REVIEWS


def test_root_fields_of_one_subgraph_make_one_fetch(supergraph_of: SupergraphOf) -> None:
    """Fields of one subgraph share its fetch."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        {
          me {
            id
            name
          }
          users {
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
          Fetch(service: "accounts") {
            {
              me {
                id
                name
              }
              users {
                name
              }
            }
          },
        }
        """
    )


def test_query_root_fields_of_two_subgraphs_run_in_parallel(supergraph_of: SupergraphOf) -> None:
    """Named operations name their subgraph operations (Apollo's Name__service__N)."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        query Home($n: Int) {
          me {
            id
            name
          }
          topProducts(first: $n) {
            upc
            name
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation, "Home")

    # then
    assert plan == expected(
        """
        QueryPlan {
          Parallel {
            Fetch(service: "accounts") {
              {
                me {
                  id
                  name
                }
              }
            },
            Fetch(service: "products") {
              {
                topProducts(first: $n) {
                  upc
                  name
                }
              }
            },
          },
        }
        """
    )


def test_mutation_root_fields_run_in_order(supergraph_of: SupergraphOf) -> None:
    """Mutation fields keep their order; only neighbours of one subgraph share a fetch."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        mutation {
          login(name: "a") {
            id
          }
          rename(name: "b") {
            id
          }
          addProduct(name: "x") {
            upc
          }
          rename2: rename(name: "c") {
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
            Fetch(service: "accounts") {
              {
                login(name: "a") {
                  id
                }
                rename(name: "b") {
                  id
                }
              }
            },
            Fetch(service: "products") {
              {
                addProduct(name: "x") {
                  upc
                }
              }
            },
            Fetch(service: "accounts") {
              {
                rename2: rename(name: "c") {
                  name
                }
              }
            },
          },
        }
        """
    )


def test_introspection_and_root_typename_need_no_fetch(supergraph_of: SupergraphOf) -> None:
    """The router answers __typename and introspection itself."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS, reviews=REVIEWS)
    operation = """
        {
          __typename
          __schema {
            queryType {
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
        QueryPlan {}
        """
    )
