"""`products` arguments the fuzz tests found crashing the search (INTERNAL_SERVER_ERROR):
NaN ratings, prices past what a price column holds, and cursors that decode to values
no row has. Each is now refused with its code."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService

QUERY_PRODUCTS = """
query Products($filter: ProductFilter, $sort: ProductSort, $after: String) {
  products(filter: $filter, sort: $sort, after: $after) { edges { node { id } } }
}
"""


def cursor(sort: str, *after: Any) -> str:
    """A cursor in the service's form, holding values it would never write."""
    document = json.dumps({"sort": sort, "after": list(after)})
    return base64.urlsafe_b64encode(document.encode()).decode()


@pytest.mark.parametrize(
    ("filter", "error"),
    [
        ({"minRating": "NaN"}, ("minRating must be between 0 and 5.", "minRating")),
        ({"minRating": "sNaN"}, ("minRating must be between 0 and 5.", "minRating")),
        (
            {"minPrice": "1e999999999"},
            ("minPrice must be a price from 0 to 9999999999.99.", "minPrice"),
        ),
        (
            {"maxPrice": "9" * 5000},
            ("maxPrice must be a price from 0 to 9999999999.99.", "maxPrice"),
        ),
    ],
)
async def test_filters_past_what_columns_hold_are_bad_input(
    products_service: RunningService, filter: dict[str, str], error: tuple[str, str]
) -> None:
    # when
    body = await products_service.graphql(QUERY_PRODUCTS, {"filter": filter})

    # then
    message, field = error
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]


@pytest.mark.parametrize(
    ("sort", "after"),
    [
        ("PRICE_ASC", cursor("PRICE_ASC", "cheap", "some-id")),
        ("PRICE_ASC", cursor("PRICE_ASC", "1e999999999", "some-id")),
        ("NEWEST", cursor("NEWEST", "0001-01-01T00:00:00+14:00", "some-id")),
        ("RATING", cursor("RATING", "4.5", 10**30, "some-id")),
        ("RATING", cursor("RATING", [4.5], 3, "some-id")),
        ("NEWEST", base64.urlsafe_b64encode(b"[" * 100_000).decode()),
    ],
    ids=[
        "a price that is no number",
        "a price past any column",
        "a time with no UTC equivalent",
        "a count past any integer",
        "a rating that is a list",
        "JSON nested too deep",
    ],
)
async def test_a_cursor_holding_values_no_row_has_is_invalid(
    products_service: RunningService, sort: str, after: str
) -> None:
    # when
    body = await products_service.graphql(QUERY_PRODUCTS, {"sort": sort, "after": after})

    # then
    assert errors_of(body) == [
        ("INVALID_CURSOR", "The cursor is not valid for this sort.", "after")
    ]
