from __future__ import annotations

from typing import Any

import pytest

from subgraphs.users import models, service
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import NOTHING_OWNED, Shopper, defaults, owned_rows, saved_address
from tests.integration.users.operations import MUTATION_ADDRESS_CREATE

INPUT = {
    "type": "SHIPPING",
    "addressLine1": "1 Unter den Linden",
    "city": "Berlin",
    "postalCode": "10117",
    "country": "de",
}


async def test_customer_adds_an_address(users_service: RunningService, shopper: Shopper) -> None:
    # given
    fields = {
        **INPUT,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical Engines Ltd",
        "addressLine2": "Floor 2",
        "state": "Berlin",
        "phone": "+49 30 1234567",
    }

    # when
    body = await users_service.graphql(
        MUTATION_ADDRESS_CREATE, {"input": fields}, token=shopper.token
    )

    # then
    address = body["data"]["addressCreate"]["address"]
    assert address == {
        "id": address["id"],
        "type": "SHIPPING",
        "isDefault": False,
        "firstName": "Ada",
        "lastName": "Lovelace",
        "company": "Analytical Engines Ltd",
        "addressLine1": "1 Unter den Linden",
        "addressLine2": "Floor 2",
        "city": "Berlin",
        "state": "Berlin",
        "postalCode": "10117",
        "country": "DE",
        "phone": "+49301234567",
    }
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        address["id"]: False
    }


async def test_new_default_replaces_the_default_it_overlaps(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    shipping = await saved_address(users_service.sessions, shopper.user_id, is_default=True)
    billing = await saved_address(
        users_service.sessions, shopper.user_id, type="billing", is_default=True
    )
    other = await saved_address(users_service.sessions, shopper.user_id, type="billing")

    # when
    variables = {"input": {**INPUT, "type": "BOTH", "isDefault": True}}
    body = await users_service.graphql(MUTATION_ADDRESS_CREATE, variables, token=shopper.token)

    # then
    created = body["data"]["addressCreate"]["address"]
    assert (created["type"], created["isDefault"]) == ("BOTH", True)
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        shipping.id: False,
        billing.id: False,
        other.id: False,
        created["id"]: True,
    }


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"addressLine1": "   "}, "addressLine1 is required.", "addressLine1"),
        ({"city": ""}, "city is required.", "city"),
        ({"postalCode": "1" * 21}, "postalCode must be at most 20 characters.", "postalCode"),
        (
            {"country": "Germany"},
            "country must be an ISO 3166-1 alpha-2 country code such as DE.",
            "country",
        ),
        (
            {"phone": "call me"},
            "phone must be an international phone number such as +14155550123.",
            "phone",
        ),
    ],
)
async def test_invalid_address_is_rejected_and_nothing_is_written(
    users_service: RunningService,
    shopper: Shopper,
    fields: dict[str, Any],
    message: str,
    field: str,
) -> None:
    # given
    variables = {"input": {**INPUT, **fields}}

    # when
    body = await users_service.graphql(MUTATION_ADDRESS_CREATE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", message, field)]
    assert body["data"] is None
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED


async def test_deactivated_account_cannot_add_addresses(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    async with users_service.sessions() as db:
        await service.deactivate_profile(db, shopper.user_id)

    # when
    body = await users_service.graphql(
        MUTATION_ADDRESS_CREATE, {"input": INPUT}, token=shopper.token
    )

    # then
    assert errors_of(body) == [("FORBIDDEN", "This account is deactivated.", None)]
    assert await owned_rows(users_service.sessions, shopper.user_id) == NOTHING_OWNED
