"""@fromContext arguments are planned as Apollo's planner plans them: the ancestor setting
the context selects its value, the field is fetched through ``_entities`` with the value as
``$contextualArgument_<graph>_<index>``, and ``contextRewrites`` say where it comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import parse

from router.plan import ContextRewrite, Fetch, Flatten, Sequence, format_plan, plan_object
from router.planner import build_plan
from router.supergraph import Supergraph
from tests.router.composition.sdl import FIXTURES
from tests.router.planner.conftest import ApolloPlans, composed, expected

OPERATIONS = {
    "context on the parent": '{ store(id: "s1") { products { price } } }',
    "context two fields up": "{ stores { aisles { products { price } } } }",
    "contexts of two subgraphs": "{ stores { name products { title price reviews { stars } } } }",
    "context of another subgraph": '{ store(id: "s1") { name products { reviews { body } } } }',
    "aliased context field": "{ stores { c: currency products { p: price } } }",
    "no contextual field": "{ stores { products { sku title } } }",
}


@pytest.fixture(scope="module")
def context_supergraph(apollo_peers: Path) -> Supergraph:
    folder = FIXTURES / "context"
    return composed(apollo_peers, {p.stem: p.read_text() for p in sorted(folder.glob("*.graphql"))})


@pytest.fixture(scope="module")
def context_plans(context_supergraph: Supergraph, apollo_plans: ApolloPlans) -> dict[str, dict]:
    plans = apollo_plans(context_supergraph, [(query, None) for query in OPERATIONS.values()])
    return dict(zip(OPERATIONS, plans, strict=True))


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_plan_is_apollos(
    context_supergraph: Supergraph, context_plans: dict[str, dict], name: str
) -> None:
    # given
    apollo = context_plans[name]

    # when
    plan = build_plan(context_supergraph, parse(OPERATIONS[name]))

    # then
    assert format_plan(plan) == apollo["text"]
    assert json.loads(json.dumps(plan_object(plan))) == apollo["json"]


def test_field_in_the_fetch_setting_the_context_jumps_back_to_its_subgraph(
    context_supergraph: Supergraph,
) -> None:
    # when
    plan = build_plan(context_supergraph, parse(OPERATIONS["context on the parent"]))

    # then
    assert format_plan(plan) == expected(
        """
        QueryPlan {
          Sequence {
            Fetch(service: "shop") {
              {
                store(id: "s1") {
                  __typename
                  currency
                  products {
                    __typename
                    sku
                  }
                }
              }
            },
            Flatten(path: "store.products.@") {
              Fetch(service: "shop") {
                {
                  ... on Product {
                    __typename
                    sku
                  }
                } =>
                {
                  ... on Product {
                    price(currency: $contextualArgument_2_0)
                  }
                }
              },
            },
          },
        }
        """
    )
    assert isinstance(plan.node, Sequence)
    entities = plan.node.nodes[1]
    assert isinstance(entities, Flatten) and isinstance(entities.node, Fetch)
    assert entities.node.variable_usages == ("contextualArgument_2_0",)
    assert entities.node.context_rewrites == (
        ContextRewrite(("..", "... on Store", "currency"), "contextualArgument_2_0"),
    )
