"""`products { totalCount facets }`: one request finds its matching products once, and
attribute filters match the value's text exactly, whatever its JSON type."""

from __future__ import annotations

from decimal import Decimal

from tests.fixtures.graphql import count_statements
from tests.fixtures.products import CategoryFactory, ProductFactory, ProductsExecutor
from tests.fixtures.services import RunningService

QUERY_COUNT_AND_FACETS = """
query CountAndFacets($filter: ProductFilter) {
  products(filter: $filter) {
    totalCount
    facets { priceBands { min max count } }
  }
}
"""
QUERY_COUNT = """
query Count($filter: ProductFilter) {
  products(filter: $filter) { totalCount }
}
"""
QUERY_NAMES = """
query Names($filter: ProductFilter) {
  products(filter: $filter, sort: NEWEST) { edges { node { name } } }
}
"""


def reads_of_products(statements: list[str]) -> int:
    return sum("FROM products" in statement for statement in statements)


async def test_count_and_facets_of_one_request_read_the_matching_products_once(
    products_service: RunningService,
    products_in_process: ProductsExecutor,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shelf = await category_factory()
    for price in ("5.00", "12.00", "15.00"):
        await product_factory(price=Decimal(price), category_ids=[shelf.id])

    # when
    with count_statements(products_service.engine) as log:
        result = await products_in_process(
            QUERY_COUNT_AND_FACETS, {"filter": {"categoryId": shelf.id}}
        )

    # then
    assert result.errors is None
    assert result.data == {
        "products": {
            "totalCount": 3,
            "facets": {
                "priceBands": [
                    {"min": "0", "max": "10", "count": 1},
                    {"min": "10", "max": "25", "count": 2},
                ]
            },
        }
    }
    # The page (none of its rows asked for) and the facets, which the count reuses.
    assert reads_of_products(log.statements) == 2
    assert not any(statement.startswith("SELECT count(*)") for statement in log.statements)


async def test_a_count_alone_is_counted_without_facets(
    products_service: RunningService,
    products_in_process: ProductsExecutor,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shelf = await category_factory()
    for price in ("5.00", "12.00"):
        await product_factory(price=Decimal(price), category_ids=[shelf.id])

    # when
    with count_statements(products_service.engine) as log:
        result = await products_in_process(QUERY_COUNT, {"filter": {"categoryId": shelf.id}})

    # then
    assert result.errors is None
    assert result.data == {"products": {"totalCount": 2}}
    assert reads_of_products(log.statements) == 2
    assert sum(statement.startswith("SELECT count(*)") for statement in log.statements) == 1
    assert not any("matching" in statement for statement in log.statements)


async def test_an_attribute_value_matches_strings_numbers_and_booleans_by_their_text(
    products_service: RunningService,
    category_factory: CategoryFactory,
    product_factory: ProductFactory,
) -> None:
    # given
    shelf = await category_factory()
    for name, attributes in [
        ("Number", {"size": 42, "boxed": True}),
        ("Text", {"size": "42", "boxed": "true"}),
        ("Decimal", {"size": 42.0, "boxed": False}),
        ("Other", {"size": "M"}),
    ]:
        await product_factory(name=name, attributes=attributes, category_ids=[shelf.id])

    # when
    by_size = await products_service.graphql(
        QUERY_NAMES,
        {"filter": {"categoryId": shelf.id, "attributes": [{"name": "size", "values": ["42"]}]}},
    )
    by_flag = await products_service.graphql(
        QUERY_NAMES,
        {"filter": {"categoryId": shelf.id, "attributes": [{"name": "boxed", "values": ["true"]}]}},
    )

    # then
    names = [{"node": {"name": name}} for name in ("Text", "Number")]
    assert by_size == {"data": {"products": {"edges": names}}}
    assert by_flag == {"data": {"products": {"edges": names}}}
