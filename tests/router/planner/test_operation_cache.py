"""OperationCache: parse, validate and plan once per query text and operation name."""

from __future__ import annotations

import pytest
from graphql import DocumentNode, GraphQLError

from router.operation_cache import OperationCache
from router.plan import QueryPlan
from router.planner import QueryPlanner
from tests.router.planner.conftest import SupergraphOf

USERS = 'type Query { me(n: Int): User } type User @key(fields: "id") { id: ID! name: String }'
OPERATIONS = "query A($n: Int = 3) { me(n: $n) { name } } query B { me { id } }"


class CountingPlanner(QueryPlanner):
    calls = 0

    def plan(self, document: str | DocumentNode, operation_name: str | None = None) -> QueryPlan:
        self.calls += 1
        return super().plan(document, operation_name)


def cache_of(supergraph_of: SupergraphOf, size: int = 8) -> tuple[OperationCache, CountingPlanner]:
    supergraph = supergraph_of(users=USERS)
    planner = CountingPlanner(supergraph)
    return OperationCache(supergraph, planner, size), planner


def test_a_repeated_operation_is_prepared_and_planned_once(supergraph_of: SupergraphOf) -> None:
    # given
    cache, planner = cache_of(supergraph_of)

    # when
    first = cache.get(OPERATIONS, "A")
    second = cache.get(OPERATIONS, "A")
    plans = [cache.plan(first), cache.plan(second)]

    # then
    assert second is first
    assert first.validation_errors == []
    assert first.operation is not None and first.operation.name is not None
    assert first.operation.name.value == "A"
    assert first.variable_defaults == {"n": 3}
    assert plans[0] is plans[1]
    assert planner.calls == 1


def test_the_operation_name_is_part_of_the_key(supergraph_of: SupergraphOf) -> None:
    # given
    cache, _ = cache_of(supergraph_of)

    # when
    entry_a, entry_b = cache.get(OPERATIONS, "A"), cache.get(OPERATIONS, "B")
    unknown = cache.get(OPERATIONS, "C")

    # then
    assert entry_a is not entry_b
    assert cache.plan(entry_a) != cache.plan(entry_b)
    assert unknown.operation is None


def test_an_invalid_operation_keeps_its_errors_and_is_not_planned(
    supergraph_of: SupergraphOf,
) -> None:
    # given
    cache, planner = cache_of(supergraph_of)

    # when
    entry = cache.get("{ me { nope } }", None)

    # then
    assert [error.message for error in entry.validation_errors] == [
        "Cannot query field 'nope' on type 'User'. Did you mean 'name'?"
    ]
    assert entry.plan is None
    assert planner.calls == 0


def test_a_query_that_does_not_parse_raises_and_is_not_kept(supergraph_of: SupergraphOf) -> None:
    # given
    cache, _ = cache_of(supergraph_of)

    # when
    with pytest.raises(GraphQLError):
        cache.get("{ me {", None)

    # then
    assert len(cache) == 0


def test_the_least_recently_used_entry_is_evicted(supergraph_of: SupergraphOf) -> None:
    # given
    cache, _ = cache_of(supergraph_of, size=2)
    first = cache.get("{ me { id } }", None)
    cache.get("{ me { name } }", None)

    # when
    cache.get("{ me { id } }", None)  # now the most recently used
    cache.get("{ me { id name } }", None)

    # then
    assert len(cache) == 2
    assert cache.get("{ me { id } }", None) is first
