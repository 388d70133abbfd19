"""Every mutation needs a valid access token: without one nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from shared.auth.tokens import SigningKey
from shared.database import utcnow
from subgraphs.users import service
from tests.fixtures.auth import TokenMinter
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, saved_address, saved_card, user_snapshot
from tests.integration.users import operations as op


@dataclass(frozen=True)
class ShopperData:
    shopper: Shopper
    address_id: str
    card_id: str


@pytest.fixture
async def shopper_data(users_service: RunningService, shopper: Shopper) -> ShopperData:
    """A shopper with one row in each of their tables."""
    address = await saved_address(users_service.sessions, shopper.user_id)
    card = await saved_card(users_service, shopper.user_id)
    async with users_service.sessions() as db:
        await service.set_preference(db, shopper.user_id, "theme", "dark")
        await service.add_wishlist_item(db, shopper.user_id, "product-1")
    return ShopperData(shopper, address.id, card.id)


Input = Callable[[ShopperData], dict[str, Any]]
NEW_ADDRESS = {
    "type": "BILLING",
    "addressLine1": "x",
    "city": "y",
    "postalCode": "1",
    "country": "DE",
}

# Each mutation with an input that would change the shopper's data if it were accepted.
MUTATIONS: dict[str, tuple[str, Input]] = {
    "profileUpdate": (op.MUTATION_PROFILE_UPDATE, lambda d: {"firstName": "Eve"}),
    "addressCreate": (op.MUTATION_ADDRESS_CREATE, lambda d: NEW_ADDRESS),
    "addressUpdate": (
        op.MUTATION_ADDRESS_UPDATE,
        lambda d: {"id": d.address_id, "city": "Potsdam"},
    ),
    "addressDelete": (op.MUTATION_ADDRESS_DELETE, lambda d: {"id": d.address_id}),
    "addressSetDefault": (op.MUTATION_ADDRESS_SET_DEFAULT, lambda d: {"id": d.address_id}),
    "paymentMethodAdd": (
        op.MUTATION_PAYMENT_METHOD_ADD,
        lambda d: {"type": "PAYPAL", "providerToken": "BA-1"},
    ),
    "paymentMethodDelete": (op.MUTATION_PAYMENT_METHOD_DELETE, lambda d: {"id": d.card_id}),
    "paymentMethodSetDefault": (
        op.MUTATION_PAYMENT_METHOD_SET_DEFAULT,
        lambda d: {"id": d.card_id},
    ),
    "preferenceSet": (op.MUTATION_PREFERENCE_SET, lambda d: {"key": "theme", "value": "light"}),
    "preferenceDelete": (op.MUTATION_PREFERENCE_DELETE, lambda d: {"key": "theme"}),
    "wishlistItemAdd": (op.MUTATION_WISHLIST_ITEM_ADD, lambda d: {"productId": "product-2"}),
    "wishlistItemRemove": (
        op.MUTATION_WISHLIST_ITEM_REMOVE,
        lambda d: {"productId": "product-1"},
    ),
}


def _bad_token(kind: str, user_id: str, mint_token: TokenMinter) -> str | None:
    if kind == "forged":
        return mint_token(user_id, key=SigningKey.generate())
    if kind == "expired":
        return mint_token(user_id, exp=utcnow() - timedelta(minutes=1))
    return {"missing": None, "malformed": "not-a-jwt"}[kind]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("missing", "Authentication required."),
        ("malformed", "The access token is malformed."),
        ("forged", "The access token is invalid."),
        ("expired", "The access token has expired."),
    ],
)
@pytest.mark.parametrize("mutation", MUTATIONS)
async def test_mutation_without_a_valid_token_is_unauthenticated_and_writes_nothing(
    users_service: RunningService,
    shopper_data: ShopperData,
    mint_token: TokenMinter,
    mutation: str,
    kind: str,
    message: str,
) -> None:
    # given
    operation, input_of = MUTATIONS[mutation]
    token = _bad_token(kind, shopper_data.shopper.user_id, mint_token)
    before = await user_snapshot(users_service.sessions, shopper_data.shopper.user_id)

    # when
    body = await users_service.graphql(operation, {"input": input_of(shopper_data)}, token=token)

    # then
    assert errors_of(body) == [("UNAUTHENTICATED", message, None)]
    assert body["data"] is None
    assert await user_snapshot(users_service.sessions, shopper_data.shopper.user_id) == before
