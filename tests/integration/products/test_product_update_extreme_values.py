"""Values the fuzz tests found crashing ``productUpdate`` (INTERNAL_SERVER_ERROR or a 500):
each is now refused with a code, and the product stays as it was."""

from __future__ import annotations

import json

import httpx
import pytest

from subgraphs.products import models
from tests.fixtures.auth import outbox_events
from tests.fixtures.graphql import errors_of
from tests.fixtures.products import Caller, product_snapshot
from tests.fixtures.services import RunningService

MUTATION_PRODUCT_UPDATE = """
mutation Update($input: ProductUpdateInput!) {
  productUpdate(input: $input) { product { price attributes } }
}
"""


async def post_json_text(service: RunningService, body: str, token: str) -> httpx.Response:
    """POST a request body as written: JSON that ``json.dumps`` would not write."""
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=service.url, timeout=30) as client:
        return await client.post("/graphql", content=body.encode(), headers=headers)


def update_body(product_id: str, field: str, json_value: str) -> str:
    """The ``productUpdate`` request body with ``json_value`` as the field's, as written."""
    query = json.dumps(MUTATION_PRODUCT_UPDATE)
    variables = f'{{"input": {{"id": "{product_id}", "{field}": {json_value}}}}}'
    return f'{{"query": {query}, "variables": {variables}}}'


async def test_a_price_literal_that_is_no_number_fails_validation(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)
    mutation = (
        f'mutation {{ productUpdate(input: {{id: "{product.id}", price: "Q"}})'
        " { product { price } } }"
    )

    # when
    body = await products_service.graphql(mutation, token=catalog_admin.token)

    # then
    assert errors_of(body) == [
        ("GRAPHQL_VALIDATION_FAILED", "'Q' is not a decimal amount such as \"19.99\".", None)
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


@pytest.mark.parametrize("price", ["1e999999999", "-1e999999999"])
async def test_a_price_past_the_decimal_exponent_limit_is_an_invalid_price(
    products_service: RunningService, catalog_admin: Caller, product: models.Product, price: str
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    body = await products_service.graphql(
        MUTATION_PRODUCT_UPDATE,
        {"input": {"id": product.id, "price": price}},
        token=catalog_admin.token,
    )

    # then
    assert errors_of(body) == [
        (
            "INVALID_PRICE",
            "price must have at most 2 decimals and at most 10 digits before them.",
            "price",
        )
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
async def test_attributes_refuse_numbers_json_cannot_hold(
    products_service: RunningService, catalog_admin: Caller, product: models.Product, number: str
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    response = await post_json_text(
        products_service,
        update_body(product.id, "attributes", f'{{"weight": {number}}}'),
        catalog_admin.token,
    )

    # then
    assert errors_of(response.json()) == [
        (
            "INVALID_ATTRIBUTES",
            "attributes value of 'weight' must be a finite number.",
            "attributes",
        )
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


async def test_an_infinite_float_literal_in_attributes_is_refused(
    products_service: RunningService, catalog_admin: Caller, product: models.Product
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)
    mutation = (
        f'mutation {{ productUpdate(input: {{id: "{product.id}", attributes: {{size: 1e400}}}})'
        " { product { attributes } } }"
    )

    # when
    body = await products_service.graphql(mutation, token=catalog_admin.token)

    # then
    assert errors_of(body) == [
        ("INVALID_ATTRIBUTES", "attributes value of 'size' must be a finite number.", "attributes")
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


@pytest.mark.parametrize(
    ("field", "json_value"),
    [("name", r'"Scarf \ud800"'), ("attributes", r'{"\udfff": "red"}')],
)
async def test_an_unpaired_surrogate_is_refused_before_any_write(
    products_service: RunningService,
    catalog_admin: Caller,
    product: models.Product,
    field: str,
    json_value: str,
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    response = await post_json_text(
        products_service, update_body(product.id, field, json_value), catalog_admin.token
    )

    # then
    assert errors_of(response.json()) == [
        (
            "BAD_USER_INPUT",
            "Text must be valid Unicode: no unpaired surrogates (U+D800 to U+DFFF).",
            None,
        )
    ]
    assert await product_snapshot(products_service.sessions, product.id) == before


@pytest.mark.parametrize(
    "json_value",
    ['{"a": ' * 5000 + "1" + "}" * 5000, "[" * 5000 + "]" * 5000, "9" * 5000],
    ids=["objects nested 5000 deep", "lists nested 5000 deep", "an integer of 5000 digits"],
)
async def test_a_body_json_cannot_parse_is_a_bad_request(
    products_service: RunningService,
    catalog_admin: Caller,
    product: models.Product,
    json_value: str,
) -> None:
    # given
    before = await product_snapshot(products_service.sessions, product.id)

    # when
    response = await post_json_text(
        products_service, update_body(product.id, "attributes", json_value), catalog_admin.token
    )

    # then
    assert (response.status_code, response.text) == (400, "Unable to parse request body as JSON")
    assert await product_snapshot(products_service.sessions, product.id) == before
    assert await outbox_events(products_service.sessions, "product.updated", product.id) == []
