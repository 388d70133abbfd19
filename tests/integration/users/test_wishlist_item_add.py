from __future__ import annotations

from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import NOTHING_OWNED, Shopper, owned_rows
from tests.integration.users.operations import MUTATION_WISHLIST_ITEM_ADD


async def test_product_is_added_to_the_wishlist(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"productId": "product-1", "notes": "for the birthday"}}
    body = await users_service.graphql(MUTATION_WISHLIST_ITEM_ADD, variables, token=shopper.token)

    # then
    item = body["data"]["wishlistItemAdd"]["item"]
    assert item == {"id": item["id"], "product": {"id": "product-1"}, "notes": "for the birthday"}


async def test_same_product_twice_keeps_one_item_as_it_was(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    variables = {"input": {"productId": "product-1", "notes": "first"}}
    first = await users_service.graphql(MUTATION_WISHLIST_ITEM_ADD, variables, token=shopper.token)

    # when
    variables = {"input": {"productId": "product-1", "notes": "second"}}
    body = await users_service.graphql(MUTATION_WISHLIST_ITEM_ADD, variables, token=shopper.token)

    # then
    assert body == first
    assert await owned_rows(users_service.sessions, shopper.user_id) == {
        **NOTHING_OWNED,
        "user_wishlist_items": 1,
    }


async def test_invalid_item_is_rejected_and_nothing_is_written(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"productId": "product-1", "notes": "n" * 501}}
    body = await users_service.graphql(MUTATION_WISHLIST_ITEM_ADD, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "notes must be at most 500 characters.", "notes")]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_blank_product_id_is_rejected(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"productId": " "}}
    body = await users_service.graphql(MUTATION_WISHLIST_ITEM_ADD, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "productId is required.", "productId")]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED
