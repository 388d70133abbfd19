"""Our plans equal Apollo's query planner's, printed and as JSON, for every operation of
the gateway corpora on the benchmark's and the catalogue's supergraphs.

The differences left are listed in ``KNOWN_DIFFERENCES``, each exactly: the lines of
Apollo's plan missing from ours (``-``) and the lines of ours missing from Apollo's
(``+``), indentation stripped. A difference that changes, or goes away, fails the test.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from router.plan import format_plan, plan_object
from router.planner import build_plan
from router.supergraph import Supergraph
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS
from tests.router.fixtures.catalog_subgraphs import SCHEMAS as CATALOG_SCHEMAS
from tests.router.fixtures.servers import subgraph_sdl
from tests.router.gateway.catalog_corpus import CATALOG_CASES, PEOPLE_DOWN_CASES
from tests.router.gateway.corpus import CASES, INVENTORY_DOWN_CASES, Case
from tests.router.planner.conftest import ApolloPlans, composed

# Rejected before planning: they do not parse, do not validate, or name no operation.
NOT_PLANNED = {
    "parse error",
    "validation error",
    "missing operation name",
    "unknown operation name",
    "inaccessible field",
    "inaccessible root field",
    "inaccessible type in a fragment",
    "unknown field",
    "missing argument",
    "argument of the wrong type",
    "fragment on an impossible type",
    "unused variable",
}

BENCHMARK = [c for c in CASES + INVENTORY_DOWN_CASES if c.name not in NOT_PLANNED]
CATALOG = [c for c in CATALOG_CASES + PEOPLE_DOWN_CASES if c.name not in NOT_PLANNED]

Differences = tuple[list[str], list[str]]

# Case name -> differences of the printed plan, then of its JSON form.
KNOWN_DIFFERENCES: dict[str, Differences] = {
    # Apollo adds the catalogue field fetched for a @requires (weight) to the entity
    # fetch after the one a later sibling (offers) jumps through; we add it first.
    "five levels of entity jumps": (
        ["+ weight", "- weight"],
        [
            '- "operation": "query($representations:[_Any!]!){_entities(representations:'
            '$representations){...on Book{offers{__typename sku package}weight}}}",',
            '+ "operation": "query($representations:[_Any!]!){_entities(representations:'
            '$representations){...on Book{weight offers{__typename sku package}}}}",',
        ],
    ),
}

Plans = dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def benchmark_supergraph(apollo_peers: Path) -> Supergraph:
    return composed(apollo_peers, {name: subgraph_sdl(s) for name, s in SCHEMAS.items()})


@pytest.fixture(scope="module")
def catalog_supergraph(apollo_peers: Path) -> Supergraph:
    return composed(apollo_peers, {name: subgraph_sdl(s) for name, s in CATALOG_SCHEMAS.items()})


@pytest.fixture(scope="module")
def benchmark_plans(benchmark_supergraph: Supergraph, apollo_plans: ApolloPlans) -> Plans:
    return _by_name(BENCHMARK, apollo_plans(benchmark_supergraph, _operations(BENCHMARK)))


@pytest.fixture(scope="module")
def catalog_plans(catalog_supergraph: Supergraph, apollo_plans: ApolloPlans) -> Plans:
    return _by_name(CATALOG, apollo_plans(catalog_supergraph, _operations(CATALOG)))


@pytest.mark.parametrize("case", BENCHMARK, ids=[case.name for case in BENCHMARK])
def test_benchmark_plan_is_apollos(
    benchmark_supergraph: Supergraph, benchmark_plans: Plans, case: Case
) -> None:
    # given
    apollo = benchmark_plans[case.name]

    # when
    differences = _differences(benchmark_supergraph, case, apollo)

    # then
    assert differences == KNOWN_DIFFERENCES.get(case.name, ([], []))


@pytest.mark.parametrize("case", CATALOG, ids=[case.name for case in CATALOG])
def test_catalog_plan_is_apollos(
    catalog_supergraph: Supergraph, catalog_plans: Plans, case: Case
) -> None:
    # given
    apollo = catalog_plans[case.name]

    # when
    differences = _differences(catalog_supergraph, case, apollo)

    # then
    assert differences == KNOWN_DIFFERENCES.get(case.name, ([], []))


def _operations(cases: list[Case]) -> list[tuple[str, str | None]]:
    return [(case.query, case.operation_name) for case in cases]


def _by_name(cases: list[Case], plans: list[dict[str, Any]]) -> Plans:
    return {case.name: plan for case, plan in zip(cases, plans, strict=True)}


def _differences(supergraph: Supergraph, case: Case, apollo: dict[str, Any]) -> Differences:
    plan = build_plan(supergraph, parse(case.query), case.operation_name)
    ours_json = json.dumps(plan_object(plan), indent=1, sort_keys=True)
    apollo_json = json.dumps(apollo["json"], indent=1, sort_keys=True)
    return _changed_lines(apollo["text"], format_plan(plan)), _changed_lines(apollo_json, ours_json)


def _changed_lines(apollo: str, ours: str) -> list[str]:
    diff = difflib.unified_diff(apollo.splitlines(), ours.splitlines(), lineterm="", n=0)
    return [
        f"{line[0]} {line[1:].strip()}"
        for line in diff
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
