"""QueryPlanner: plans cached per normalised operation text and operation name."""

from __future__ import annotations

from router.planner import QueryPlanner
from tests.router.planner.conftest import SupergraphOf

USERS = 'type Query { me: User } type User @key(fields: "id") { id: ID! name: String }'
EMAILS = 'type User @key(fields: "id") { id: ID! email: String }'
OPERATIONS = "query A { me { name } } query B { me { email } }"


def test_same_operation_twice_gives_the_same_plan(supergraph_of: SupergraphOf) -> None:
    # given
    planner = QueryPlanner(supergraph_of(users=USERS, emails=EMAILS))

    # when
    first = planner.plan(OPERATIONS, "A")
    second = planner.plan("query A {me {name}}\nquery B { me { email } }", "A")

    # then
    assert second is first


def test_another_operation_name_gives_another_plan(supergraph_of: SupergraphOf) -> None:
    # given
    planner = QueryPlanner(supergraph_of(users=USERS, emails=EMAILS))

    # when
    plan_a = planner.plan(OPERATIONS, "A")
    plan_b = planner.plan(OPERATIONS, "B")

    # then
    assert plan_b is not plan_a
    assert plan_b != plan_a


def test_least_recently_used_plan_is_evicted(supergraph_of: SupergraphOf) -> None:
    # given
    planner = QueryPlanner(supergraph_of(users=USERS, emails=EMAILS), cache_size=1)
    first = planner.plan(OPERATIONS, "A")

    # when
    planner.plan(OPERATIONS, "B")

    # then
    assert planner.plan(OPERATIONS, "A") is not first
