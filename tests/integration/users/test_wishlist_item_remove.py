from __future__ import annotations

from subgraphs.users import service
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import NOTHING_OWNED, Shopper, owned_rows
from tests.integration.users.operations import MUTATION_WISHLIST_ITEM_REMOVE


async def test_product_is_removed_from_the_wishlist(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    async with users_service.sessions() as db:
        await service.add_wishlist_item(db, shopper.user_id, "product-1")

    # when
    variables = {"input": {"productId": "product-1"}}
    body = await users_service.graphql(
        MUTATION_WISHLIST_ITEM_REMOVE, variables, token=shopper.token
    )

    # then
    assert body == {"data": {"wishlistItemRemove": {"removedProductId": "product-1"}}}
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_product_only_another_user_wishes_for_is_not_found(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    async with users_service.sessions() as db:
        await service.add_wishlist_item(db, other_shopper.user_id, "product-1")

    # when
    variables = {"input": {"productId": "product-1"}}
    body = await users_service.graphql(
        MUTATION_WISHLIST_ITEM_REMOVE, variables, token=shopper.token
    )

    # then
    assert errors_of(body) == [("NOT_FOUND", "Wishlist item not found.", "productId")]
    assert await owned_rows(users_service.sessions, other_shopper.user_id) == {
        **NOTHING_OWNED,
        "user_wishlist_items": 1,
    }
