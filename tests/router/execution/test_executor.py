"""The executor alone, on hand-written plans, against the benchmark subgraphs."""

from __future__ import annotations

import json
from typing import Any

import httpx
from graphql import parse
from graphql.language import OperationDefinitionNode, SelectionSetNode

from router.executor import ExecutionContext, execute_plan
from router.plan import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    QueryPlan,
    Sequence,
    TypenameRewrite,
)
from tests.router.conftest import UNREACHABLE_URL, Subgraph

ENTITIES = "query($representations:[_Any!]!){_entities(representations:$representations){%s}}"


def requires(selection: str) -> SelectionSetNode:
    operation = parse("{" + selection + "}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def entity_fetch(service: str, fields: str, key: str) -> Fetch:
    return Fetch(service, ENTITIES % fields, requires=requires(key))


def context_for(
    subgraphs: dict[str, Subgraph], client: httpx.AsyncClient, **overrides: str
) -> ExecutionContext:
    urls = {name: sub.url for name, sub in subgraphs.items()} | overrides
    return ExecutionContext(urls, client, variables={"withStock": True})


USERS_REVIEWS_PRODUCTS = QueryPlan(
    Sequence(
        (
            Fetch("accounts", "{users{__typename id name}}"),
            Flatten(
                ("users", "@"),
                entity_fetch(
                    "reviews",
                    "...on User{reviews{product{__typename upc}}}",
                    "...on User{__typename id}",
                ),
            ),
            Flatten(
                ("users", "@", "reviews", "@", "product"),
                entity_fetch("products", "...on Product{name}", "...on Product{__typename upc}"),
            ),
        )
    )
)


async def test_sequence_of_flattened_entity_fetches_merges_into_each_object(
    benchmark_subgraphs: dict[str, Subgraph],
) -> None:
    # given
    sent: list[dict[str, object]] = []

    async def record(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as client:
        # when
        data, errors = await execute_plan(
            USERS_REVIEWS_PRODUCTS, context_for(benchmark_subgraphs, client)
        )
    # then
    table = {"__typename": "Product", "upc": "1", "name": "Table"}
    couch = {"__typename": "Product", "upc": "2", "name": "Couch"}
    chair = {"__typename": "Product", "upc": "3", "name": "Chair"}
    assert errors == []
    assert data == {
        "users": [
            {
                "__typename": "User",
                "id": "1",
                "name": "Ada Lovelace",
                "reviews": [{"product": table}, {"product": couch}],
            },
            {
                "__typename": "User",
                "id": "2",
                "name": "Alan Turing",
                "reviews": [{"product": chair}, {"product": table}],
            },
            {"__typename": "User", "id": "3", "name": "Grace", "reviews": []},
        ]
    }
    # the Table appears twice but is asked for once
    assert sent[2]["variables"] == {
        "representations": [
            {"__typename": "Product", "upc": "1"},
            {"__typename": "Product", "upc": "2"},
            {"__typename": "Product", "upc": "3"},
        ]
    }


async def test_requires_sends_the_required_fields_in_representations(
    benchmark_subgraphs: dict[str, Subgraph],
) -> None:
    # given
    plan = QueryPlan(
        Sequence(
            (
                Fetch("products", "{topProducts(first:2){__typename upc price weight}}"),
                Flatten(
                    ("topProducts", "@"),
                    entity_fetch(
                        "inventory",
                        "...on Product{shippingEstimate}",
                        "...on Product{__typename upc price weight}",
                    ),
                ),
            )
        )
    )
    async with httpx.AsyncClient() as client:
        # when
        data, errors = await execute_plan(plan, context_for(benchmark_subgraphs, client))
    # then
    assert errors == []
    assert [product["shippingEstimate"] for product in data["topProducts"]] == [50, 0]


async def test_entity_errors_are_placed_at_every_client_path(
    benchmark_subgraphs: dict[str, Subgraph],
) -> None:
    # given
    plan = QueryPlan(
        Sequence(
            (
                Fetch("reviews", "{reviews{id author{__typename id}}}"),
                Flatten(
                    ("reviews", "@", "author"),
                    entity_fetch("accounts", "...on User{secret}", "...on User{__typename id}"),
                ),
            )
        )
    )
    async with httpx.AsyncClient() as client:
        # when
        data, errors = await execute_plan(plan, context_for(benchmark_subgraphs, client))
    # then
    assert [review["author"]["secret"] for review in data["reviews"]] == [None] * 4
    assert errors == [
        {
            "message": f"secret of {author} is private",
            "path": ["reviews", index, "author", "secret"],
            "extensions": {"code": "FORBIDDEN", "serviceName": "accounts"},
        }
        for index, author in enumerate(["1", "1", "2", "2"])
    ]


async def test_unreachable_subgraph_gives_partial_data_and_one_error(
    benchmark_subgraphs: dict[str, Subgraph],
) -> None:
    # given
    plan = QueryPlan(
        Parallel(
            (
                Fetch("accounts", "{me{name}}"),
                Fetch("inventory", "{stockCount}"),
            )
        )
    )
    async with httpx.AsyncClient() as client:
        context = context_for(benchmark_subgraphs, client, inventory=UNREACHABLE_URL)
        # when
        data, errors = await execute_plan(plan, context)
    # then
    assert data == {"me": {"name": "Ada Lovelace"}}
    assert len(errors) == 1
    assert errors[0]["message"].startswith(f"request to {UNREACHABLE_URL} failed, reason: ")
    assert errors[0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "path" not in errors[0]


async def test_condition_runs_the_branch_its_variable_picks(
    benchmark_subgraphs: dict[str, Subgraph],
) -> None:
    # given
    plan = QueryPlan(
        Condition(
            "withStock",
            Fetch("inventory", "{stockCount}"),
            Fetch("accounts", "{me{name}}"),
        )
    )
    async with httpx.AsyncClient() as client:
        # when
        data, errors = await execute_plan(plan, context_for(benchmark_subgraphs, client))
    # then
    assert (data, errors) == ({"stockCount": 2}, [])


async def test_input_rewrites_name_the_interface_in_representations(
    catalog_subgraphs: dict[str, Subgraph],
) -> None:
    """Stock knows ProductItem only as an @interfaceObject: books and movies go to it as
    ProductItem, and keep their own __typename in the data."""
    # given
    stock = Fetch(
        "stock",
        ENTITIES % "...on ProductItem{inStock}",
        requires=requires("...on ProductItem{__typename sku}"),
        input_rewrites=(
            TypenameRewrite("Book", "ProductItem"),
            TypenameRewrite("Movie", "ProductItem"),
        ),
    )
    plan = QueryPlan(
        Sequence(
            (
                Fetch("catalog", '{items(filter:{titleContains:"l"}){__typename sku}}'),
                Flatten(("items", "@"), stock),
            )
        )
    )
    sent: list[dict[str, Any]] = []

    async def record(request: httpx.Request) -> None:
        sent.append(json.loads(request.content))

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as client:
        # when
        data, errors = await execute_plan(plan, context_for(catalog_subgraphs, client))
    # then
    assert errors == []
    assert sent[1]["variables"]["representations"] == [
        {"__typename": "ProductItem", "sku": sku} for sku in ("b3", "m1")
    ]
    assert data == {
        "items": [
            {"__typename": "Book", "sku": "b3", "inStock": 1},
            {"__typename": "Movie", "sku": "m1", "inStock": 7},
        ]
    }
