from __future__ import annotations

from subgraphs.users import models
from tests.fixtures.graphql import errors_of
from tests.fixtures.services import RunningService
from tests.fixtures.users import Shopper, defaults, saved_address
from tests.integration.users.operations import MUTATION_ADDRESS_UPDATE

SAVED = {
    "type": "SHIPPING",
    "isDefault": False,
    "firstName": None,
    "lastName": None,
    "company": None,
    "addressLine1": "1 Unter den Linden",
    "addressLine2": None,
    "city": "Berlin",
    "state": None,
    "postalCode": "10117",
    "country": "DE",
    "phone": None,
}


async def _address_of(users_service: RunningService, address_id: str) -> models.Address | None:
    async with users_service.sessions() as db:
        return await db.get(models.Address, address_id)


async def test_given_fields_change_and_the_rest_stays(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, shopper.user_id, company="ACME")
    variables = {
        "input": {"id": address.id, "city": " Potsdam ", "postalCode": "14467", "company": None}
    }

    # when
    body = await users_service.graphql(MUTATION_ADDRESS_UPDATE, variables, token=shopper.token)

    # then
    expected = {**SAVED, "city": "Potsdam", "postalCode": "14467"}
    assert body == {"data": {"addressUpdate": {"address": expected}}}


async def test_default_changing_type_replaces_the_default_it_now_overlaps(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    shipping = await saved_address(users_service.sessions, shopper.user_id, is_default=True)
    billing = await saved_address(
        users_service.sessions, shopper.user_id, type="billing", is_default=True
    )

    # when
    variables = {"input": {"id": shipping.id, "type": "BOTH"}}
    body = await users_service.graphql(MUTATION_ADDRESS_UPDATE, variables, token=shopper.token)

    # then
    expected = {**SAVED, "type": "BOTH", "isDefault": True}
    assert body == {"data": {"addressUpdate": {"address": expected}}}
    assert await defaults(users_service.sessions, models.Address, shopper.user_id) == {
        shipping.id: True,
        billing.id: False,
    }


async def test_required_field_cannot_be_cleared(
    users_service: RunningService, shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, shopper.user_id)

    # when
    variables = {"input": {"id": address.id, "state": "Brandenburg", "city": None}}
    body = await users_service.graphql(MUTATION_ADDRESS_UPDATE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("BAD_USER_INPUT", "city is required.", "city")]
    stored = await _address_of(users_service, address.id)
    assert stored is not None
    assert (stored.city, stored.state) == ("Berlin", None)


async def test_another_users_address_is_forbidden(
    users_service: RunningService, shopper: Shopper, other_shopper: Shopper
) -> None:
    # given
    address = await saved_address(users_service.sessions, other_shopper.user_id)

    # when
    variables = {"input": {"id": address.id, "city": "Potsdam"}}
    body = await users_service.graphql(MUTATION_ADDRESS_UPDATE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("FORBIDDEN", "You are not allowed to do this.", None)]
    stored = await _address_of(users_service, address.id)
    assert stored is not None
    assert stored.city == "Berlin"


async def test_unknown_address_is_not_found(
    users_service: RunningService, shopper: Shopper
) -> None:
    # when
    variables = {"input": {"id": "no-such-address", "city": "Potsdam"}}
    body = await users_service.graphql(MUTATION_ADDRESS_UPDATE, variables, token=shopper.token)

    # then
    assert errors_of(body) == [("NOT_FOUND", "Address not found.", "id")]
