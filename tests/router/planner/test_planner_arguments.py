"""Argument literals go to subgraphs written as Apollo's planner writes them."""

from __future__ import annotations

from tests.router.planner.conftest import ApolloPlan, SupergraphOf, expected, plan_text

LOOKUP = """
type Query {
  user(id: ID!): User
  users(ids: [ID!]!, filter: UserFilter): [User!]!
}

input UserFilter {
  friendOf: ID
  name: String
}

type User @key(fields: "id") {
  id: ID!
  name: String
}
"""


def test_id_of_digits_goes_out_as_an_integer(
    supergraph_of: SupergraphOf, apollo_plan: ApolloPlan
) -> None:
    # given
    supergraph = supergraph_of(lookup=LOOKUP)
    operation = """
        {
          user(id: "42") {
            name
          }
          users(ids: ["7", "u8"], filter: {friendOf: "9", name: "10"}) {
            id
          }
        }
    """

    # when
    plan = plan_text(supergraph, operation)

    # then
    assert plan == expected(
        """
        QueryPlan {
          Fetch(service: "lookup") {
            {
              user(id: 42) {
                name
              }
              users(ids: [7, "u8"], filter: {friendOf: 9, name: "10"}) {
                id
              }
            }
          },
        }
        """
    )
    assert apollo_plan(supergraph, operation) == plan
