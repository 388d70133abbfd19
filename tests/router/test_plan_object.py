"""`plan_object`: a query plan in Apollo's JSON form, as its router exposes it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from graphql import parse

from router.plan import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    QueryPlan,
    Sequence,
    TypenameRewrite,
    plan_object,
)
from router.planner import build_plan
from router.supergraph import load_supergraph, parse_field_set
from shared.runtime.platform import SUPERGRAPH_FILE

OPERATION = "query Me { me { email profile { firstName } addresses { city } } }"


def _apollo_plan_json(apollo_peers: Path, operation_file: Path) -> object:
    """The JSON plan ``plan.mjs`` prints after the text one when PLAN_JSON=1."""
    result = subprocess.run(
        ["node", "plan.mjs", str(SUPERGRAPH_FILE), str(operation_file)],
        cwd=apollo_peers,
        env={**os.environ, "PLAN_JSON": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout[result.stdout.index('\n{\n  "kind"') :])


def test_plan_object_is_apollos_json_plan(apollo_peers: Path, tmp_path: Path) -> None:
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text(OPERATION)
    supergraph = load_supergraph(SUPERGRAPH_FILE.read_text())

    # when
    ours = plan_object(build_plan(supergraph, parse(OPERATION), None))

    # then
    assert ours == _apollo_plan_json(apollo_peers, operation_file)


def test_every_node_kind_is_plain_data() -> None:
    # given
    root = Fetch(
        "catalog",
        "query Q__catalog__0($on: Boolean!) {\n  items {\n    sku\n  }\n}",
        variable_usages=("on",),
    )
    entities = Fetch(
        "stock",
        "query($representations: [_Any!]!) {\n  _entities(representations: $representations)"
        " {\n    ... on ProductItem {\n      inStock\n    }\n  }\n}",
        requires=parse_field_set("... on ProductItem { __typename sku }"),
        input_rewrites=(TypenameRewrite("Book", "ProductItem"),),
    )
    plan = QueryPlan(
        Sequence(
            (
                root,
                Condition(
                    "on",
                    Parallel((Flatten(("items", "@"), entities),)),
                    Flatten(("items", "@"), entities),
                ),
            )
        )
    )

    # when
    data = plan_object(plan)

    # then
    entities_object = {
        "kind": "Fetch",
        "serviceName": "stock",
        "requires": [
            {
                "kind": "InlineFragment",
                "typeCondition": "ProductItem",
                "selections": [
                    {"kind": "Field", "name": "__typename"},
                    {"kind": "Field", "name": "sku"},
                ],
            }
        ],
        "variableUsages": [],
        "operation": "query($representations:[_Any!]!){_entities(representations:"
        "$representations){...on ProductItem{inStock}}}",
        "operationKind": "query",
        "inputRewrites": [
            {
                "kind": "ValueSetter",
                "path": ["... on Book", "__typename"],
                "setValueTo": "ProductItem",
            }
        ],
    }
    flatten = {"kind": "Flatten", "path": ["items", "@"], "node": entities_object}
    assert data == {
        "kind": "QueryPlan",
        "node": {
            "kind": "Sequence",
            "nodes": [
                {
                    "kind": "Fetch",
                    "serviceName": "catalog",
                    "variableUsages": ["on"],
                    "operation": "query Q__catalog__0($on:Boolean!){items{sku}}",
                    "operationKind": "query",
                    "operationName": "Q__catalog__0",
                },
                {
                    "kind": "Condition",
                    "condition": "on",
                    "ifClause": {"kind": "Parallel", "nodes": [flatten]},
                    "elseClause": flatten,
                },
            ],
        },
    }
    assert json.loads(json.dumps(data)) == data


def test_empty_plan_has_no_node() -> None:
    # when
    data = plan_object(QueryPlan(None))

    # then
    assert data == {"kind": "QueryPlan"}
