"""Supergraph queries no subgraph fetches can answer: rejected as Apollo rejects them
(SATISFIABILITY_ERROR), with the example query and, per subgraph, why it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from strawberry.federation import Schema

from router.composition import CompositionErrorCode, SubgraphSource, compose
from tests.router.composition.sdl import FIXTURES, apollo_compose, fixture_sources
from tests.router.fixtures.benchmark_subgraphs import SCHEMAS as BENCHMARK
from tests.router.fixtures.catalog_subgraphs import SCHEMAS as CATALOG
from tests.router.fixtures.servers import subgraph_sdl

# set -> (subgraph, type, field) of our first error, and the query path its message shows
FAILING: dict[str, tuple[tuple[str, str, str | None], str]] = {
    "errors_unsatisfiable_key_not_resolvable": (
        ("catalog", "Product", "reviewCount"),
        "{\n  products {\n    reviewCount\n  }\n}",
    ),
    "errors_unsatisfiable_value_type": (
        ("catalog", "Money", "formatted"),
        '{\n  product(id: "<any id>") {\n    price {\n      formatted\n    }\n  }\n}',
    ),
    "errors_unsatisfiable_key_fields": (
        ("catalog", "Product", "sku"),
        "{\n  products {\n    sku\n  }\n}",
    ),
    "errors_unsatisfiable_requires": (
        ("catalog", "Product", "shippingCost"),
        "{\n  products {\n    shippingCost\n  }\n}",
    ),
    "errors_unsatisfiable_interface_object": (
        ("ledger", "Account", None),
        "{\n  richest {\n    ... on Personal {\n      ...\n    }\n  }\n}",
    ),
    "errors_unsatisfiable_progressive_override": (
        ("catalog", "Product", "name"),
        "{\n  products {\n    name\n  }\n}",
    ),
}


@pytest.mark.parametrize("name", list(FAILING))
def test_unsatisfiable_set_is_rejected_with_apollos_codes(apollo_peers: Path, name: str) -> None:
    # given
    folder = FIXTURES / name
    expected = apollo_compose(apollo_peers, folder)

    # when
    result = compose(fixture_sources(folder))

    # then
    assert expected.supergraph_sdl is None
    assert result.supergraph_sdl is None
    assert sorted(error.code for error in result.errors) == sorted(expected.codes)


@pytest.mark.parametrize("name", list(FAILING))
def test_error_shows_the_failing_query_and_subgraph(name: str) -> None:
    # given
    (subgraph, type_name, field), query = FAILING[name]

    # when
    error = compose(fixture_sources(FIXTURES / name)).errors[0]

    # then
    assert error.code == CompositionErrorCode.SATISFIABILITY_ERROR
    assert (error.subgraph, error.type, error.field) == (subgraph, type_name, field)
    assert error.message.startswith(f"The following supergraph API query:\n{query}\n")
    assert f'- from subgraph "{subgraph}":' in error.message


def test_each_unreachable_field_is_its_own_error() -> None:
    # given
    folder = FIXTURES / "errors_unsatisfiable_key_fields"

    # when
    errors = compose(fixture_sources(folder)).errors

    # then
    assert [(error.type, error.field) for error in errors] == [
        ("Product", "sku"),
        ("Product", "stock"),
    ]


def test_unresolvable_key_is_named_with_its_fields() -> None:
    # given
    folder = FIXTURES / "errors_unsatisfiable_key_fields"

    # when
    error = compose(fixture_sources(folder)).errors[0]

    # then
    assert error.message.split("\n")[6:10] == [
        "cannot be satisfied by the subgraphs because:",
        '- from subgraph "catalog":',
        '  - cannot find field "Product.sku".',
        '  - cannot move to subgraph "inventory" using @key(fields: "sku") of "Product", the '
        'key field(s) cannot be resolved from subgraph "catalog".',
    ]


def test_requires_failure_lists_every_subgraph_tried() -> None:
    # given
    folder = FIXTURES / "errors_unsatisfiable_requires"

    # when
    error = compose(fixture_sources(folder)).errors[0]

    # then
    assert error.message.split("\n")[6:10] == [
        "cannot be satisfied by the subgraphs because:",
        '- from subgraph "catalog": cannot find field "Product.shippingCost".',
        '- from subgraph "shipping": cannot satisfy @require conditions on field '
        '"Product.shippingCost".',
        '- from subgraph "warehouse": cannot find field "Product.shippingCost".',
    ]


def test_field_behind_non_resolvable_keys_says_so() -> None:
    # given
    folder = FIXTURES / "errors_unsatisfiable_key_not_resolvable"

    # when
    error = compose(fixture_sources(folder)).errors[0]

    # then
    assert (
        '  - cannot move to subgraph "reviews", which has field "Product.reviewCount", because '
        'none of the @key defined on type "Product" in subgraph "reviews" are resolvable (they '
        'are all declared with their "resolvable" argument set to false).'
    ) in error.message.split("\n")


@pytest.mark.parametrize("schemas", [BENCHMARK, CATALOG], ids=["benchmark", "catalog"])
def test_router_fixture_subgraphs_stay_satisfiable(schemas: dict[str, Schema]) -> None:
    # given
    sources = [
        SubgraphSource(name, f"http://{name}", subgraph_sdl(schema))
        for name, schema in schemas.items()
    ]

    # when
    result = compose(sources)

    # then
    assert result.errors == []
    assert result.supergraph_sdl is not None
