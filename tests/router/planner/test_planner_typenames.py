"""A client's __typename: fetched with its first sibling field, wherever that goes."""

from __future__ import annotations

from tests.router.planner.conftest import ApolloPlan, SupergraphOf, expected, plan_text
from tests.router.planner.subgraphs import EMAILS, USERS

ITEMS = """
type Query {
  items: [Item!]!
}

interface Item {
  id: ID!
}

type Book implements Item {
  id: ID!
  pages: Int
}
"""


def test_typename_goes_to_the_fetch_of_the_first_sibling_field(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        {
          me {
            __typename
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
          Sequence {
            Fetch(service: "users") {
              {
                me {
                  __typename
                  id
                }
              }
            },
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
                    __typename
                    email
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_typename_stays_when_the_first_sibling_is_local(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        {
          me {
            email
            name
            __typename
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
                    __typename
                    email
                  }
                }
              },
            },
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan


def test_aliased_typename_is_kept_beside_the_plain_one(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    # given
    supergraph = supergraph_of(items=ITEMS)
    operation = "{ items { kind: __typename id } }"

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Fetch(service: "items") {
            {
              items {
                __typename
                kind: __typename
                id
              }
            }
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan
