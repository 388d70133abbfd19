"""Fragments: named and inline fragments are inlined into each subgraph's selection."""

from __future__ import annotations

from tests.router.planner.conftest import SupergraphOf, expected, plan_text
from tests.router.planner.subgraphs import EMAILS, USERS


def test_named_fragment_fields_go_to_their_subgraphs(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        query Me {
          me {
            ...UserParts
          }
        }

        fragment UserParts on User {
          name
          email
        }
    """

    # when
    plan = plan_text(supergraph, operation, "Me")

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
                    email
                  }
                }
              },
            },
          },
        }
        """
    )


def test_inline_fragments_on_the_same_type_are_merged(supergraph_of: SupergraphOf) -> None:
    # given
    supergraph = supergraph_of(users=USERS, emails=EMAILS)
    operation = """
        {
          me {
            ... on User {
              name
            }
            ... {
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
                    email
                  }
                }
              },
            },
          },
        }
        """
    )
