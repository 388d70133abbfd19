"""@skip/@include: kept in subgraph operations, lifted into Include/Skip nodes as Apollo does."""

from __future__ import annotations

from tests.router.planner.conftest import ApolloPlan, SupergraphOf, expected, plan_text
from tests.router.planner.subgraphs import ACCOUNTS, EMAILS, PRODUCTS, USERS


def test_condition_on_every_root_field_wraps_the_plan(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query ($x: Boolean!) {
          me @skip(if: $x) {
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
          Skip(if: $x) {
            Fetch(service: "users") {
              {
                me {
                  name
                }
              }
            }
          },
        }
        """
    )


def test_condition_on_a_field_stays_in_the_subgraph_operation(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query ($x: Boolean!) {
          me {
            name
            email @include(if: $x)
          }
          user(id: 1) @include(if: $x) {
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
            Fetch(service: "users") {
              {
                me {
                  __typename
                  id
                  name
                }
                user(id: 1) @include(if: $x) {
                  name
                }
              }
            },
            Include(if: $x) {
              Flatten(path: "me") {
                Fetch(service: "emails") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      email
                    }
                  }
                },
              }
            },
          },
        }
        """
    )


def test_condition_on_all_fields_of_an_entity_fetch_wraps_it(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query ($x: Boolean!) {
          me {
            name
            email @include(if: $x)
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
            Fetch(service: "users") {
              {
                me {
                  __typename
                  id
                  name
                }
              }
            },
            Include(if: $x) {
              Flatten(path: "me") {
                Fetch(service: "emails") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      email
                    }
                  }
                },
              }
            },
          },
        }
        """
    )


def test_conditional_fragment_keeps_the_key_inside_it(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query ($x: Boolean!) {
          me {
            name
            ... @skip(if: $x) {
              email
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
            Fetch(service: "users") {
              {
                me {
                  name
                  ... @skip(if: $x) {
                    __typename
                    id
                  }
                }
              }
            },
            Skip(if: $x) {
              Flatten(path: "me") {
                Fetch(service: "emails") {
                  {
                    ... on User {
                      __typename
                      id
                    }
                  } =>
                  {
                    ... on User {
                      email
                    }
                  }
                },
              }
            },
          },
        }
        """
    )


def test_each_root_fetch_gets_its_own_condition(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """Conditions are lifted per fetch: the unconditioned fetch is always sent."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS)
    operation = """
        query ($on: Boolean!) {
          me @include(if: $on) {
            name
          }
          topProducts {
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
          Parallel {
            Include(if: $on) {
              Fetch(service: "accounts") {
                {
                  me {
                    name
                  }
                }
              }
            },
            Fetch(service: "products") {
              {
                topProducts {
                  name
                }
              }
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_conditions_nest_inner_first_around_each_fetch(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    """A field's own condition and those all its selections share both wrap the fetch."""
    # given
    supergraph = supergraph_of(accounts=ACCOUNTS, products=PRODUCTS)
    operation = """
        query ($on: Boolean!, $x: Boolean!) {
          me @include(if: $on) {
            name @skip(if: $x)
          }
          topProducts @include(if: $on) {
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
          Parallel {
            Skip(if: $x) {
              Include(if: $on) {
                Fetch(service: "accounts") {
                  {
                    me {
                      name
                    }
                  }
                }
              }
            },
            Include(if: $on) {
              Fetch(service: "products") {
                {
                  topProducts {
                    name
                  }
                }
              }
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan
