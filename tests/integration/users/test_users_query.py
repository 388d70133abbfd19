from __future__ import annotations

import base64
from typing import Any
from uuid import uuid4

import pytest

from subgraphs.users import service
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, ShopperFactory

QUERY_USERS = """
query Users($first: Int!, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id profile { firstName } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def _page(
    users_service: RunningService, token: str, first: int, after: str | None, **filter: Any
) -> dict[str, Any]:
    variables = {"first": first, "after": after, "filter": filter}
    body = await users_service.graphql(QUERY_USERS, variables, token=token)
    assert "errors" not in body, body
    return body["data"]["users"]


async def _named(shopper_factory: ShopperFactory, count: int) -> tuple[str, list[Shopper]]:
    """``count`` shoppers whose first names share a marker no other test uses."""
    marker = f"pager{uuid4().hex[:8]}"
    return marker, [await shopper_factory(first_name=f"{marker} {n}") for n in range(count)]


async def test_pages_cover_every_match_once_in_creation_order(
    users_service: RunningService, shopper_factory: ShopperFactory, admin_token: str
) -> None:
    # given
    marker, shoppers = await _named(shopper_factory, 5)

    # when
    pages, after = [], None
    for _ in range(3):
        page = await _page(users_service, admin_token, 2, after, text=marker)
        pages.append(page)
        after = page["pageInfo"]["endCursor"]

    # then
    ids = [[edge["node"]["id"] for edge in page["edges"]] for page in pages]
    assert ids == [
        [shoppers[0].user_id, shoppers[1].user_id],
        [shoppers[2].user_id, shoppers[3].user_id],
        [shoppers[4].user_id],
    ]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]
    assert [page["pageInfo"]["endCursor"] for page in pages] == [
        page["edges"][-1]["cursor"] for page in pages
    ]
    assert pages[0]["edges"][0]["node"]["profile"] == {"firstName": f"{marker} 0"}


async def test_page_after_the_last_is_empty(
    users_service: RunningService, shopper_factory: ShopperFactory, admin_token: str
) -> None:
    # given
    marker, _ = await _named(shopper_factory, 1)
    last = await _page(users_service, admin_token, 1, None, text=marker)

    # when
    page = await _page(users_service, admin_token, 1, last["pageInfo"]["endCursor"], text=marker)

    # then
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}


async def test_filters_combine(
    users_service: RunningService, shopper_factory: ShopperFactory, support_token: str
) -> None:
    # given
    marker, (_, inactive) = await _named(shopper_factory, 2)
    async with users_service.sessions() as db:
        await service.deactivate_profile(db, inactive.user_id)

    # when
    page = await _page(users_service, support_token, 10, None, text=marker, isActive=False)

    # then
    assert [edge["node"]["id"] for edge in page["edges"]] == [inactive.user_id]


async def test_text_matches_email_and_full_name_ignoring_case(
    users_service: RunningService, shopper_factory: ShopperFactory, admin_token: str
) -> None:
    # given
    surname = f"Lovelace{uuid4().hex[:8]}"
    by_name = await shopper_factory(first_name="Ada", last_name=surname)
    by_email = await shopper_factory()

    # when
    name_page = await _page(users_service, admin_token, 10, None, text=f"ada {surname.upper()}")
    email_page = await _page(users_service, admin_token, 10, None, text=by_email.email.upper())

    # then
    assert [edge["node"]["id"] for edge in name_page["edges"]] == [by_name.user_id]
    assert [edge["node"]["id"] for edge in email_page["edges"]] == [by_email.user_id]


async def test_wildcards_in_text_match_literally(
    users_service: RunningService, shopper_factory: ShopperFactory, admin_token: str
) -> None:
    # given
    marker, _ = await _named(shopper_factory, 1)

    # when
    page = await _page(users_service, admin_token, 10, None, text=f"{marker[:5]}%")

    # then
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        _b64("not a date|id"),
        _b64("2025-01-01T00:00:00|id"),
        _b64("2025-01-01T00:00:00+00:00|"),
    ],
)
async def test_garbage_cursor_is_bad_input(
    users_service: RunningService, admin_token: str, cursor: str
) -> None:
    # when
    variables = {"first": 2, "after": cursor}
    body = await users_service.graphql(QUERY_USERS, variables, token=admin_token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "The cursor is not valid.", "after")]
    assert body["data"] is None


@pytest.mark.parametrize("first", [0, 101])
async def test_first_outside_one_to_a_hundred_is_bad_input(
    users_service: RunningService, admin_token: str, first: int
) -> None:
    # when
    body = await users_service.graphql(QUERY_USERS, {"first": first}, token=admin_token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "first must be between 1 and 100.", "first")]


async def test_customer_cannot_list_users(users_service: RunningService, shopper: Shopper) -> None:
    # when
    body = await users_service.graphql(QUERY_USERS, {"first": 2}, token=shopper.token)

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    assert body["data"] is None


async def test_listing_without_a_token_is_unauthenticated(users_service: RunningService) -> None:
    # when
    body = await users_service.graphql(QUERY_USERS, {"first": 2})

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", "Authentication required.", None)]
